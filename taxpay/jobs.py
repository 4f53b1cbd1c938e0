"""Background jobs of the tax app (portal.machinery.jobs runs them; progress shows on the job's status page)."""

from portal.machinery import jobs

from . import services


@jobs.register("taxpay.assessment")
def assessment(job, progress):
    """The year's assessment run: assess every owner of the register and issue the bills not issued yet."""
    result = services.run_assessment(organization=job.organization, year=int(job.params["year"]),
                                     user=job.created_by, progress=progress)
    progress(result["assessed"], result["assessed"])
    return None
