"""Django's cache backends with their operations timed for /metrics (portal/metrics.py, ADR 0102).

The Redis backend also keeps one `redis.Redis` client per connection pool: Django's client
builds a new one for every cache call, and each costs its table of ~170 response callbacks
(about 0.1 ms; a page makes three to five cache calls; bench/FINDINGS.md). A `redis.Redis`
takes a connection from its pool per command, so one is shared safely by a process's threads.
"""

from django.core.cache.backends.locmem import LocMemCache as _LocMemCache
from django.core.cache.backends.redis import RedisCache as _RedisCache
from django.core.cache.backends.redis import RedisCacheClient as _RedisCacheClient

from portal.metrics import TimedCacheMixin


class ReusingRedisCacheClient(_RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(TimedCacheMixin, _RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient


class LocMemCache(TimedCacheMixin, _LocMemCache):
    pass
