"""`/healthz`: each dependency's state, for an orchestrator.

Answered by `HealthCheckMiddleware`, first in the chain, so it works behind any host name and without TLS (the
container's own healthcheck calls http://127.0.0.1:8000/healthz while ALLOWED_HOSTS names the public host and
SECURE_SSL_REDIRECT is on). It reveals nothing but up/down per dependency.

JSON: {"status": "ok" | "degraded" | "down", "checks": {"database": {...}, "cache": {...}, "broker": {...}}}
- database down: 503 "down" (nothing works without it);
- cache or broker (Redis) down: 200 "degraded": citizen intake still works (the cache falls back to a per-process
  memory, notifications wait in the outbox), but an operator should look. `?strict=1` answers 503 when degraded.
"""

import time

from django.conf import settings
from django.http import JsonResponse

TIMEOUT = 1.0


def _timed(check) -> dict:
    started = time.monotonic()
    try:
        state = check()
    except Exception as exc:  # any failure is "down", with its class name only
        return {"status": "down", "error": type(exc).__name__, "ms": round((time.monotonic() - started) * 1000, 1)}
    return {"status": state or "ok", "ms": round((time.monotonic() - started) * 1000, 1)}


def check_database():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache():
    from django.core.cache import cache

    ping = getattr(cache, "ping", None)
    if ping is None:
        return "local"  # an in-process cache: nothing to reach
    ping()


def check_broker():
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not url.startswith(("redis://", "rediss://")):
        return "local"
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
    try:
        client.ping()
    finally:
        client.close()


def report() -> tuple[dict, int]:
    checks = {"database": _timed(check_database), "cache": _timed(check_cache), "broker": _timed(check_broker)}
    if checks["database"]["status"] == "down":
        status = "down"
    elif any(c["status"] == "down" for c in checks.values()):
        status = "degraded"
    else:
        status = "ok"
    return {"status": status, "checks": checks}, 503 if status == "down" else 200


def healthz(request):
    body, code = report()
    if body["status"] == "degraded" and request.GET.get("strict"):
        code = 503
    response = JsonResponse(body, status=code)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """First middleware: /healthz is answered before host validation and the HTTPS redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in ("/healthz", "/healthz/") and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
