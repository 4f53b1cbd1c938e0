"""The outbox: `notify()` writes a row inside the caller's transaction and queues delivery after commit."""

import logging

from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from ..models import Notification

log = logging.getLogger(__name__)


def render_message(event: str, language: str, context: dict) -> tuple[str, str]:
    """Templates `notifications/<event>.<lang>.txt`: first line the subject, the rest the body."""
    language = language if language in ("th", "en") else "th"
    with translation.override(language):
        try:
            text = render_to_string(f"notifications/{event}.{language}.txt", context)
        except TemplateDoesNotExist:
            text = render_to_string(f"notifications/{event}.th.txt", context)
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip()


def notify(*, organization, event: str, channel: str, recipient: str, context: dict,
           language: str = "th", related=None) -> Notification | None:
    """Write one outbox row; nothing is sent unless the surrounding transaction commits."""
    if not recipient or channel not in Notification.Channel.values:
        return None
    subject, body = render_message(event, language, context)
    notification = Notification.objects.create(
        organization=organization, event=event, channel=channel, recipient=recipient, language=language,
        subject=subject[:200], body=body,
        related_type=related._meta.label_lower if related is not None else "",
        related_id=str(related.pk) if related is not None else "",
    )
    transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


def enqueue(notification_id: int) -> bool:
    """Hand the row to Celery. A broker that is down is not an error here: the row stays pending and the
    beat sweep re-queues it."""
    from .tasks import deliver

    try:
        deliver.apply_async(args=[notification_id], retry=False)
        return True
    except Exception as exc:  # kombu raises several transport-specific errors
        log.warning("notification %s left pending, broker unavailable: %s", notification_id, exc)
        return False


SCRUBBED = "[ลบข้อมูลส่วนบุคคลแล้ว]"


def scrub(related) -> int:
    """Personal data erased (PDPA): the outbox rows about `related` lose their recipient and text. Rows not yet
    sent are cancelled (marked failed) rather than sent to nobody. Returns how many rows were scrubbed."""
    from django.utils import timezone

    rows = Notification.objects.filter(related_type=related._meta.label_lower, related_id=str(related.pk))
    rows.exclude(status=Notification.Status.SENT).update(status=Notification.Status.FAILED,
                                                         last_error="anonymised before delivery")
    return rows.update(recipient=SCRUBBED, subject=SCRUBBED, body=SCRUBBED, claimed_at=None,
                       next_attempt_at=timezone.now())
