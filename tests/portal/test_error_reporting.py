"""Error reporting (ADR 0101): off without SENTRY_DSN; with it, an exception on a referral page
becomes one event without the child's name, an e-mail address or a BSN, tagged with the request
id the 500 page shows. The SDK's transport is replaced by one that keeps the events in memory:
nothing goes over the network."""

import json

import pytest
import sentry_sdk
from django.test import Client
from django.urls import reverse
from sentry_sdk.transport import Transport

from portal import error_reporting
from portal.logging import request_id_var, task_id_var, task_name_var
from tests.referrals.factories import complete_referral

FIRST, LAST = "Zyxwaldine", "Qorthbeek"
EMAIL, BSN = "moeder.qorthbeek@example.nl", "111222333"


class CapturingTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.events = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type == "event":
                self.events.append(item.payload.json)


@pytest.fixture
def sentry_events():
    transport = CapturingTransport()
    assert error_reporting.init("https://public@sentry.invalid/1", environment="test", transport=transport)
    yield transport.events
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


def test_off_without_a_dsn(settings):
    assert settings.SENTRY_DSN == ""
    assert error_reporting.init("") is False
    assert not error_reporting.is_enabled()


@pytest.mark.django_db
def test_500_page_without_sentry_gives_the_request_id_and_claims_no_report(world, monkeypatch):
    referral = complete_referral(world.school, world.user("school_coordinator"))
    monkeypatch.setattr("referrals.views._edit_context", _boom)
    client = Client(raise_request_exception=False)
    client.force_login(world.user("school_coordinator"))
    response = client.get(reverse("referrals:edit", args=[referral.uuid]), HTTP_X_REQUEST_ID="req-abc-123")
    assert response.status_code == 500
    page = response.content.decode()
    assert "req-abc-123" in page and response["X-Request-ID"] == "req-abc-123"
    assert "op de hoogte" not in page and "beheerders gestuurd" not in page
    assert "Foutcode" in page


def _boom(request, referral, **kwargs):
    child = f"{referral.child_first_name} {referral.child_last_name}"  # a local variable
    raise RuntimeError(f"could not render for {EMAIL}, BSN {BSN}; {len(child)} characters")


@pytest.mark.django_db
def test_exception_on_a_referral_page_sends_one_event_without_personal_data(
    world, monkeypatch, sentry_events
):
    coordinator = world.user("school_coordinator")
    referral = complete_referral(world.school, coordinator, child_first_name=FIRST, child_last_name=LAST)
    monkeypatch.setattr("referrals.views._edit_context", _boom)
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    response = client.post(
        reverse("referrals:edit", args=[referral.uuid]) + f"?naam={FIRST}",
        {
            "child_first_name": FIRST,
            "child_last_name": LAST,
            "child_date_of_birth": "2016-03-01",
            "question": f"{FIRST} {LAST}, {EMAIL}, {BSN}",
        },
        HTTP_X_REQUEST_ID="req-sentry-1",
        HTTP_REFERER=f"https://tandem.test/?bsn={BSN}",
    )
    assert response.status_code == 500
    [event] = sentry_events
    text = json.dumps(event, ensure_ascii=False)
    for secret in (FIRST, LAST, EMAIL, BSN, coordinator.email):
        assert secret not in text, secret
    assert "[email]" in text and "[bsn]" in text  # the message was masked, not dropped
    assert event["tags"]["request_id"] == "req-sentry-1"
    assert event["request"] == {"method": "POST", "url": f"/aanmeldingen/{referral.uuid}/bewerken/"}
    assert event["user"] == {"id": str(coordinator.pk)}
    frames = event["exception"]["values"][-1]["stacktrace"]["frames"]
    assert frames and not any("vars" in frame for frame in frames)
    # The page tells the truth: a report went out, with its number and the request id.
    page = response.content.decode()
    assert "req-sentry-1" in page and event["event_id"] in page
    assert "beheerders gestuurd" in page


def test_scrub_event_drops_what_could_hold_personal_data():
    event = {
        "request": {
            "method": "GET",
            "url": "https://tandem.test/x?naam=Zyx",
            "query_string": "naam=Zyx",
            "cookies": {"sessionid": "s"},
            "headers": {"Cookie": "s", "User-Agent": "u"},
            "data": {"child_first_name": "Zyx"},
            "env": {"REMOTE_ADDR": "10.0.0.1"},
        },
        "user": {"id": 7, "email": EMAIL, "ip_address": "10.0.0.1"},
        "extra": {"anything": "Zyx"},
        "server_name": "host",
        "breadcrumbs": {
            "values": [{"category": "query", "message": "SELECT %s", "data": {"params": ["Zyx"]}}]
        },
        "exception": {
            "values": [{"value": f"mail {EMAIL}", "stacktrace": {"frames": [{"vars": {"x": "Zyx"}}]}}]
        },
        "logentry": {"message": f"BSN {BSN}"},
    }
    token_id, token_task, token_name = (
        request_id_var.set("r-1"),
        task_id_var.set("t-1"),
        task_name_var.set("n"),
    )
    try:
        scrubbed = error_reporting.scrub_event(event)
    finally:
        request_id_var.reset(token_id)
        task_id_var.reset(token_task)
        task_name_var.reset(token_name)
    text = json.dumps(scrubbed)
    assert "Zyx" not in text and EMAIL not in text and BSN not in text and "10.0.0.1" not in text
    assert scrubbed["request"] == {"method": "GET", "url": "https://tandem.test/x"}  # outside a request
    assert scrubbed["user"] == {"id": "7"}
    assert scrubbed["tags"] == {"request_id": "r-1", "task_id": "t-1", "task_name": "n"}
    assert scrubbed["exception"]["values"][0]["value"] == "mail [email]"
    assert scrubbed["logentry"]["message"] == "BSN [bsn]"


def test_breadcrumbs_lose_their_data_and_are_masked():
    crumb = error_reporting.scrub_breadcrumb({"message": f"to {EMAIL}", "data": {"params": ["x"]}})
    assert crumb == {"message": "to [email]"}
