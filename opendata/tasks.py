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


# Beat runs refresh_all every 5 minutes and each run takes one twelfth of the organizations (by id): every
# organization is refreshed once an hour, and 7,850 refreshes are spread over the hour instead of queued at once.
REFRESH_SLOTS = 12
REFRESH_EVERY_MINUTES = 5


def current_slot(now=None, slots=REFRESH_SLOTS) -> int:
    from django.utils import timezone

    now = now or timezone.now()
    return (now.hour * 60 + now.minute) // REFRESH_EVERY_MINUTES % slots


@shared_task
def refresh_all(slot: int | None = None, slots: int = REFRESH_SLOTS) -> int:
    """Beat: queue one refresh (its own small task and transactions) per active organization of this run's slot,
    so a large one never holds up the others and the hour's work is spread over the hour."""
    from django.db.models.functions import Mod

    from portal.models import Organization

    slot = current_slot(slots=slots) if slot is None else slot
    ids = list(Organization.objects.filter(is_active=True).annotate(slot=Mod("pk", slots)).filter(slot=slot)
               .values_list("pk", flat=True))
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
