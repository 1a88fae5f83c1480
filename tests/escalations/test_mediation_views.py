"""The mediation pages (ADR 0149): bad input answers with a Dutch message next to the field
and changes nothing; reading the disagreement is logged."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from escalations.models import Mediation, Mediator
from portal.models import AccessLog
from referrals.models import ReferralEvent, Status
from tests.escalations.fixtures import escalatable_referral_in, named_mediator, open_mediation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def _error(html, field):
    """The message shown next to `field`, or None."""
    match = re.search(rf'id="id_{field}_error"><p>(.*?)</p>', html)
    return match.group(1) if match else None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"mediator": "", "question": "Wie betaalt?"}, "mediator", "Dit veld is verplicht."),
        ({"mediator": "\x00", "question": "Wie betaalt?"}, "mediator", None),
        ({"mediator": "999999", "question": "Wie betaalt?"}, "mediator", None),
        ({"mediator": "MEDIATOR", "question": ""}, "question", "Dit veld is verplicht."),
        ({"mediator": "MEDIATOR", "question": "a\x00b"}, "question", None),
        ({"mediator": "MEDIATOR", "question": "x" * 6000}, "question", None),
    ],
)
def test_asking_refuses_bad_input_without_changing_anything(world, client, data, field, message):
    mediator = named_mediator(world)
    referral = escalatable_referral_in(world)
    data = {k: str(mediator.pk) if v == "MEDIATOR" else v for k, v in data.items()}
    client.force_login(world.user("school_coordinator"))
    response = client.post(reverse("escalations:ask_mediator", args=[referral.uuid]), data)
    assert response.status_code == 200
    shown = _error(response.content.decode(), field)
    assert shown and (message is None or shown == message)
    assert not Mediation.objects.exists()
    assert not ReferralEvent.objects.filter(action="mediation_asked").exists()


def test_with_only_oneself_as_mediator_asking_redirects_to_the_referral_unchanged(world, client):
    mediator = named_mediator(world, actor="school_coordinator")
    referral = escalatable_referral_in(world)
    client.force_login(world.user("school_coordinator"))
    url = reverse("escalations:ask_mediator", args=[referral.uuid])
    response = client.post(url, {"mediator": str(mediator.pk), "question": "Wie betaalt?"})
    # Not offered to oneself: no mediator to choose, the page says so on the referral.
    assert response.status_code == 302
    assert response.url == reverse("referrals:detail", args=[referral.uuid])
    assert not Mediation.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"note": ""}, "outcome", "Dit veld is verplicht."),
        ({"outcome": "\x00"}, "outcome", None),
        ({"outcome": "settled"}, "carried_by", "Leg vast wie volgens de afspraak de hulp draagt."),
        ({"outcome": "settled", "carried_by": "nonsense", "next_step": "as_is"}, "carried_by", None),
        ({"outcome": "settled", "carried_by": "education", "next_step": "\x00"}, "next_step", None),
        ({"outcome": "not_settled", "note": "a\x00b"}, "note", None),
    ],
)
def test_the_outcome_refuses_bad_input_without_changing_anything(world, client, data, field, message):
    mediation = open_mediation(world)
    client.force_login(world.user("steering_member"))
    response = client.post(reverse("escalations:mediation", args=[mediation.pk]), data)
    assert response.status_code == 200
    shown = _error(response.content.decode(), field)
    assert shown and (message is None or shown == message)
    mediation.refresh_from_db()
    assert mediation.state == Mediation.State.OPEN and mediation.recorded_at is None
    mediation.referral.refresh_from_db()
    assert mediation.referral.status == Status.IN_TRIAGE


@pytest.mark.parametrize(
    ("data", "message"),
    [({"user": ""}, "Dit veld is verplicht."), ({"user": "\x00"}, None), ({"user": "999999"}, None)],
)
def test_naming_refuses_bad_input_without_changing_anything(world, client, data, message):
    client.force_login(world.user("registry_admin"))
    response = client.post(reverse("escalations:mediators"), {"region": str(world.region.pk), **data})
    assert response.status_code == 200
    shown = _error(response.content.decode(), "user")
    assert shown and (message is None or shown == message)
    assert not Mediator.objects.exists()


def test_the_mediator_reading_the_disagreement_is_logged(world, client):
    mediation = open_mediation(world)
    client.force_login(world.user("steering_member"))
    html = client.get(reverse("escalations:mediation", args=[mediation.pk])).content.decode()
    assert "Wie betaalt de begeleiding in de klas?" in html
    assert reverse("referrals:detail", args=[mediation.referral.uuid]) in html
    entry = AccessLog.objects.filter(user=world.user("steering_member"), action=AccessLog.Action.VIEW).get()
    assert entry.object_reference == mediation.referral.reference
    assert entry.role == "steering_member"
    # The referral page itself opens for the mediator, read-only: no action forms.
    page = client.get(reverse("referrals:detail", args=[mediation.referral.uuid]))
    assert page.status_code == 200
    assert "/actie/" not in page.content.decode()
