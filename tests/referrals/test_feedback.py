"""Cooperation feedback after a referral ends (ADR 0151): the IB-er and the district worker each
answer two questions once; the answer is stored without who gave it or for which referral."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from portal.home import worklist_for
from portal.models import Notification
from referrals import services
from referrals.models import CooperationFeedback, FeedbackReceipt
from referrals.selectors import feedback_pending
from tests.helpers.queries import assert_queries_pinned
from tests.referrals.factories import referral_in

pytestmark = pytest.mark.django_db
# The pending list's queries, for 1 row as for 10: session, user, memberships, the referrals, the
# access-log entry and its listed references (one insert); no session save (ADR 0172).
EXPECTED_PENDING_QUERIES = 6

SC, DW = "school_coordinator", "district_worker"


def _answer(world, actor, referral, cooperation="yes", route_clear="partly"):
    services.give_feedback(world.users[actor], referral, cooperation=cooperation, route_clear=route_clear)


def test_closing_invites_both_sides_without_child_data(world):
    referral = referral_in(world, "help_started")
    services.close(world.users[DW], referral, outcome="goals_met", reason="klaar")
    invited = Notification.objects.filter(kind="cooperation_feedback")
    assert {n.user for n in invited} == {world.users[SC], world.users[DW]}
    for notification in invited:
        assert notification.url == reverse("referrals:feedback", args=[referral.uuid])
        assert referral.child_first_name not in notification.subject + notification.body
        assert notification.subject.startswith(referral.reference)


def test_lapsing_invites_too(world):
    referral = referral_in(world, "returned")
    services.lapse(None, referral)
    assert Notification.objects.filter(kind="cooperation_feedback").count() == 2


def test_an_answer_is_stored_apart_from_who_gave_it(world):
    referral = referral_in(world, "closed")
    _answer(world, SC, referral, "yes", "no")
    _answer(world, DW, referral, "partly", "yes")
    receipts = FeedbackReceipt.objects.filter(referral=referral)
    assert {r.user for r in receipts} == {world.users[SC], world.users[DW]}
    rows = sorted(CooperationFeedback.objects.values_list("region", "period", "cooperation", "route_clear"))
    label = f"{timezone.localdate(referral.closed_at).year}-H{1 if referral.closed_at.month <= 6 else 2}"
    assert rows == [
        (world.subregion.pk, label, "partly", "yes"),
        (world.subregion.pk, label, "yes", "no"),
    ]
    # The answer row has no field that points to a person, a referral or a moment.
    fields = {f.name for f in CooperationFeedback._meta.concrete_fields}
    assert fields == {"id", "region", "period", "cooperation", "route_clear"}


def test_once_per_person_per_referral(world):
    referral = referral_in(world, "closed")
    _answer(world, SC, referral)
    with pytest.raises(services.FeedbackAlreadyGiven):
        _answer(world, SC, referral, "no", "no")
    assert CooperationFeedback.objects.count() == 1
    assert FeedbackReceipt.objects.count() == 1


@pytest.mark.parametrize(
    "actor", ["other_school_coordinator", "other_district_worker", "partnership_director"]
)
def test_only_the_parties_answer(world, actor):
    referral = referral_in(world, "closed")
    with pytest.raises(PermissionDenied):
        _answer(world, actor, referral)
    assert not CooperationFeedback.objects.exists()


def test_a_running_referral_takes_no_answers(world):
    referral = referral_in(world, "help_started")
    with pytest.raises(PermissionDenied):
        _answer(world, SC, referral)


def test_the_form_refuses_bad_input_in_dutch_and_changes_nothing(world, client):
    referral = referral_in(world, "closed")
    client.force_login(world.users[SC])
    url = reverse("referrals:feedback", args=[referral.uuid])
    page = client.get(url).content.decode()
    assert "Werkte de samenwerking?" in page and "Was de route duidelijk?" in page
    for data in (
        {},
        {"cooperation": "yes"},
        {"cooperation": "maybe", "route_clear": "yes"},
        {"cooperation": "yes\x00", "route_clear": "yes"},
        {"cooperation": "x" * 10000, "route_clear": "no"},
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
        html = response.content.decode()
        assert "utrecht-form-field-error-message" in html
        assert "Kies" in html or "Selecteer een geldige keuze" in html
    assert "Kies of de route duidelijk was" in client.post(url, {"cooperation": "yes"}).content.decode()
    assert not CooperationFeedback.objects.exists() and not FeedbackReceipt.objects.exists()


def test_answering_from_the_referral_page_and_again(world, client):
    referral = referral_in(world, "closed")
    client.force_login(world.users[DW])
    detail = reverse("referrals:detail", args=[referral.uuid])
    assert "Beantwoord de twee vragen" in client.get(detail).content.decode()
    url = reverse("referrals:feedback", args=[referral.uuid])
    response = client.post(url, {"cooperation": "no", "route_clear": "yes"}, follow=True)
    html = response.content.decode()
    assert "zonder uw naam" in html and "U hebt de twee vragen over deze aanmelding beantwoord" in html
    again = client.post(url, {"cooperation": "yes", "route_clear": "yes"})
    assert again.status_code == 200 and "al geantwoord" in again.content.decode()
    assert list(CooperationFeedback.objects.values_list("cooperation", flat=True)) == ["no"]


def test_pending_list_and_worklist_agree(world, client):
    first = referral_in(world, "closed")
    second = referral_in(world, "closed")
    referral_in(world, "help_started")
    old = referral_in(world, "closed")
    old.closed_at = timezone.now() - datetime.timedelta(days=90)
    old.save(update_fields=["closed_at"])
    coordinator = world.users[SC]
    assert set(feedback_pending(coordinator)) == {first, second}
    _answer(world, SC, first)
    assert list(feedback_pending(coordinator)) == [second]
    membership = coordinator.memberships.get()
    items = [i for i in worklist_for(membership) if i.url == reverse("referrals:feedback_pending")]
    assert [i.count for i in items] == [1]
    client.force_login(coordinator)
    html = client.get(reverse("referrals:feedback_pending")).content.decode()
    assert second.reference in html and first.reference not in html
    # The district worker still has both.
    assert set(feedback_pending(world.users[DW])) == {first, second}


def test_pending_list_query_count_is_pinned(world, client):
    client.force_login(world.users[SC])
    url = reverse("referrals:feedback_pending")

    def add_rows(n):
        for _i in range(n):
            referral_in(world, "closed")

    assert_queries_pinned(client, url, add_rows, expected=EXPECTED_PENDING_QUERIES)


def test_empty_pending_list_says_so(world, client):
    client.force_login(world.users[DW])
    assert "Niets te beantwoorden" in client.get(reverse("referrals:feedback_pending")).content.decode()
