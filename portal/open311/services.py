"""The API keys' writes and lookups: keys are created by `manage.py create_api_key` (the raw key is printed once,
only its hash is kept) and checked on every Open311 POST from a cached directory of each organization's keys."""

import hashlib
import secrets
import time

from django.db import transaction
from django.utils import timezone

from portal.audit import trail as audit
from portal.machinery.cache import Memo
from portal.models import ApiKey, Organization


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_api_key(*, organization, name: str, actor) -> tuple[ApiKey, str]:
    """A new Open311 key; `actor` is who asked for it (the management command names itself, a SystemActor). Only
    its hash is stored: the raw key is returned once."""
    raw = f"{organization.slug[:8]}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(organization=organization, name=name[:100], prefix=raw[:12], key_hash=hash_key(raw))
    audit.record(key, actor=actor, event="open311.apikey.created", action=audit.Action.CREATE,
                 changes={"name": key.name, "prefix": key.prefix})
    return key, raw


_last_touch: dict[int, float] = {}


def _touch_key(key_id, last_used_at=None) -> None:
    """Record that a key was used, at most one write a minute per key and process: busy clients do not turn every
    request into two writes."""
    now = time.monotonic()
    if now - _last_touch.get(key_id, -1e9) < 60:
        return
    _last_touch[key_id] = now
    if last_used_at is None or (timezone.now() - last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key_id).update(last_used_at=timezone.now())


# In front of the shared cache, each process keeps what it last read for a few seconds (a Redis round trip costs
# about as much as the INSERT of a complaint). A revoked key is refused by the process that revoked it at once, by
# the others within KEYS_LOCAL_SECONDS, and after KEYS_CACHE_SECONDS when it was revoked by a queryset.update().
KEYS_CACHE_SECONDS = 60
KEYS_LOCAL_SECONDS = 5


def _load_keys(organization_slug: str) -> dict | None:
    organization = (Organization.objects.filter(slug=organization_slug, is_active=True)
                    .defer("line_channel_secret", "line_channel_access_token").first())
    if organization is None:
        return None
    keys = dict(ApiKey.objects.filter(organization=organization, is_active=True).values_list("key_hash", "pk"))
    return {"organization": organization, "keys": keys}


def _slug_of(instance):
    if isinstance(instance, Organization):
        return instance.slug
    return Organization.objects.filter(pk=instance.organization_id).values_list("slug", flat=True).first()


KEYS = Memo("open311-keys", _load_keys, seconds=KEYS_CACHE_SECONDS, local_seconds=KEYS_LOCAL_SECONDS,
            invalidate_on=[(Organization, _slug_of), (ApiKey, _slug_of)])


def organization_for_key(organization_slug: str, raw: str):
    """The active organization `organization_slug` when `raw` is one of its active keys, else None. From the
    cached directory: no query when warm."""
    if not (raw and organization_slug):
        return None
    data = KEYS.get(organization_slug)
    if data is None:
        return None
    key_id = data["keys"].get(hash_key(raw))
    if key_id is None:
        return None
    _touch_key(key_id)
    return data["organization"]
