"""Help through the school's collective arrangement (ADR 0161): a triage outcome offered only
while the referral's school has a current arrangement, recording which one, without the
individual indication route; on the timeline and the referral page."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from referrals import permissions as perms
from referrals import services
from referrals.models import ReferralEvent, Status
from referrals.workflow import TransitionNotAllowed
from tests.contacts import factories as f
from tests.referrals.factories import referral_in

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 10, 0)


@pytest.fixture(autouse=True)
def _march():
    with time_machine.travel(NOW, tick=False):
        yield


def _url(referral):
    return reverse("referrals:act", args=[referral.uuid, "accept_arrangement"])


def test_offered_only_while_the_school_has_a_current_arrangement(world):
    worker = world.user("district_worker")
    referral = referral_in(world, "in_triage")
    assert not perms.may_perform(worker, referral, "accept_arrangement")
    f.arrangement_of(world, valid_to=datetime.date(2026, 3, 1))  # ended yesterday
    f.arrangement_of(world, valid_from=datetime.date(2026, 3, 3))  # starts tomorrow
    f.arrangement_of(world, schools=[world.other_school])  # another school's
    assert not perms.may_perform(worker, referral, "accept_arrangement")
    f.arrangement_of(world, valid_to=datetime.date(2026, 3, 2))  # its last day is today
    assert perms.may_perform(worker, referral, "accept_arrangement")
    assert not perms.may_perform(world.user("school_coordinator"), referral, "accept_arrangement")
    assert not perms.may_perform(world.user("other_district_worker"), referral, "accept_arrangement")


def test_the_service_records_the_arrangement_without_an_indication(world):
    arrangement = f.arrangement_of(world, name="Samen in Aan")
    worker = world.user("district_worker")
    referral = referral_in(world, "in_triage")
    referral = services.help_through_arrangement(
        worker, referral, arrangement=arrangement, note="Start maandag"
    )
    assert referral.status == Status.ACCEPTED
    assert referral.collective_arrangement == arrangement
    assert (
        referral.care_provider is None and referral.planned_help_form == "" and not referral.joint_deployment
    )
    assert referral.decided_at is not None  # a decision: the waiting time to it is measured
    event = ReferralEvent.objects.get(referral=referral, action="accept_arrangement")
    assert (event.from_status, event.to_status, event.note) == (
        "in_triage",
        "accepted",
        "Samen in Aan: Start maandag",
    )
    # The help then starts as for any accepted referral.
    referral = services.start_help(worker, referral)
    assert referral.status == Status.HELP_STARTED


def test_an_arrangement_of_another_school_is_refused(world):
    f.arrangement_of(world)
    elsewhere = f.arrangement_of(world, schools=[world.other_school])
    referral = referral_in(world, "in_triage")
    with pytest.raises(TransitionNotAllowed):
        services.help_through_arrangement(world.user("district_worker"), referral, arrangement=elsewhere)
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE and referral.collective_arrangement is None


def test_through_the_page_the_timeline_and_the_detail_show_it(client, world):
    arrangement = f.arrangement_of(world, name="Samen in Aan")
    f.arrangement_of(world, name="Elders", schools=[world.other_school])
    referral = referral_in(world, "in_triage")
    client.force_login(world.user("district_worker"))
    detail = client.get(reverse("referrals:detail", args=[referral.uuid])).content.decode()
    assert _url(referral) in detail and "Samen in Aan" in detail and "Elders" not in detail
    # Nothing chosen: the message at the field, nothing changed.
    invalid = client.post(_url(referral), {"accept_arrangement-arrangement": ""})
    assert invalid.status_code == 200 and 'aria-invalid="true"' in invalid.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE
    response = client.post(_url(referral), {"accept_arrangement-arrangement": arrangement.pk}, follow=True)
    html = response.content.decode()
    assert "Geaccepteerd: geholpen via het collectieve arrangement van de school" in html  # timeline
    assert "Geholpen via het collectieve arrangement van de school (geen individuele indicatie)" in html
    assert reverse("contacts:arrangement_detail", args=[arrangement.pk]) in html
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED and referral.collective_arrangement == arrangement


def test_without_an_arrangement_the_page_does_not_offer_it_and_a_post_changes_nothing(client, world):
    referral = referral_in(world, "in_triage")
    client.force_login(world.user("district_worker"))
    assert (
        _url(referral) not in client.get(reverse("referrals:detail", args=[referral.uuid])).content.decode()
    )
    other = f.arrangement_of(world, schools=[world.other_school])
    response = client.post(_url(referral), {"accept_arrangement-arrangement": other.pk})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE and referral.collective_arrangement is None
