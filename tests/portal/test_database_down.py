"""The 503 page for a database that cannot be reached (portal.views.server_error, ADR 0132): a
database error anywhere in a request is the Dutch 503 page with Retry-After, any other error
stays the 500 page. tests/portal/test_faults_database.py takes a real database away."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from tests.helpers.browser import assert_no_axe_violations, login
from tests.referrals.factories import referral_in


def _raising(exc):
    def view(request, referral, **kwargs):
        raise exc

    return view


@pytest.mark.django_db
@pytest.mark.parametrize(
    "exc", [OperationalError("connection refused"), InterfaceError("connection already closed")]
)
def test_a_database_error_is_the_503_page_with_retry_after(world, monkeypatch, exc):
    referral = referral_in(world, "draft")
    monkeypatch.setattr("referrals.views._edit_context", _raising(exc))
    client = Client(raise_request_exception=False)
    client.force_login(world.user("school_coordinator"))
    response = client.get(reverse("referrals:edit", args=[referral.uuid]), HTTP_X_REQUEST_ID="req-db-503")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Tandem is tijdelijk niet beschikbaar" in html and "niets opgeslagen" in html
    assert "req-db-503" in html
    assert "connection" not in html and "Traceback" not in html


@pytest.mark.django_db
def test_any_other_error_stays_the_500_page(world, monkeypatch):
    referral = referral_in(world, "draft")
    monkeypatch.setattr("referrals.views._edit_context", _raising(ValueError("not the database")))
    client = Client(raise_request_exception=False)
    client.force_login(world.user("school_coordinator"))
    response = client.get(reverse("referrals:edit", args=[referral.uuid]))
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "tijdelijk niet beschikbaar" not in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_503_page_is_accessible(page, live_server, world, monkeypatch):
    referral = referral_in(world, "draft")
    login(page, live_server, "school_coordinator@example.test")
    monkeypatch.setattr("referrals.views._edit_context", _raising(OperationalError("server closed")))
    response = page.goto(f"{live_server.url}{reverse('referrals:edit', args=[referral.uuid])}")
    assert response.status == 503
    expect(page.locator("h1")).to_have_text("Tandem is tijdelijk niet beschikbaar")
    assert_no_axe_violations(page)
