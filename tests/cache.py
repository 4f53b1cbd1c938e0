"""Redis cache for test processes that share one Redis database (pytest-xdist workers)."""

from django.core.cache.backends.redis import RedisCache


class WorkerRedisCache(RedisCache):
    """clear() deletes this cache's KEY_PREFIX keys only (Django's would FLUSHDB under every other worker)."""

    def clear(self):
        if not self.key_prefix:
            return super().clear()
        client = self._cache.get_client(None, write=True)
        batch = []
        for key in client.scan_iter(match=f"{self.key_prefix}:*", count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
        return True
