import pytest
from django.template import Context, Template
from django.test import RequestFactory

from referrals.waiting import waiting_for
from tests.escalations.fixtures import open_escalation, past_the_norm, referral_in

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load escalation_tags %}{% escalation_actions referral waiting %}")


def _render(user, referral):
    """As the referral page renders the tag: with the page's waiting time."""
    request = RequestFactory().get("/")
    request.user = user
    return TEMPLATE.render(
        Context({"request": request, "referral": referral, "waiting": waiting_for(referral)})
    )


def test_referral_page_offers_escalation_to_parties_and_lists_visible_escalations(world):
    referral = referral_in(world, "in_triage")
    html = _render(world.user("school_coordinator"), referral)
    # Right after submission, before the team has answered: not offered, and said from when.
    assert "opschalen/" not in html and 'id="escalation-not-yet"' in html
    referral = past_the_norm(referral)
    html = _render(world.user("school_coordinator"), referral)
    assert f"/opschaling/aanmelding/{referral.uuid}/opschalen/" in html
    escalation = open_escalation(world, referral)
    referral.refresh_from_db()
    html = _render(world.user("district_worker"), referral)
    assert f"/opschaling/{escalation.pk}/" in html and "opschalen/" not in html
    assert _render(world.user("partnership_director"), referral).count(f"/opschaling/{escalation.pk}/") == 1
    assert _render(world.user("other_partnership_director"), referral).strip() == ""
