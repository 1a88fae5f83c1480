import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from contacts.models import Tandem
from portal.models import Notification
from referrals import services
from referrals.consent import consent_problems, required_givers
from referrals.models import ReferralEvent, Status
from referrals.routing import route_for
from referrals.workflow import TransitionNotAllowed
from tests.contacts import factories as cf
from tests.referrals.factories import ConsentFactory, GuardianFactory, complete_referral, referral_in

pytestmark = pytest.mark.django_db


def _years_ago(years, days=0):
    today = datetime.date.today()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - datetime.timedelta(days=days)


def test_full_flow_with_notifications_to_the_right_people(world):
    sc, dw = world.user("school_coordinator"), world.user("district_worker")
    referral = complete_referral(world.school, sc)
    referral = services.submit(sc, referral)
    assert referral.status == Status.SUBMITTED and referral.reference.startswith("AJS-")
    assert referral.routed_team == world.district_team
    assert "tandem" in referral.routing_reason
    assert Notification.objects.filter(user=dw, kind="referral_submitted").exists()
    assert not Notification.objects.filter(user=world.user("other_district_worker")).exists()

    referral = services.take_up(dw, referral)
    assert referral.assigned_to == dw
    referral = services.accept(
        dw,
        referral,
        care_provider=world.care_provider,
        planned_help_form="group",
        expected_start=datetime.date.today(),
        joint_deployment=True,
    )
    assert referral.status == Status.ACCEPTED and referral.joint_deployment
    assert Notification.objects.filter(user=sc, kind="referral_accepted").exists()
    referral = services.start_help(dw, referral)
    referral = services.close(dw, referral, outcome="goals_met", reason="Doelen bereikt")
    assert referral.status == Status.CLOSED and referral.close_outcome == "goals_met"
    actions = list(ReferralEvent.objects.filter(referral=referral).values_list("action", flat=True))
    assert actions == ["submit", "take_up", "accept", "start_help", "close"]
    for n in Notification.objects.all():
        assert referral.child_first_name not in n.subject + n.body


def test_return_answer_resubmit_and_decline(world):
    sc, dw = world.user("school_coordinator"), world.user("district_worker")
    referral = services.submit(sc, complete_referral(world.school, sc))
    referral = services.take_up(dw, referral)
    referral = services.return_with_question(dw, referral, "Graag het OPP")
    assert referral.status == Status.RETURNED
    assert Notification.objects.filter(user=sc, kind="referral_returned").exists()
    referral = services.answer_and_resubmit(sc, referral, "Toegevoegd")
    assert referral.status == Status.SUBMITTED
    referral = services.take_up(dw, referral)
    referral = services.decline(dw, referral, reason="voorliggend_veld", explanation="Naar het jongerenwerk")
    assert referral.status == Status.DECLINED and referral.decided_at
    assert referral.decline_reason == "voorliggend_veld"


def test_only_the_right_side_may_act(world):
    sc, dw = world.user("school_coordinator"), world.user("district_worker")
    referral = complete_referral(world.school, sc)
    with pytest.raises(PermissionDenied):
        services.submit(dw, referral)
    with pytest.raises(PermissionDenied):
        services.submit(world.user("other_school_coordinator"), referral)
    referral = services.submit(sc, referral)
    with pytest.raises(PermissionDenied):
        services.take_up(sc, referral)
    with pytest.raises(PermissionDenied):
        services.take_up(world.user("other_district_worker"), referral)
    with pytest.raises(PermissionDenied):  # a colleague must be of the same team
        services.take_up(dw, referral, world.user("other_district_worker"))


def test_take_up_for_a_colleague_notifies_them(world):
    sc, dw = world.user("school_coordinator"), world.user("district_worker")
    colleague = cf.make_member("district_worker", world.district_team)
    referral = services.submit(sc, complete_referral(world.school, sc))
    referral = services.take_up(dw, referral, colleague)
    assert referral.assigned_to == colleague
    assert Notification.objects.filter(user=colleague, kind="referral_assigned").exists()
    referral = services.assign(dw, referral, dw)
    assert referral.assigned_to == dw


def test_a_move_that_is_no_longer_possible_is_refused_with_a_message(world):
    dw = world.user("district_worker")
    referral = referral_in(world, "submitted")
    services.take_up(dw, referral)
    with pytest.raises(PermissionDenied):  # stale object: status now in_triage, take_up not allowed
        referral.refresh_from_db()
        services.take_up(dw, referral)
    referral = referral_in(world, "submitted")
    stale = type(referral).objects.get(pk=referral.pk)
    services.take_up(dw, referral)
    with pytest.raises(TransitionNotAllowed):
        services.take_up(dw, stale)  # the stale copy still says "submitted"


# --- Consent -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "age,needed",
    [
        (2, ("parents",)),
        (11, ("parents",)),
        (12, ("parents", "child")),
        (15, ("parents", "child")),
        (16, ("child",)),
    ],
)
def test_required_givers_by_age(age, needed):
    assert required_givers(age) == needed


def test_consent_rules_name_exactly_what_is_missing(world):
    sc = world.user("school_coordinator")
    referral = complete_referral(world.school, sc, child_date_of_birth=_years_ago(13))
    father = GuardianFactory(referral=referral, name="Vader Custody", has_custody=True)
    GuardianFactory(referral=referral, name="Stiefvader", has_custody=False)
    problems = consent_problems(referral)
    assert any("Vader Custody" in p for p in problems)
    assert not any("Stiefvader" in p for p in problems)
    assert any("12" in p for p in problems)
    ConsentFactory(referral=referral, guardian=father, recorded_by=sc)
    ConsentFactory(referral=referral, giver="child", guardian=None, recorded_by=sc)
    assert consent_problems(referral) == []


def test_sixteen_plus_needs_only_the_child(world):
    sc = world.user("school_coordinator")
    referral = complete_referral(world.school, sc, child_date_of_birth=_years_ago(17))
    assert len(consent_problems(referral)) == 1
    ConsentFactory(referral=referral, giver="child", guardian=None, recorded_by=sc)
    assert consent_problems(referral) == []


def test_submit_without_consent_is_refused_with_the_reason(world):
    sc = world.user("school_coordinator")
    referral = complete_referral(world.school, sc)
    services.withdraw_consent(sc, referral.consents.get())
    with pytest.raises(services.SubmitRefused) as refused:
        services.submit(sc, referral)
    assert any(problem.section == "consent" for problem in refused.value.problems)
    referral.refresh_from_db()
    assert referral.status == Status.DRAFT and referral.reference is None


def test_withdrawal_stops_sharing_with_the_district_team(world):
    from referrals.permissions import visible_referrals

    sc, dw = world.user("school_coordinator"), world.user("district_worker")
    referral = referral_in(world, "in_triage")
    assert visible_referrals(dw).filter(pk=referral.pk).exists()
    consent = referral.consents.get()
    services.withdraw_consent(sc, consent)
    referral.refresh_from_db()
    assert referral.sharing_stopped_at is not None
    assert not visible_referrals(dw).filter(pk=referral.pk).exists()
    assert visible_referrals(sc).filter(pk=referral.pk).exists()
    assert Notification.objects.filter(user=dw, kind="referral_consent_withdrawn").exists()
    services.record_consent(
        sc,
        referral,
        giver="parent",
        guardian=referral.guardians.get(),
        given_on=datetime.date.today(),
        form="written",
        recipients="wijkteam",
    )
    referral.refresh_from_db()
    assert referral.sharing_stopped_at is None
    assert visible_referrals(dw).filter(pk=referral.pk).exists()


# --- Routing -------------------------------------------------------------------------------


def test_routing_without_tandem_goes_to_the_first_team_of_the_municipality_by_name(world):
    Tandem.objects.all().delete()
    cf.DistrictTeamFactory(name="Zuid-team", municipality=world.municipality)
    first = cf.DistrictTeamFactory(name="A-team", municipality=world.municipality)
    route = route_for(world.school)
    assert route.team == first
    assert world.municipality.name in route.reason


def test_home_municipality_contact_is_informed_when_it_differs(world):
    sc = world.user("school_coordinator")
    contact = world.user("other_municipal_officer")
    cf.ContactAssignmentFactory(person=contact.person, municipality=world.other_municipality)
    referral = complete_referral(world.school, sc, home_municipality=world.other_municipality)
    services.submit(sc, referral)
    assert Notification.objects.filter(user=contact, kind="referral_home_municipality").exists()
    # Same municipality: nobody extra is informed.
    referral = complete_referral(world.school, sc)
    services.submit(sc, referral)
    assert Notification.objects.filter(user=contact).count() == 1


# --- Concurrency on PostgreSQL --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_parallel_submits_get_unique_reference_numbers(world):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL row locks")
    sc = world.user("school_coordinator")
    referrals = [complete_referral(world.school, sc) for _ in range(6)]
    barrier = threading.Barrier(len(referrals))
    errors = []

    def go(referral):
        try:
            barrier.wait()
            services.submit(sc, referral)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(r,)) for r in referrals]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    references = [type(r).objects.get(pk=r.pk).reference for r in referrals]
    assert len(set(references)) == 6 and all(references)


@pytest.mark.django_db(transaction=True)
def test_two_workers_accepting_at_once_exactly_one_wins(world):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL row locks")
    dw = world.user("district_worker")
    colleague = cf.make_member("district_worker", world.district_team)
    referral = referral_in(world, "in_triage")
    barrier = threading.Barrier(2)
    results = []

    def go(user, action):
        try:
            barrier.wait()
            if action == "accept":
                services.accept(
                    user,
                    referral,
                    care_provider=None,
                    planned_help_form="individual",
                    expected_start=datetime.date.today(),
                    joint_deployment=False,
                )
            else:
                services.decline(user, referral, reason="other", explanation="x")
            results.append("won")
        except TransitionNotAllowed:
            results.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=go, args=(dw, "accept")),
        threading.Thread(target=go, args=(colleague, "decline")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["refused", "won"]
    assert ReferralEvent.objects.filter(referral=referral, action__in=["accept", "decline"]).count() == 1
