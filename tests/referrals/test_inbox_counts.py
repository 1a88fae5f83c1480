"""The triage inbox's tab counts (ADR 0117): summed from the open work the filter options read
when only the school or the home municipality filters, one aggregate otherwise; both ways give
the same numbers."""

import pytest

from contacts.models import School
from referrals import permissions as perms
from referrals import selectors
from referrals.forms import InboxFilterForm
from referrals.models import Referral
from tests.referrals.factories import referral_in

pytestmark = pytest.mark.django_db

TABS = {view: InboxFilterForm.VIEWS[view] for view in InboxFilterForm.COUNTED_VIEWS}


@pytest.fixture
def inbox(world):
    other_school = School.objects.create(
        brin="94DD",
        vestiging="00",
        name="Basisschool Dee",
        partnership=world.partnership,
        municipality=world.municipality,
        school_type=world.school.school_type,
    )
    for status in ("submitted", "in_triage", "returned", "accepted", "help_started", "closed"):
        referral_in(world, status)
    for status in ("submitted", "accepted", "escalated", "declined"):
        moved = referral_in(world, status)
        Referral.objects.filter(pk=moved.pk).update(school=other_school, routed_team=world.district_team)
    worker = world.user("district_worker")
    return worker, perms.visible_referrals(worker), other_school


def _both_ways(visible, **place):
    filtered = visible
    if place.get("school"):
        filtered = filtered.filter(school=place["school"])
    if place.get("municipality"):
        filtered = filtered.filter(home_municipality=place["municipality"])
    open_work = perms.open_work_by_place(visible)
    ids = {f"{name}_id": obj.pk for name, obj in place.items()}
    summed = selectors.inbox_tab_counts(filtered, TABS, open_work, **ids)
    aggregated = selectors.inbox_tab_counts(filtered, TABS, open_work, by_place_only=False, **ids)
    return summed, aggregated


def test_the_counts_summed_from_the_open_work_equal_the_aggregate(inbox, world):
    _worker, visible, other_school = inbox
    summed, aggregated = _both_ways(visible)
    assert summed == aggregated == {"tab_": 4, "tab_running": 4}
    summed, aggregated = _both_ways(visible, school=other_school)
    assert summed == aggregated == {"tab_": 1, "tab_running": 2}
    summed, aggregated = _both_ways(visible, school=world.school, municipality=world.municipality)
    assert summed == aggregated


def test_the_inbox_shows_the_counts_of_the_chosen_school(client, inbox):
    worker, _visible, other_school = inbox
    client.force_login(worker)
    html = client.get("/aanmeldingen/inbox/", {"school": other_school.pk}).content.decode()
    assert "Te beslissen <span>(1)</span>" in html
    assert "Geaccepteerd en lopend <span>(2)</span>" in html
