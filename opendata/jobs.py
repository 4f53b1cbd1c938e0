"""Background jobs of the open-data app (portal.machinery.jobs runs them; progress shows on the job's status page)."""

from portal.machinery import jobs


@jobs.register("opendata.refresh")
def refresh_job(job, progress):
    """On demand (staff pressed "refresh now"): the organization's live datasets, in the worker."""
    from . import live

    live.refresh_organization(job.organization, progress=progress)
    return None
