"""The Redis cache backend keeps one client per connection pool (portal/cache_backends.py)."""

from django.conf import settings
from django.core.cache.backends.redis import RedisCacheClient

from portal.cache_backends import RedisCache, ReusingRedisCacheClient


def _url():
    """The Redis `make test` runs against (REDIS_URL)."""
    return settings.CACHES["default"]["LOCATION"]


def _backend():
    return RedisCache(_url(), {"KEY_PREFIX": "cache-backend-test"})


def test_the_backend_uses_the_reusing_client():
    assert isinstance(_backend()._cache, ReusingRedisCacheClient)


def test_one_client_per_pool_where_django_builds_one_per_call():
    cache = _backend()._cache
    assert cache.get_client(write=True) is cache.get_client(write=False)
    assert cache.get_client(write=True).connection_pool is cache._get_connection_pool(write=True)
    plain = RedisCacheClient([_url()])
    assert plain.get_client() is not plain.get_client()  # what the subclass is there for


def test_the_shared_client_reads_and_writes():
    cache = _backend()
    cache.set("answer", {"value": 42}, timeout=30)
    assert cache.get("answer") == {"value": 42}
    assert cache.get_many(["answer", "missing"]) == {"answer": {"value": 42}}
    cache.delete("answer")
    assert cache.get("answer") is None
