"""The verifying device from the cache (security/devices.py, ADR 0176): one query less per
page, and a removed or changed device stops verifying from the next request on."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers.queries import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.TANDEM_OTP_DEVICE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _verified_client(client, world, model=TOTPDevice):
    user = world.user("district_worker")
    device = model.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return device


def _verified(client):
    """Whether the request's user counts as verified by a device (is_verified)."""
    response = client.get(reverse("notifications:list"))
    return response.wsgi_request.user.is_verified()


def test_the_device_is_one_query_less_once_cached(client, world, cached, settings):
    _verified_client(client, world)
    url = reverse("notifications:list")
    client.get(url)
    cached_count, _ = count_queries(client, url)
    settings.TANDEM_OTP_DEVICE_CACHE_SECONDS = 0
    uncached_count, queries = count_queries(client, url)
    assert cached_count == uncached_count - 1
    assert any("otp_totp_totpdevice" in q["sql"] for q in queries)


@pytest.mark.parametrize("model", [TOTPDevice, StaticDevice])
def test_a_removed_device_stops_verifying_at_the_next_request(client, world, cached, model):
    device = _verified_client(client, world, model)
    assert _verified(client)
    assert _verified(client)  # now from the cache
    device.delete()
    assert not _verified(client)


def test_an_unconfirmed_device_stops_verifying_at_the_next_request(client, world, cached):
    device = _verified_client(client, world)
    assert _verified(client)
    device.confirmed = False
    device.save()
    assert not _verified(client)


def test_another_users_device_does_not_verify_even_from_the_cache(client, world, cached):
    device = _verified_client(client, world)
    assert _verified(client)
    client.force_login(world.user("school_coordinator"))
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert not _verified(client)
