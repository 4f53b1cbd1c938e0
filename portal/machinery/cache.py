"""Caching, in one place.

Two pieces:

1. `ResilientRedisCache`, the Django cache backend used whenever REDIS_URL is set. When Redis cannot be reached,
   every cache call falls back to a per-process memory cache instead of raising: cached lookups are rebuilt from
   the database, and whatever counts in the cache (django-ratelimit's buckets, DRF throttles) counts per process.
   After a failure Redis is not tried again for `RETRY_SECONDS`, so an outage costs one connection timeout per
   process, not one per call. Keys deleted during the outage are deleted from Redis again once it answers.

2. `Memo`: a named, read-mostly value derived from the database, with its invalidation written down beside it.
   Lookups go: this process's memo (at most `local_seconds` old) -> the shared cache (at most `seconds` old) ->
   the loader (the database). `forget(key)` drops it here and in the shared cache, again after the surrounding
   transaction commits (a request may have re-read the old rows meanwhile). Other processes notice within
   `local_seconds`.

Invalidation rules (every Memo declares them with `invalidate_on`):
- a Memo names the models its value is built from; saving or deleting a row of one of them calls
  `forget(keys(instance))` through post_save / post_delete signals wired here, in portal, not in the apps' models;
- writes that bypass signals (`QuerySet.update()`, raw SQL) are seen after `seconds` at the latest: keep it short
  for anything a citizen or a key holder would notice (e.g. a revoked API key);
- with Redis down, forget() still clears this process's memo; other processes see the change after
  `local_seconds`, and Redis forgets the key when it is back.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable

from django.core.cache import cache as default_cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models import signals

from portal.machinery.dbrouting import primary

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0


def _redis_errors():
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    """RedisCache that degrades to a per-process memory cache while Redis is unreachable."""

    _OPERATIONS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many",
                   "delete_many", "clear")

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        # Fail fast: a request must not wait seconds for a Redis that is gone.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, {**params, "OPTIONS": options})
        self.fallback = LocMemCache(f"resilient-fallback-{id(self)}", {
            "TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 5000}})
        self._down_until = 0.0
        self._forgotten: set[tuple[str, int | None]] = set()
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def ping(self):
        """For /healthz: raises when Redis does not answer (never falls back)."""
        self._cache.get_client(write=True).ping()

    def _call(self, name, *args, **kwargs):
        if self.available:
            try:
                if self._forgotten:
                    self._replay_forgotten()
                return getattr(super(), name)(*args, **kwargs)
            except _redis_errors() as exc:
                with self._lock:
                    if self.available:
                        log.warning("cache: Redis unreachable (%s); per-process memory for %ss",
                                    type(exc).__name__, RETRY_SECONDS)
                    self._down_until = time.monotonic() + RETRY_SECONDS
        if name in ("delete", "delete_many"):
            keys = args[0] if name == "delete_many" else [args[0]]
            version = kwargs.get("version")
            with self._lock:
                self._forgotten.update((key, version) for key in keys)
        return getattr(self.fallback, name)(*args, **kwargs)

    def _replay_forgotten(self):
        """Redis answers again: first delete what was forgotten while it was away (raises if it is not back)."""
        with self._lock:
            forgotten = set(self._forgotten)
        for key, version in forgotten:
            super().delete(key, version=version)
        with self._lock:
            self._forgotten -= forgotten
        self.fallback.clear()


def _make(name):
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in ResilientRedisCache._OPERATIONS:
    setattr(ResilientRedisCache, _name, _make(_name))


def new_token() -> str:
    """A fresh random version: what a kept answer is filed under until the next change replaces it."""
    import secrets

    return secrets.token_hex(8)


def version_token(key: str, seconds=None) -> str:
    """The version kept in the cache under `key`, made when there is none (changing it is replacing it with
    new_token(), or deleting it). `add`: a token another process has just made stays; a cache that keeps nothing
    gives every read its own version, so nothing stale is ever served."""
    value = default_cache.get(key)
    if value is None:
        default_cache.add(key, new_token(), seconds)
        value = default_cache.get(key) or new_token()
    return value


class Memo:
    """A read-mostly value per key, built by `loader(key)` (None means "nothing there" and is not cached)."""

    registry: dict[str, "Memo"] = {}

    def __init__(self, name: str, loader: Callable, *, seconds: int = 60, local_seconds: float = 0,
                 invalidate_on: Iterable[tuple[type, Callable]] = ()):
        self.name, self.loader = name, loader
        self.seconds, self.local_seconds = seconds, local_seconds
        self._local: dict = {}
        Memo.registry[name] = self
        for model, keys in invalidate_on:
            self.invalidate_on(model, keys)

    def cache_key(self, key) -> str:
        return f"memo:{self.name}:{key}"

    def get(self, key):
        now = time.monotonic()
        local = self._local.get(key)
        if local is not None and now - local[0] < self.local_seconds:
            return local[1]
        value = default_cache.get(self.cache_key(key))
        if value is None:
            with primary():  # kept for every node: never from a lagging replica (portal.machinery.dbrouting)
                value = self.loader(key)
            if value is None:
                return None
            default_cache.set(self.cache_key(key), value, self.seconds)
        if self.local_seconds:
            self._local[key] = (now, value)
        return value

    def forget(self, key) -> None:
        cache_key = self.cache_key(key)
        self._local.pop(key, None)
        default_cache.delete(cache_key)

        def again():
            self._local.pop(key, None)
            default_cache.delete(cache_key)

        transaction.on_commit(again)

    def forget_local(self) -> None:
        """This process's memo only (tests)."""
        self._local.clear()

    def invalidate_on(self, model, keys: Callable) -> None:
        """Forget `keys(instance)` (one key, an iterable of keys, or None) when a `model` row is saved or
        deleted."""
        def receiver(sender, instance, **kwargs):
            found = keys(instance)
            if found is None:
                return
            for key in ([found] if isinstance(found, str | int) else found):
                self.forget(key)

        uid = f"memo-{self.name}-{model._meta.label_lower}"
        signals.post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + "-save")
        signals.post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + "-delete")
