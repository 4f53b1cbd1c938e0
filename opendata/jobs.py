"""Background jobs of the open-data app (portal.machinery.jobs runs them; progress shows on the job's status page)."""

from portal.machinery import jobs


@jobs.register("opendata.refresh")
def refresh_job(job, progress):
    """On demand (staff pressed "refresh now"): the organization's live datasets, in the worker."""
    from . import live

    live.refresh_organization(job.organization, progress=progress)
    return None


@jobs.register("opendata.datastore_load")
def datastore_load_job(job, progress):
    """An uploaded table read into the DataStore (services.load_version), outside the request that uploaded it."""
    from .models import Resource
    from .services import load_version

    params = job.params
    if load_version(resource_id=params["resource"], version_id=params["version"], fmt=params["format"],
                    actor=job.created_by) is False:
        error = Resource.objects.filter(pk=params["resource"]).values_list("datastore_error", flat=True).first()
        raise jobs.JobFailed(error or "")
    return None
