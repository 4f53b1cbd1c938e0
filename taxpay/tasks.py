"""Celery tasks: the daily "due soon" reminders (beat)."""

from celery import shared_task

from portal.audit.trail import system
from portal.models import Organization

from . import services
from .models import Bill


@shared_task(name="taxpay.tasks.send_due_soon", ignore_result=True)
def send_due_soon(days: int = 7) -> int:
    """Remind the owners who gave a contact, in every organization with current bills; once per instalment."""
    today = services.today()
    sent = 0
    org_ids = Bill.objects.filter(status=Bill.Status.ISSUED).values("organization_id").distinct()
    for organization in Organization.objects.filter(pk__in=org_ids, is_active=True):
        sent += services.send_due_soon(organization=organization, on=today, days=days,
                                       actor=system("task:taxpay.send_due_soon"))
    return sent
