"""Encryption at rest for the few fields that must be readable again (a corruption reporter's contact details),
with `cryptography`'s Fernet (AES-128-CBC + HMAC-SHA256, authenticated).

Keys: settings.FIELD_ENCRYPTION_KEYS, a list of Fernet keys (`Fernet.generate_key()`), newest first; older keys
still decrypt, so a key is rotated by putting a new one in front (MultiFernet). Without the setting (development)
one key is derived from SECRET_KEY; production refuses to start without the setting (portal.settings).
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PREFIX = "fernet:"


def _fernet() -> MultiFernet:
    keys = list(getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or [])
    if not keys:
        digest = hashlib.sha256(b"portal-field-encryption:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest)]
    return MultiFernet([Fernet(k) for k in keys])


def seal(text: str) -> str:
    if not text:
        return ""
    return PREFIX + _fernet().encrypt(text.encode()).decode()


def unseal(token: str) -> str:
    if not token:
        return ""
    if not token.startswith(PREFIX):
        raise ValueError("not a sealed value")
    try:
        return _fernet().decrypt(token[len(PREFIX):].encode()).decode()
    except InvalidToken as exc:
        raise ValueError("sealed value does not decrypt with the configured keys") from exc


class SealedJSONField(models.TextField):
    """A dict stored encrypted; the database only ever sees `fernet:...`."""

    description = _("ข้อมูลเข้ารหัส")

    def from_db_value(self, value, expression, connection):
        return json.loads(unseal(value)) if value else {}

    def to_python(self, value):
        if isinstance(value, dict):
            return value
        if not value:
            return {}
        return json.loads(unseal(value)) if value.startswith(PREFIX) else json.loads(value)

    def get_prep_value(self, value):
        if not value:
            return ""
        if isinstance(value, str) and value.startswith(PREFIX):
            return value
        return seal(json.dumps(value, ensure_ascii=False, sort_keys=True))
