"""Delivery with retries and backoff, exactly once per row even when the task runs twice."""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from portal.models import Notification
from portal.notifications.channels import SENDERS, PermanentError

log = logging.getLogger(__name__)
STALE_CLAIM = dt.timedelta(minutes=10)
# Events whose text holds a secret for the recipient alone (a one-time code): the row keeps no copy once it is sent
# or given up on.
SENT_ONCE_ONLY = {"otp_code"}


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


@shared_task(name="portal.notifications.tasks.deliver", ignore_result=True)
def deliver(notification_id: int) -> str:
    now = timezone.now()
    # The claim is one conditional UPDATE: of two copies of this task, only one changes the row.
    claimed = Notification.objects.filter(
        Q(pk=notification_id, status=Notification.Status.PENDING)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    ).update(status=Notification.Status.SENDING, claimed_at=now)
    if not claimed:
        return "skipped"
    notification = Notification.objects.select_related("organization").get(pk=notification_id)
    attempts = notification.attempts + 1
    try:
        SENDERS[notification.channel](notification)
    except PermanentError as exc:
        Notification.objects.filter(pk=notification_id).update(
            status=Notification.Status.FAILED, attempts=attempts, last_error=str(exc)[:2000],
            **({"body": Notification.SCRUBBED} if notification.event in SENT_ONCE_ONLY else {}))
        return "failed"
    except Exception as exc:
        if attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            Notification.objects.filter(pk=notification_id).update(
                status=Notification.Status.FAILED, attempts=attempts, last_error=repr(exc)[:2000])
            return "failed"
        delay = backoff(attempts)
        Notification.objects.filter(pk=notification_id).update(
            status=Notification.Status.PENDING, attempts=attempts, last_error=repr(exc)[:2000],
            next_attempt_at=now + delay, claimed_at=None)
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            # In-process mode leaves retries to the sweep rather than sleeping in the request.
            try:
                deliver.apply_async(args=[notification_id], countdown=delay.total_seconds(), retry=False)
            except Exception:
                log.warning("retry of notification %s left to the sweep", notification_id)
        return "retry"
    done = {"status": Notification.Status.SENT, "attempts": attempts, "sent_at": timezone.now(), "last_error": ""}
    if notification.event in SENT_ONCE_ONLY:
        done["body"] = Notification.SCRUBBED  # a one-time code is for its recipient: staff reading the outbox never see it
    Notification.objects.filter(pk=notification_id).update(**done)
    return "sent"


@shared_task(name="portal.notifications.tasks.sweep_pending", ignore_result=True)
def sweep_pending(limit: int = 500) -> int:
    """Re-queue rows that are due (left pending while the broker was down) or stuck in a dead worker."""
    now = timezone.now()
    stale = now - STALE_CLAIM
    Notification.objects.filter(status=Notification.Status.SENDING, claimed_at__lt=stale).update(
        status=Notification.Status.PENDING, claimed_at=None)
    due = Notification.objects.filter(
        Q(status=Notification.Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    ).values_list("pk", flat=True)[:limit]
    count = 0
    for pk in due:
        deliver.apply_async(args=[pk], retry=False)
        count += 1
    return count
