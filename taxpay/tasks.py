"""Celery tasks: the daily "due soon" reminders (beat), one small task per organization."""

import logging

from celery import shared_task

from portal.audit.trail import system
from portal.models import Organization

from . import selectors, services

log = logging.getLogger(__name__)


@shared_task(name="taxpay.tasks.send_due_soon", ignore_result=True)
def send_due_soon(days: int = 7) -> int:
    """Beat: queue one reminder task per organization with bills still to fall due and an owner to tell, so a
    large organization never holds up the others and one that fails is retried alone. Returns how many were
    queued."""
    on = services.today()
    ids = selectors.organizations_with_bills_due(on=on)
    for organization_id in ids:
        try:
            send_due_soon_for.delay(organization_id, on.isoformat(), days)
        except Exception:  # broker down: tomorrow's beat reminds of what is still due, once per instalment
            log.exception("could not queue the tax reminders of organization %s", organization_id)
    return len(ids)


@shared_task(name="taxpay.tasks.send_due_soon_for", ignore_result=True, acks_late=True)
def send_due_soon_for(organization_id: int, on: str, days: int = 7) -> int:
    """Remind the owners of one organization who gave a contact; once per instalment (a second run sends none)."""
    import datetime as dt

    organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
    if organization is None:
        return 0
    return services.send_due_soon(organization=organization, on=dt.date.fromisoformat(on), days=days,
                                  actor=system("task:taxpay.send_due_soon"))
