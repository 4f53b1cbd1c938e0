"""Encryption at rest for the few fields that must be readable again (a corruption reporter's contact details, the
secrets an organization enters),
with `cryptography`'s Fernet (AES-128-CBC + HMAC-SHA256, authenticated).

Keys: settings.FIELD_ENCRYPTION_KEYS, a list of Fernet keys (`Fernet.generate_key()`), newest first; older keys
still decrypt, so a key is rotated by putting a new one in front (MultiFernet). Without the setting (development)
one key is derived from SECRET_KEY; production refuses to start without the setting (portal.settings).
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
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


# Secrets an organization enters (bank-callback keys, LINE channel credentials, any API credential): sealed in the
# database, readable in memory only by the code that uses them, and never shown or recorded again. A field is a
# secret by being a SealedCharField: the audit log (portal.audit.trail), the admin and error reports all key on that.

REDACTED = "********"


class _Keep:
    """What an empty replace box means: keep the secret as it is."""

    def __bool__(self):
        return False


KEEP = _Keep()


class SecretInput(forms.PasswordInput):
    """A replace box: never renders the value, says whether one is set."""

    template_name = "portal/widgets/secret_input.html"

    def __init__(self, attrs=None):
        super().__init__(attrs={"autocomplete": "new-password", **(attrs or {})}, render_value=False)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, None, attrs)
        context["widget"]["is_set"] = bool(value) and value is not KEEP
        return context


class SecretFormField(forms.CharField):
    widget = SecretInput

    def __init__(self, *args, **kwargs):
        kwargs["required"] = False  # empty keeps what is there; a required secret comes with a default
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return value if value else KEEP

    def has_changed(self, initial, data):
        return bool(data)


class SealedCharField(models.TextField):
    """A secret string: Fernet-sealed (`fernet:…`) in the database, the plain value only in memory.

    `max_length` bounds what may be typed (the column is text: a sealed value is longer). Lookups by value cannot
    match (each sealing differs), which is as it should be for a secret."""

    secret = True
    description = _("รหัสลับเข้ารหัส")

    def from_db_value(self, value, expression, connection):
        return unseal(value) if value else ""

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(PREFIX):
            return unseal(value)
        return value or ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return ""
        return value if value.startswith(PREFIX) else seal(value)

    def value_to_string(self, obj):  # serializers (dumpdata) never see the plain value
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        # the replace box whatever widget the admin would pick for a text column; never echo the value in a
        # hidden "initial" input (Django adds one for a callable default)
        kwargs.update(form_class=SecretFormField, widget=SecretInput, show_hidden_initial=False)
        return super().formfield(**kwargs)

    def save_form_data(self, instance, data):
        if data is not KEEP:
            super().save_form_data(instance, data)


def secret_field_names(model) -> frozenset:
    """Names of the model's secret fields (name and attname alike)."""
    return frozenset(name for f in model._meta.concrete_fields if getattr(f, "secret", False)
                     for name in (f.name, f.attname))


def redact_value(value):
    return REDACTED if value not in ("", None, "None") else value


def redact_changes(changes, names):
    """An audit row's field diff with each secret's old and new value replaced by set/not-set."""
    if not isinstance(changes, dict):
        return changes
    out = dict(changes)
    for name in names & out.keys():
        value = out[name]
        if isinstance(value, list | tuple):
            out[name] = [redact_value(v) for v in value]
        elif isinstance(value, dict):  # auditlog's m2m/extended forms
            out[name] = {k: REDACTED for k in value}
        else:
            out[name] = redact_value(value)
    return out


def seal_existing(apps, schema_editor, *, app_label, model_name, fields, reverse=False):
    """Data migration for a field becoming a SealedCharField: seal the values already in the column, and blank
    them in the audit rows written before (they must be treated as exposed: README says how to rotate them).
    With `reverse`, unseal the column again (the audit rows stay redacted)."""
    model = apps.get_model(app_label, model_name)
    columns = [model._meta.get_field(name).column for name in fields]
    quote = schema_editor.connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {', '.join(quote(c) for c in columns)} FROM {table}")
        rows = cursor.fetchall()
        for key, *values in rows:
            for column, value in zip(columns, values, strict=True):
                if not value or value.startswith(PREFIX) != reverse:
                    continue
                new = unseal(value) if reverse else seal(value)
                cursor.execute(f"UPDATE {table} SET {quote(column)} = %s WHERE {pk} = %s", [new, key])
    if reverse:
        return
    database = schema_editor.connection.alias  # the database being migrated, not necessarily "default"
    content_type = apps.get_model("contenttypes", "ContentType").objects.using(database).filter(
        app_label=app_label, model=model_name.lower()).first()
    if content_type is None:
        return
    names = frozenset(fields)
    for entry in apps.get_model("auditlog", "LogEntry").objects.using(database).filter(
            content_type=content_type).iterator():
        changes = redact_changes(entry.changes, names)
        data = entry.serialized_data
        if isinstance(data, dict) and isinstance(data.get("fields"), dict):
            data["fields"] = {k: (REDACTED if k in names and v else v) for k, v in data["fields"].items()}
        mentions = bool(names & (entry.changes or {}).keys()) if isinstance(entry.changes, dict) else False
        if changes != entry.changes or (mentions and entry.changes_text) or data != entry.serialized_data:
            entry.changes, entry.serialized_data = changes, data
            entry.changes_text = "" if mentions else entry.changes_text
            entry.save(update_fields=["changes", "changes_text", "serialized_data"])
