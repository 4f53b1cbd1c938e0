"""Rate limits for anonymous endpoints, fitted to citizens.

    @limited("10/h", group="complaints-submit")            # per organization and client address
    def complaint_new(request, org_slug): ...
        ...
        complaint = services.submit_complaint(...)
        count_accepted(request)                           # only accepted submissions use up the allowance

- Per organization: the counter key holds the view's `org_slug`, so a citizen who files with two municipalities
  has two allowances.
- count="accepted" (the default): a request is refused once the allowance is used up, but only accepted
  submissions count (the view calls `count_accepted`); a form sent back with errors costs nothing.
  count="all": every request in `methods` counts (lookups, scans, GET feeds).
- The client address comes from settings.TRUSTED_PROXY_DEPTH (`client_ip`); an IPv6 client counts by its /64
  (one subscriber is given a whole /64, so single IPv6 addresses cost nothing).
- A refused request gets 429 with the organization's page saying, in Thai, when to try again; a view can pass
  `on_limited` to answer with its own page instead (e.g. the form again with what was typed).
- Counters live in the cache (Redis in production). When the cache is unreachable, a per-process counter takes
  over: limits stay (per worker), intake keeps working.
"""

import ipaddress
import logging
import math
import re
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.shortcuts import render
from django.utils.connection import ConnectionProxy
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\w*\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """"10/h" -> (10, 3600); "5/10m" -> (5, 600)."""
    match = _RATE.match(rate or "")
    if not match:
        raise ValueError(f"bad rate {rate!r}: use e.g. '10/h', '30/m', '5/10m'")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _UNITS[unit]


def _valid_ip(value: str) -> str | None:
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [IPv6]:port
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address. With settings.TRUSTED_PROXY_DEPTH = N > 0, each of the N trusted proxies appended
    the address it saw to X-Forwarded-For, so the client is the N-th entry from the right; entries further left
    were written by the client and are ignored. Depth 0: the socket address."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"
    depth = int(getattr(settings, "TRUSTED_PROXY_DEPTH", 0) or 0)
    if depth <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    candidate = forwarded[-depth] if len(forwarded) >= depth else forwarded[0]
    return _valid_ip(candidate) or remote


def client_key(request) -> str:
    """The client as limits count it: its IPv4 address, or the /64 network of its IPv6 address."""
    address = ipaddress.ip_address(client_ip(request))
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


class _LocalCounters:
    """Per-process fallback while the shared cache is down."""

    def __init__(self):
        self._lock = threading.Lock()
        self._values: dict[str, tuple[int, float]] = {}

    def get(self, key):
        with self._lock:
            value, expires = self._values.get(key, (0, 0.0))
            return value if expires > time.monotonic() else 0

    def incr(self, key, timeout):
        with self._lock:
            now = time.monotonic()
            if len(self._values) > 50_000:
                self._values = {k: v for k, v in self._values.items() if v[1] > now}
            value, expires = self._values.get(key, (0, 0.0))
            if expires <= now:
                value, expires = 0, now + timeout
            self._values[key] = (value + 1, expires)
            return value + 1


_local = _LocalCounters()


def _get(key) -> int:
    try:
        return int(cache.get(key) or 0)
    except Exception:
        log.warning("rate-limit cache unreachable; using the per-process counter")
        return _local.get(key)


def _redis_client(backend):
    """Django builds a new redis client object (a few hundred callbacks) on every call; its connection pool is
    shared anyway, so one client per backend will do."""
    client = getattr(backend, "_ratelimit_client", None)
    if client is None:
        client = backend._ratelimit_client = backend._cache.get_client(write=True)
    return client


def _incr(key, timeout) -> int:
    try:
        backend = caches["default"] if isinstance(cache, ConnectionProxy) else cache
        if isinstance(backend, RedisCache) and getattr(backend, "available", True):
            # One round trip (INCR) where add() + incr() take three; the window's first hit also sets its expiry.
            # Were that second call lost, the key would only outlive its window: its name holds the window.
            full_key = backend.make_and_validate_key(key)
            client = _redis_client(backend)
            count = int(client.incr(full_key))
            if count == 1:
                client.expire(full_key, timeout)
            return count
        cache.add(key, 0, timeout)
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1
    except Exception:
        log.warning("rate-limit cache unreachable; using the per-process counter")
        return _local.incr(key, timeout)


class _Bucket:
    def __init__(self, group, rate, request, org_key, subject=None):
        self.limit, self.period = parse_rate(rate)
        now = time.time()
        window = int(now // self.period)
        self.retry_after = max(1, math.ceil((window + 1) * self.period - now))
        subject = client_key(request) if subject is None else subject
        self.key = f"rl:{group}:{org_key}:{subject}:{self.period}:{window}"

    def used(self) -> int:
        return _get(self.key)

    def hit(self) -> int:
        return _incr(self.key, self.period + 5)


def _enabled() -> bool:
    return getattr(settings, "RATELIMIT_ENABLE", True)


def limited(rate: str, *, group: str, per_organization: bool = True, count: str = "accepted",
            methods=("POST",), on_limited=None, organization_key=None):
    """View decorator; see the module docstring. `on_limited(request, retry_after_seconds, *args, **kwargs)`
    may answer a refused request itself (it must return a 429). `organization_key(request, *args, **kwargs)`
    names the organization when the URL has no `org_slug` (e.g. Open311's jurisdiction_id)."""
    if count not in ("accepted", "all"):
        raise ValueError("count must be 'accepted' or 'all'")
    parse_rate(rate)  # fail at import time on a bad rate
    methods = tuple(m.upper() for m in methods) if methods else None

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _enabled() or (methods is not None and request.method not in methods):
                return view(request, *args, **kwargs)
            if not per_organization:
                org_key = "*"
            elif organization_key is not None:
                org_key = str(organization_key(request, *args, **kwargs) or "-")[:80]
            else:
                org_key = kwargs.get("org_slug", "-")
            bucket = _Bucket(group, rate, request, org_key)
            if count == "all":
                over = bucket.hit() > bucket.limit
            else:
                over = bucket.used() >= bucket.limit
            if over:
                if on_limited is not None:
                    return on_limited(request, bucket.retry_after, *args, **kwargs)
                return ratelimited_response(request, retry_after_seconds=bucket.retry_after,
                                            organization=_organization(kwargs.get("org_slug")))
            if count == "accepted":
                buckets = getattr(request, "_ratelimit_accept", [])
                request._ratelimit_accept = [*buckets, bucket]
            return view(request, *args, **kwargs)

        wrapper.ratelimit = {"rate": rate, "group": group, "count": count, "methods": methods}
        return wrapper

    return decorator


class WindowThrottle:
    """A DRF throttle on the same fixed-window counters as `limited`: one cache round trip per request (DRF's
    SimpleRateThrottle reads and rewrites the list of every request's time in the window). Subclasses set `scope`
    and `get_rate()` ("20/min")."""

    scope = "api"

    def get_rate(self) -> str:
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        limit, period = parse_rate(self.get_rate())
        now = time.time()
        window = int(now // period)
        self.retry_after = max(1, math.ceil((window + 1) * period - now))
        return _incr(f"rl:api-{self.scope}:{client_key(request)}:{period}:{window}", period + 5) <= limit

    def wait(self) -> int:
        return getattr(self, "retry_after", None)

    def get_ident(self, request) -> str:
        return client_ip(request)


def count_accepted(request) -> None:
    """Called by a view after a submission was accepted: uses up one unit of each limit on this request."""
    for bucket in getattr(request, "_ratelimit_accept", []):
        bucket.hit()
    request._ratelimit_accept = []


def hit(request, *, group: str, rate: str) -> bool:
    """Count one use of `group` by this client (all organizations together) outside a view decorator; False once
    the allowance is used up. Always True when rate limits are off."""
    if not _enabled():
        return True
    bucket = _Bucket(group, rate, request, "*")
    return bucket.hit() <= bucket.limit


def hit_subject(*, group: str, subject: str, rate: str) -> tuple[bool, int]:
    """Count one use of `group` for a named subject (a hashed phone number, a bill number, a tracking code) rather
    than the client address: (still allowed, seconds until the window ends). Always counts, even with
    RATELIMIT_ENABLE off (unlike `allowance`): callers use it where the limit bounds a cost or a guess (one-time
    codes, ID digits)."""
    bucket = _Bucket(group, rate, None, "*", subject=str(subject)[:120])
    return bucket.hit() <= bucket.limit, bucket.retry_after


def allowance(*, group: str, rate: str, subject: str, request=None, organization: str = "*"):
    """A counter for something other than the client address (a ticket, a phone number): `.used()`, `.hit()`,
    `.limit`, `.retry_after`, on the same shared counters as `limited`. None when rate limits are off."""
    if not _enabled():
        return None
    return _Bucket(group, rate, request, organization, subject=str(subject)[:120])


def _organization(org_slug):
    if not org_slug:
        return None
    from portal.models import Organization

    return Organization.objects.filter(slug=org_slug, is_active=True).first()


def retry_message(retry_after_seconds: int) -> str:
    minutes = math.ceil(retry_after_seconds / 60)
    if retry_after_seconds < 60:
        return _("มีคำขอมากเกินไป กรุณาลองใหม่ในอีก %(n)s วินาที") % {"n": retry_after_seconds}
    if minutes < 120:
        return _("มีคำขอมากเกินไป กรุณาลองใหม่ในอีก %(n)s นาที") % {"n": minutes}
    return _("มีคำขอมากเกินไป กรุณาลองใหม่ในอีก %(n)s ชั่วโมง") % {"n": math.ceil(minutes / 60)}


def ratelimited_response(request, *, retry_after_seconds: int, organization=None, template=None, context=None):
    """429 with a Retry-After header and, for browsers, the organization's page saying when to try again.
    `template`/`context` let a view show its own page (e.g. its form with the typed text) in the same answer."""
    retry_after_seconds = max(1, int(retry_after_seconds))
    message = retry_message(retry_after_seconds)
    if template or request.accepts("text/html"):
        response = render(request, template or "portal/ratelimited.html", {
            "organization": organization, "message": message, "retry_after": retry_after_seconds,
            "status": 429, **(context or {})}, status=429)
    else:
        from django.http import HttpResponse

        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after_seconds)
    response["Cache-Control"] = "no-store"
    return response
