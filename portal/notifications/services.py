"""The outbox: `notify()` writes a row inside the caller's transaction and queues delivery after commit."""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from portal.models import Notification

log = logging.getLogger(__name__)


def citizen_language(language: str | None = None) -> str:
    """A language the portal writes notifications in: `language` when the portal speaks it ("en-us" counts as
    "en"), else the language active now, i.e. the one of the page the citizen is filing on. Store the result
    with what the citizen files (portal.models.LanguageField) and pass it back to `notify(language=...)`."""
    supported = [code for code, _name in settings.LANGUAGES]
    for candidate in (language, translation.get_language()):
        code = (candidate or "").lower().split("-")[0].split("_")[0]
        if code in supported:
            return code
    return settings.LANGUAGE_CODE


def render_message(event: str, language: str, context: dict) -> tuple[str, str]:
    """First line the subject, the rest the body. The template is `notifications/<event>.<lang>.txt`, else one
    `notifications/<event>.txt` written with {% translate %}; both are rendered with `language` active, so lazy
    labels in the context (statuses, choices) come out in the citizen's language, not the staff member's."""
    language = citizen_language(language)
    with translation.override(language):
        text = render_to_string([f"notifications/{event}.{language}.txt", f"notifications/{event}.txt",
                                 f"notifications/{event}.{settings.LANGUAGE_CODE}.txt"], context)
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip()


def notify(*, organization, event: str, channel: str, recipient: str, context: dict,
           language: str | None = None, related=None) -> Notification | None:
    """Write one outbox row; nothing is sent unless the surrounding transaction commits. `language` is the one
    the citizen used (stored on their record); the text is rendered in it now and kept on the row."""
    if not recipient or channel not in Notification.Channel.values:
        return None
    language = citizen_language(language or settings.LANGUAGE_CODE)
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
    from portal.notifications.tasks import deliver

    try:
        deliver.apply_async(args=[notification_id], retry=False)
        return True
    except Exception as exc:  # kombu raises several transport-specific errors
        log.warning("notification %s left pending, broker unavailable: %s", notification_id, exc)
        return False


SCRUBBED = Notification.SCRUBBED


def scrub(related) -> int:
    """Personal data erased (PDPA): the outbox rows about `related` lose their recipient and text. Rows not yet
    sent are cancelled (marked failed) rather than sent to nobody. Returns how many rows were scrubbed."""
    from django.utils import timezone

    rows = Notification.objects.filter(related_type=related._meta.label_lower, related_id=str(related.pk))
    rows.exclude(status=Notification.Status.SENT).update(status=Notification.Status.FAILED,
                                                         last_error="anonymised before delivery")
    return rows.update(recipient=SCRUBBED, subject=SCRUBBED, body=SCRUBBED, claimed_at=None,
                       next_attempt_at=timezone.now())
