"""Delivery channels. Each raises on failure; the task decides about retries."""

from django.conf import settings
from django.core.mail import EmailMessage

from portal.notifications import line, sms


class PermanentError(Exception):
    """The message can never be delivered as it is (bad address, rejected by the provider): no retry."""


def message_id(notification) -> str:
    """The same Message-ID for every attempt at one outbox row: a resend after a worker died between the SMTP
    server accepting the message and the row being marked sent carries the id of the first, so mail servers and
    clients that de-duplicate on Message-ID show it once."""
    domain = getattr(settings, "EMAIL_MESSAGE_ID_DOMAIN", "") or settings.DEFAULT_FROM_EMAIL.rpartition("@")[2]
    return f"<notification-{notification.uuid}@{domain or 'localhost'}>"


def send_email(notification):
    EmailMessage(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [notification.recipient],
                 headers={"Message-ID": message_id(notification)}).send()


def send_sms(notification):
    sms.get_backend().send(notification.recipient, f"{notification.subject}\n{notification.body}",
                           idempotency_key=str(notification.uuid))


def send_line(notification):
    if not line.access_token(notification.organization):
        raise PermanentError("no LINE channel access token configured")
    try:
        line.push(notification.organization, notification.recipient, f"{notification.subject}\n{notification.body}",
                  retry_key=str(notification.uuid))
    except line.LineRefused as exc:
        raise PermanentError(str(exc)) from exc


SENDERS = {"email": send_email, "sms": send_sms, "line": send_line}
