"""The security middleware adds no SQL query to a page (other apps pin their query counts)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

OURS = ("security.", "django_otp.", "axes.", "csp.")


def count(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("actor", ["school_coordinator", "steering_member"])
def test_security_middleware_adds_no_query(world, client, settings, actor):
    client.force_login(world.user(actor))
    with_security = count(client)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith(OURS)]
    assert count(client) == with_security
