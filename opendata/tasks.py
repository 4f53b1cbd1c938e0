"""Background work of the catalogue: live-feed refresh (one task per organization) and the staleness check."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def refresh_organization(organization_id: int) -> list[str]:
    from portal.models import Organization

    from . import live

    organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
    if organization is None:
        return []
    return live.refresh_organization(organization)


@shared_task
def refresh_all() -> int:
    """Beat: queue one refresh per active organization, so a large one never holds up the others."""
    from portal.models import Organization

    ids = list(Organization.objects.filter(is_active=True).values_list("pk", flat=True))
    for organization_id in ids:
        try:
            refresh_organization.delay(organization_id)
        except Exception:  # broker down: the next beat tries again
            log.exception("could not queue the open-data refresh of organization %s", organization_id)
    return len(ids)


@shared_task
def notify_stale() -> int:
    from portal.audit.trail import system

    from . import services

    return len(services.notify_stale(actor=system("task:opendata.notify_stale")))


def _register_jobs():
    from portal.machinery import jobs

    @jobs.register("opendata.refresh")
    def refresh_job(job, progress):
        """On demand (staff pressed "refresh now"): the organization's live datasets, in the worker."""
        from . import live

        live.refresh_organization(job.organization, progress=progress)
        return None


_register_jobs()
