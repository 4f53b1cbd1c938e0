"""Delivery channels. Each raises on failure; the task decides about retries."""

import requests
from django.conf import settings
from django.core.mail import EmailMessage

from portal.notifications import sms


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
    org = notification.organization
    token = org.line_channel_access_token or settings.LINE_CHANNEL_ACCESS_TOKEN
    if not token:
        raise PermanentError("no LINE channel access token configured")
    response = requests.post(
        f"{settings.LINE_API_BASE.rstrip('/')}/v2/bot/message/push",
        headers={
            "Authorization": f"Bearer {token}",
            # LINE accepts a push once per retry key: a repeated attempt after a lost response is not resent.
            "X-Line-Retry-Key": str(notification.uuid),
        },
        json={"to": notification.recipient,
              "messages": [{"type": "text", "text": f"{notification.subject}\n{notification.body}"[:5000]}]},
        timeout=10,
    )
    if response.status_code == 409:
        return  # already accepted under this retry key
    if 400 <= response.status_code < 500 and response.status_code != 429:
        raise PermanentError(f"LINE {response.status_code}: {response.text[:300]}")
    response.raise_for_status()


SENDERS = {"email": send_email, "sms": send_sms, "line": send_line}
