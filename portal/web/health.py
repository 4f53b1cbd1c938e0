"""`/healthz`: each dependency's state, for an orchestrator.

Answered by `HealthCheckMiddleware`, first in the chain, so it works behind any host name and without TLS (the
container's own healthcheck calls http://127.0.0.1:8000/healthz while ALLOWED_HOSTS names the public host and
SECURE_SSL_REDIRECT is on). It reveals nothing but up/down per dependency.

JSON: {"status": "ok" | "degraded" | "down", "checks": {"database": {...}, "cache": {...}, "broker": {...},
"files": {...}}}
- database down: 503 "down" (nothing works without it);
- cache or broker (Redis) down: 200 "degraded": citizen intake still works (the cache falls back to a per-process
  memory, notifications wait in the outbox), but an operator should look. `?strict=1` answers 503 when degraded;
- file store down (either bucket not answering or refusing the portal's key, or a local folder that cannot be
  written): 200 "degraded" the same way: pages and forms without files still work. The check writes nothing: a
  HEAD of each bucket, or the folder's (or its nearest existing parent's) permissions.
"""

import os
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


def _check_store(storage) -> str | None:
    bucket = getattr(storage, "bucket_name", None)
    if bucket:  # S3-compatible: HEAD the bucket with the portal's key (reads and writes no object)
        import boto3
        from botocore.config import Config

        client = boto3.client(
            "s3", endpoint_url=storage.endpoint_url, region_name=storage.region_name, use_ssl=storage.use_ssl,
            verify=storage.verify,
            aws_access_key_id=storage.access_key, aws_secret_access_key=storage.secret_key,
            config=Config(connect_timeout=TIMEOUT, read_timeout=TIMEOUT, retries={"max_attempts": 1},
                          signature_version=storage.signature_version,
                          s3={"addressing_style": storage.addressing_style}))
        try:
            client.head_bucket(Bucket=bucket)
        finally:
            client.close()
        return None
    location = os.path.abspath(storage.location)
    while not os.path.exists(location):  # not made yet: the storage makes it on the first file
        parent = os.path.dirname(location)
        if parent == location:
            break
        location = parent
    if not os.path.isdir(location):
        raise NotADirectoryError
    if not os.access(location, os.W_OK | os.X_OK):
        raise PermissionError
    return "local"


def check_files():
    """The public media store and the private one, as configured (local folders or the two buckets)."""
    from django.core.files.storage import default_storage

    from portal.outputs.files import private_backend

    states = {_check_store(storage) for storage in (default_storage, private_backend())}
    return "local" if states == {"local"} else None


def report() -> tuple[dict, int]:
    checks = {"database": _timed(check_database), "cache": _timed(check_cache), "broker": _timed(check_broker),
              "files": _timed(check_files)}
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
