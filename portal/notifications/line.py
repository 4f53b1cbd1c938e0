"""The one client of the LINE Messaging API: the signature LINE puts on a webhook, replies to a webhook event, the
outbox's pushes and a message's content (a citizen's photo). Complaints' LINE webhook and the outbox's LINE channel
both talk to LINE through here, so the token, the API addresses and the limits live in one place.

An organization may have its own LINE Official Account (`line_channel_secret`, `line_channel_access_token`); the
installation's (settings.LINE_CHANNEL_SECRET / LINE_CHANNEL_ACCESS_TOKEN) is used where it has none.
"""

import base64
import hashlib
import hmac

import requests
from django.conf import settings

TEXT_MAX = 5000  # LINE's limit on one text message


class LineRefused(Exception):
    """LINE answered that the message can never be delivered as it is (a 4xx other than 409 and 429)."""


def verify_signature(secret: str, body: bytes, signature: str) -> bool:
    """X-Line-Signature is base64(HMAC-SHA256(channel secret, raw body))."""
    if not secret or not signature:
        return False
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode(), signature)


def channel_secret(organization) -> str:
    return organization.line_channel_secret or settings.LINE_CHANNEL_SECRET


def access_token(organization) -> str:
    return organization.line_channel_access_token or settings.LINE_CHANNEL_ACCESS_TOKEN


def _api(path: str) -> str:
    return f"{settings.LINE_API_BASE.rstrip('/')}{path}"


def _text(text: str) -> list[dict]:
    return [{"type": "text", "text": text[:TEXT_MAX]}]


def reply(organization, reply_token: str, text: str, *, timeout: float = 5) -> None:
    """Answer a webhook event (its reply token is good once, for a short while). Raises requests' errors."""
    requests.post(_api("/v2/bot/message/reply"), headers={"Authorization": f"Bearer {access_token(organization)}"},
                  json={"replyToken": reply_token, "messages": _text(text)}, timeout=timeout).raise_for_status()


def push(organization, to: str, text: str, *, retry_key: str, timeout: float = 10) -> None:
    """Send `text` to a LINE user. LINE accepts one push per retry key: a repeated attempt after a lost answer is
    not sent twice (LINE answers 409, taken as delivered). Raises LineRefused for an answer no retry can change,
    requests' errors for the rest (a retry may succeed)."""
    response = requests.post(
        _api("/v2/bot/message/push"),
        headers={"Authorization": f"Bearer {access_token(organization)}", "X-Line-Retry-Key": retry_key},
        json={"to": to, "messages": _text(text)}, timeout=timeout)
    if response.status_code == 409:
        return  # already accepted under this retry key
    if 400 <= response.status_code < 500 and response.status_code != 429:
        raise LineRefused(f"LINE {response.status_code}: {response.text[:300]}")
    response.raise_for_status()


def message_content(organization, message_id: str, *, max_bytes: int, timeout: float = 10) -> bytes | None:
    """The content of a message a user sent (a photo), read up to `max_bytes`; None when it is larger."""
    base = getattr(settings, "LINE_DATA_API_BASE", "https://api-data.line.me").rstrip("/")
    response = requests.get(f"{base}/v2/bot/message/{message_id}/content",
                            headers={"Authorization": f"Bearer {access_token(organization)}"}, timeout=timeout,
                            stream=True)
    response.raise_for_status()
    data = response.raw.read(max_bytes + 1, decode_content=True)
    return None if len(data) > max_bytes else data
