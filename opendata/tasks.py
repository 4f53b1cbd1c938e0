"""Background work of the catalogue: live-feed refresh (one task per organization) and the staleness check."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def refresh_organization(organization_id: int, everything: bool = False) -> list[str]:
    """The organization's feeds whose source rows changed since their last refresh (all of them with
    `everything`, as after a restore)."""
    from portal.models import Organization

    from . import live

    organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
    if organization is None:
        return []
    return live.refresh_organization(organization, only_changed=not everything)


# Beat runs refresh_all every 5 minutes and each run takes one twelfth of the organizations (by id): every
# organization is looked at once an hour, and its refresh queued only when a row its feeds read changed since the
# last one (opendata.live.organizations_due: two queries for the whole slice). The others' live datasets only get
# their date stamp moved to today, once a day.
REFRESH_SLOTS = 12
REFRESH_EVERY_MINUTES = 5


def current_slot(now=None, slots=REFRESH_SLOTS) -> int:
    from django.utils import timezone

    now = now or timezone.now()
    return (now.hour * 60 + now.minute) // REFRESH_EVERY_MINUTES % slots


@shared_task
def refresh_all(slot: int | None = None, slots: int = REFRESH_SLOTS) -> int:
    """Beat: queue one refresh (its own small task and transactions) per active organization of this run's slot
    whose feeds' sources changed, so a large one never holds up the others and the hour's work is spread over the
    hour; the unchanged ones' datasets are confirmed current, and those due their daily whole refresh
    (opendata.live.overdue_for_check) get one. Returns how many were queued."""
    from django.db.models.functions import Mod

    from portal.models import Organization

    from . import live

    slot = current_slot(slots=slots) if slot is None else slot
    ids = list(Organization.objects.filter(is_active=True).annotate(slot=Mod("pk", slots)).filter(slot=slot)
               .values_list("pk", flat=True))
    whole = set(live.overdue_for_check(ids, slots=slots))
    ids, unchanged = live.organizations_due(ids)
    live.confirm_current([i for i in unchanged if i not in whole])
    for organization_id in [*ids, *sorted(whole - set(ids))]:
        try:
            refresh_organization.delay(organization_id, everything=organization_id in whole)
        except Exception:  # broker down: the next beat tries again
            log.exception("could not queue the open-data refresh of organization %s", organization_id)
    return len(ids)


@shared_task
def notify_stale() -> int:
    from portal.audit.trail import system

    from . import services

    return len(services.notify_stale(actor=system("task:opendata.notify_stale")))
