"""The organization home page's own part (name, place, service links, contact, LINE, emergency numbers), rendered
once per organization, language and kind of host, and kept.

The page is the most visited of an organization and changes seldom, while building it cost four queries (the
organization and one per service app deciding its links) and most of the template. `FRONT_DOOR` keeps the rendered
part per organization slug as a dict of variants (`"<language>:<own host or shared>"`): this process for a few
seconds, then the shared cache, then it is rendered. A visitor without a session (most citizens) is served the
whole page kept per host too, with only the CSRF token of the language switch put in; one with a session (staff,
messages to show) gets the thin shell rendered around the kept part.

Forgotten (both here and in the shared cache, again after the transaction commits, like every `Memo`) when:
- the organization is saved or deleted (contact, LINE id, deactivation; also its former slug when the slug changes);
- a row of a model a service app names in `service_links_models` (portal.registry) is saved or deleted: those
  decide which links the app offers;
- a write that bypasses signals on one of those models and announces itself (`portal.machinery.changes.announce`,
  e.g. the tax assessment's bulk-issued bills) forgets the pages of the organizations it names, after commit;
- other writes that bypass signals (`QuerySet.update()` not announced) are seen after `SECONDS` at the latest.
Other processes see a change after `LOCAL_SECONDS`.
"""

import hashlib
import time

from django.core.cache import cache
from django.db.models import signals

from portal.machinery.cache import Memo
from portal.machinery.dbrouting import primary

SECONDS = 300
LOCAL_SECONDS = 5
# Stands for the CSRF token in a kept whole page; each response gets its own token in its place.
CSRF_PLACEHOLDER = "csrf-token-of-this-request-8f3a1c"


class VariantMemo(Memo):
    """A Memo whose value per key is a dict of variants, each built on first use by the caller. At most
    `max_variants` are kept per key (a variant named by the request's host must not let odd Host headers grow it);
    past that a variant is built and not kept."""

    max_variants = 32

    def get_variant(self, key, variant, build):
        now = time.monotonic()
        local = self._local.get(key)
        variants = local[1] if local is not None and now - local[0] < self.local_seconds else None
        if variants is None:
            variants = cache.get(self.cache_key(key)) or {}
            self._local[key] = (now, variants)
        if variant not in variants:
            with primary():  # kept for every node: never from a lagging replica (portal.machinery.dbrouting)
                value = build()
            if value is None or len(variants) >= self.max_variants:
                return value
            variants = {**variants, variant: value}
            cache.set(self.cache_key(key), variants, self.seconds)
            self._local[key] = (now, variants)
        return variants[variant]


FRONT_DOOR = VariantMemo("portal-front-door", loader=None, seconds=SECONDS, local_seconds=LOCAL_SECONDS)


def _organization_slug(instance):
    from portal.models import Organization

    if not getattr(instance, "organization_id", None):
        return None
    return Organization.objects.filter(pk=instance.organization_id).values_list("slug", flat=True).first()


def _forget_former_slug(sender, instance, raw=False, **kwargs):
    if raw or not instance.pk:
        return
    former = type(instance).objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if former and former != instance.slug:
        FRONT_DOOR.forget(former)


def _forget_announced(sender, organization_ids, **kwargs):
    """portal.machinery.changes.rows_changed: bulk writes to a model deciding the home's links."""
    from portal.models import Organization

    if sender not in _LINK_MODELS:
        return
    for slug in Organization.objects.filter(pk__in=organization_ids).values_list("slug", flat=True):
        FRONT_DOOR.forget(slug)


_LINK_MODELS: set = set()


def connect():
    """Wire the invalidation (portal's AppConfig.ready, so every process forgets, not only the ones that render)."""
    from portal.machinery import changes
    from portal.models import Organization, OrganizationSetup
    from portal.registry import service_apps

    FRONT_DOOR.invalidate_on(Organization, lambda organization: organization.slug)
    # the set-up wizard switches services off the home page
    FRONT_DOOR.invalidate_on(OrganizationSetup, _organization_slug)
    signals.pre_save.connect(_forget_former_slug, sender=Organization, dispatch_uid="portal-front-door-slug")
    for config in service_apps():
        for model_name in config.service_links_models:
            FRONT_DOOR.invalidate_on(config.get_model(model_name), _organization_slug)
            _LINK_MODELS.add(config.get_model(model_name))
    changes.rows_changed.connect(_forget_announced, dispatch_uid="portal-front-door-announced")


def qr_version(text: str) -> str:
    """A short digest of the QR's text, put in the image's URL so a new LINE id is a new URL for browsers."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]
