"""Celery tasks of the e-services, run by beat (portal.settings.CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)

# The day's reminders are spread over this many seconds after the beat, one small task per organization.
REMINDER_SPREAD_SECONDS = 30 * 60


@shared_task(name="eservice.tasks.queue_reminders")
def queue_reminders() -> int:
    """Daily: one task per organization that has bookings for tomorrow not reminded yet (none for the others),
    spread over REMINDER_SPREAD_SECONDS; returns how many were queued. Each is idempotent (a booking is reminded
    once), so a beat run twice, or a task retried, sends nothing twice."""
    from .queues.services import organizations_to_remind

    ids = organizations_to_remind()
    for n, organization_id in enumerate(ids):
        try:
            remind_organization.apply_async(args=[organization_id],
                                            countdown=n * REMINDER_SPREAD_SECONDS // max(len(ids), 1))
        except Exception:  # broker down: the next run (or the next day's) finds them still due
            log.exception("could not queue the booking reminders of organization %s", organization_id)
    return len(ids)


@shared_task(name="eservice.tasks.remind_organization", acks_late=True)
def remind_organization(organization_id: int) -> int:
    """Tomorrow's bookings of one organization get their reminder through the outbox."""
    from portal.audit.trail import system

    from .queues.services import send_reminders

    return send_reminders(organization_id=organization_id, actor=system("task:eservice.queue_reminders"))


@shared_task(name="eservice.tasks.release_holds")
def release_holds() -> int:
    """Every minute: places held for an SMS code and not confirmed in time go back to their slots."""
    from portal.audit.trail import system

    from .queues.services import release_expired_holds

    return release_expired_holds(actor=system("task:eservice.release_holds"))
