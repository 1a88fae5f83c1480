"""Django's cache backends with their operations timed for /metrics (portal/metrics.py, ADR 0102)."""

from django.core.cache.backends.locmem import LocMemCache as _LocMemCache
from django.core.cache.backends.redis import RedisCache as _RedisCache

from portal.metrics import TimedCacheMixin


class RedisCache(TimedCacheMixin, _RedisCache):
    pass


class LocMemCache(TimedCacheMixin, _LocMemCache):
    pass
