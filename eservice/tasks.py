from celery import shared_task


@shared_task(name="eservice.tasks.queue_reminders")
def queue_reminders() -> int:
    """Daily: tomorrow's bookings get their reminder through the outbox."""
    from portal.audit.trail import system

    from .services import send_reminders

    return send_reminders(actor=system("task:eservice.queue_reminders"))

