"""An organization's own host name (e.g. www.khamyai.go.th, `portal.models.OrganizationHost`).

- `OrganizationHostMiddleware` (right after /healthz) looks the request's host up; on a registered host it serves
  `portal.web.host_urls`, where every page of the organization sits at the root instead of under /<slug>/
  (`/complaints/new/` rather than `/khamyai/complaints/new/`), and its home page is `/`. The shared host keeps
  `portal.urls`, and `/<slug>/` there keeps working.
- Links follow the host the citizen used: the `orghost` path converter gives the views the host's slug and turns
  that slug back into nothing when a URL is reversed, so `{% url 'complaints:new' organization.slug %}` is
  `/complaints/new/` on the organization's host and `/khamyai/complaints/new/` on the shared one.
- `REGISTERED_HOSTS` (one entry of settings.ALLOWED_HOSTS) accepts the registered names, so Django's host check,
  and with it the CSRF origin check (same host), take them without a restart.

The host → organization lookup is a Memo: this process, then the shared cache, then one query; saving or deleting
a host, or saving its organization, forgets it.
"""

import contextvars

from django.http.request import split_domain_port

# The slug of the organization whose host serves the current request ("" on the shared host).
current_host_slug = contextvars.ContextVar("current_host_slug", default="")

_memo = None


def _load(host):
    from portal.models import OrganizationHost

    # "" (cached like any value) for a name nobody registered: an unknown host costs one query per minute at most.
    return OrganizationHost.objects.filter(host=host).values_list("organization__slug", flat=True).first() or ""


def _hosts_of_organization(organization):
    return list(organization.hosts.values_list("host", flat=True))


def _host_memo():
    global _memo
    if _memo is None:
        from portal.machinery.cache import Memo
        from portal.models import Organization, OrganizationHost

        _memo = Memo("portal-org-hosts", _load, seconds=60, local_seconds=5, invalidate_on=[
            (OrganizationHost, lambda instance: instance.host),
            (Organization, _hosts_of_organization),
        ])
    return _memo


def normalize(host: str) -> str:
    domain, _port = split_domain_port(host or "")
    return domain.rstrip(".")


def organization_slug_for_host(host: str) -> str:
    """The slug of the organization that registered `host` (port ignored), else ""."""
    domain = normalize(host)
    if not domain or len(domain) > 253:
        return ""
    return _host_memo().get(domain) or ""


class RegisteredHosts(str):
    """An ALLOWED_HOSTS entry equal to every registered host name. Django compares each entry with the request's
    host (`pattern == host` in django.utils.http.is_same_domain, after `pattern.lower()`); this one answers by
    looking the host up. It is a plain entry of a plain list, so copies of the setting (the test runner's) keep it."""

    def __new__(cls):
        return super().__new__(cls, "registered-organization-hosts")

    def lower(self):
        return self

    def __eq__(self, other):
        return isinstance(other, str) and bool(organization_slug_for_host(other))

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = str.__hash__


class OrganizationHostConverter:
    """`<orghost:org_slug>`: matches nothing in the path; the slug is the one of the host being served."""

    regex = ""

    def to_python(self, value):
        slug = current_host_slug.get()
        if not slug:
            raise ValueError("not on an organization's host")
        return slug

    def to_url(self, value):
        if str(value) != current_host_slug.get():
            raise ValueError("another organization")  # reverse() then fails rather than link across hosts
        return ""


class OrganizationHostMiddleware:
    """On an organization's registered host: its URL conf without the /<slug>/ prefix (see the module's text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        # The host Django's own check reads (HttpRequest._get_raw_host), before any middleware asked for it.
        raw = (request.META.get("HTTP_X_FORWARDED_HOST", "") if settings.USE_X_FORWARDED_HOST else "") or \
            request.META.get("HTTP_HOST", "")
        slug = organization_slug_for_host(raw.lower())
        if not slug:
            return self.get_response(request)
        request.urlconf = "portal.web.host_urls"
        request.organization_host_slug = slug
        token = current_host_slug.set(slug)
        try:
            return self.get_response(request)
        finally:
            current_host_slug.reset(token)
