from celery import shared_task


@shared_task(name="eservice.tasks.queue_reminders")
def queue_reminders() -> int:
    """Daily: tomorrow's bookings get their reminder through the outbox."""
    from portal.audit.trail import system

    from .queues.services import send_reminders

    return send_reminders(actor=system("task:eservice.queue_reminders"))



@shared_task(name="eservice.tasks.release_holds")
def release_holds() -> int:
    """Every minute: places held for an SMS code and not confirmed in time go back to their slots."""
    from portal.audit.trail import system

    from .queues.services import release_expired_holds

    return release_expired_holds(actor=system("task:eservice.release_holds"))
