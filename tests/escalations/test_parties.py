"""One definition of who is a party to a referral (ADR 0062): referrals' scope and the
escalations' parties agree for every role, including a referral of a tandem school routed to
another team and a referral whose sharing stopped."""

import pytest
from django.urls import reverse
from django.utils import timezone

from escalations import permissions as esc_perms
from escalations import services
from escalations.models import Escalation, Side
from portal.models import AccessLog, Notification
from referrals import permissions as ref_perms
from referrals.models import Referral
from tests.escalations.fixtures import escalatable_referral_in, open_escalation, referral_in
from tests.helpers.world import ACTORS

pytestmark = pytest.mark.django_db

ROLES = [actor for actor in ACTORS if actor != "anonymous"]


def _stop_sharing(referral):
    Referral.objects.filter(pk=referral.pk).update(sharing_stopped_at=timezone.now())
    referral.refresh_from_db()
    return referral


def _foreign_referral(world):
    """Another school's referral, routed to the other team: world's school and team are no party."""
    return referral_in(
        world,
        "in_triage",
        school=world.other_school,
        home_municipality=world.other_municipality,
        routed_team=world.other_district_team,
        created_by=world.user("other_school_coordinator"),
    )


@pytest.fixture
def cases(world):
    """world.school's tandem is held by world.district_team."""
    return {
        "routed": referral_in(world, "in_triage"),
        "draft": referral_in(world, "draft"),
        # A tandem school's referral routed to the other team (e.g. by the child's municipality).
        "tandem_school": referral_in(world, "in_triage", routed_team=world.other_district_team),
        # Another school's referral routed to world's team: routed, no tandem.
        "routed_only": referral_in(
            world,
            "submitted",
            school=world.other_school,
            home_municipality=world.other_municipality,
            created_by=world.user("other_school_coordinator"),
        ),
        "stopped": _stop_sharing(referral_in(world, "in_triage")),
        "escalated_stopped": _stop_sharing(open_escalation(world).referral),
        "foreign": _foreign_referral(world),
    }


# What the one definition says, spelled out once (None: a party to none of them).
EXPECTED = {
    "school_coordinator": {"routed", "draft", "tandem_school", "stopped", "escalated_stopped"},
    "district_worker": {"routed", "tandem_school", "routed_only"},
    "other_school_coordinator": {"routed_only", "foreign"},
    "other_district_worker": {"tandem_school", "foreign"},
}


@pytest.mark.parametrize("actor", ROLES)
def test_referrals_and_escalations_agree_on_the_parties(world, cases, actor):
    user = world.user(actor)
    every = list(Referral.objects.filter(pk__in=[r.pk for r in cases.values()]))
    name = {r.pk: key for key, r in cases.items()}

    scope = {name[r.pk] for r in Referral.objects.filter(ref_perms.party_condition(user), pk__in=name)}
    subquery = {
        name[r.pk]
        for r in Referral.objects.filter(ref_perms.party_condition(user, literal=False), pk__in=name)
    }
    one_by_one = {
        name[r.pk] for r in every if ref_perms.is_school_party(user, r) or ref_perms.is_team_party(user, r)
    }
    members = {name[r.pk] for r in every if ref_perms.access_membership(user, r) is not None}
    escalation_scope = {name[r.pk] for r in esc_perms.party_referrals(user).filter(pk__in=name)}
    sides = {name[r.pk] for r in every if esc_perms.party_sides(user, r)}

    expected = EXPECTED.get(actor, set())
    assert scope == subquery == one_by_one == escalation_scope == sides == expected
    # The referral scope adds, for deciders, referrals with an open escalation while the school
    # shares them: here only "escalated_stopped" has one, and its sharing stopped. The access log
    # names a membership for exactly the readable ones.
    visible = {name[r.pk] for r in ref_perms.visible_referrals(user).filter(pk__in=name)}
    assert visible == members == expected
    # Sides: the school side for a coordinator of the school, the team side for a worker.
    for r in every:
        wanted = []
        if name[r.pk] in expected and actor.endswith("school_coordinator"):
            wanted = [Side.SCHOOL]
        elif name[r.pk] in expected and actor.endswith("district_worker"):
            wanted = [Side.DISTRICT_TEAM]
        assert esc_perms.party_sides(user, r) == wanted


@pytest.mark.parametrize("actor", ROLES)
def test_a_party_sees_exactly_the_escalations_of_its_referrals(world, cases, actor):
    user = world.user(actor)
    escalated = {
        key: open_escalation(world, referral_in(world, "in_triage", **kwargs))
        for key, kwargs in {
            "routed": {},
            "tandem_school": {"routed_team": world.other_district_team},
        }.items()
    }
    escalated["escalated_stopped"] = Escalation.objects.get(referral=cases["escalated_stopped"])
    seen = set(esc_perms.visible_escalations(user))
    for key, escalation in escalated.items():
        party = esc_perms.party_sides(user, escalation.referral) != []
        decider = esc_perms.is_decider(user, escalation)
        assert (escalation in seen) == (party or decider), key
    if actor in EXPECTED:
        assert seen == {e for k, e in escalated.items() if k in EXPECTED[actor]}


def test_deciders_read_the_referral_while_open_and_shared_only(world, client):
    escalation = open_escalation(world)
    referral = escalation.referral
    for actor in ("partnership_director", "municipal_officer"):
        user = world.user(actor)
        assert ref_perms.visible_referrals(user).filter(pk=referral.pk).exists()
        assert ref_perms.access_membership(user, referral).role == actor
        assert esc_perms.may_read_referral(user, escalation)
    _stop_sharing(referral)
    escalation.refresh_from_db()
    for actor in ("partnership_director", "municipal_officer"):
        user = world.user(actor)
        assert not ref_perms.visible_referrals(user).filter(pk=referral.pk).exists()
        assert ref_perms.access_membership(user, referral) is None
        assert not esc_perms.may_read_referral(user, escalation)  # no link to a 404
        # The escalation itself stays theirs to decide, positions included; the read is logged
        # under the decider's membership.
        assert esc_perms.visible_escalations(user).filter(pk=escalation.pk).exists()
        assert esc_perms.may_see_positions(user, escalation)
        client.force_login(user)
        html = client.get(reverse("escalations:detail", args=[escalation.pk])).content.decode()
        assert reverse("referrals:detail", args=[referral.uuid]) not in html
        log = AccessLog.objects.filter(user=user, object_id=str(referral.pk)).latest("pk")
        assert log.role == actor


# --- What the one definition changed for escalations -------------------------------------------


def test_the_tandem_team_may_raise_and_give_its_position_on_a_referral_routed_elsewhere(world, client):
    """The team that holds the school's tandem reads the referral (referrals' scope) and is
    therefore a party: it may escalate it and give the district team's position."""
    referral = escalatable_referral_in(world, "in_triage", routed_team=world.other_district_team)
    worker = world.user("district_worker")
    assert esc_perms.can_raise(worker, referral)
    client.force_login(worker)
    assert client.get(reverse("escalations:raise", args=[referral.uuid])).status_code == 200
    escalation = open_escalation(world, referral, actor="school_coordinator")
    assert esc_perms.position_side(worker, escalation) == Side.DISTRICT_TEAM
    assert client.get(reverse("escalations:detail", args=[escalation.pk])).status_code == 200
    services.add_position(worker, escalation, "Het wijkteam van de tandem ziet het anders.")
    escalation.refresh_from_db()
    assert escalation.other_position_by == worker


def test_after_sharing_stopped_the_team_is_no_party_to_the_escalation(world, client):
    escalation = open_escalation(world)
    worker = world.user("district_worker")
    assert esc_perms.position_side(worker, escalation) == Side.DISTRICT_TEAM
    _stop_sharing(escalation.referral)
    escalation.refresh_from_db()
    assert esc_perms.party_sides(worker, escalation.referral) == []
    assert esc_perms.position_side(worker, escalation) is None
    assert not esc_perms.may_see_positions(worker, escalation)
    assert list(esc_perms.party_users(escalation.referral, Side.DISTRICT_TEAM)) == []
    client.force_login(worker)
    assert client.get(reverse("escalations:detail", args=[escalation.pk])).status_code == 404
    # The school stays a party: it still sees the escalation and its positions.
    coordinator = world.user("school_coordinator")
    assert esc_perms.may_see_positions(coordinator, escalation)


def test_after_sharing_stopped_the_team_cannot_raise_and_is_not_told(world, client):
    referral = _stop_sharing(referral_in(world, "in_triage"))
    worker = world.user("district_worker")
    client.force_login(worker)
    assert client.get(reverse("escalations:raise", args=[referral.uuid])).status_code == 404
    open_escalation(world, referral, actor="school_coordinator")  # the school still may
    assert not Notification.objects.filter(user=worker, kind="escalation_raised_party").exists()


@pytest.mark.parametrize("actor", ROLES)
def test_a_referrals_own_escalations_and_mediations_are_the_visible_ones(world, actor):
    """referral_escalations and referral_mediations (the referral page's) say what
    visible_escalations and visible_mediations say for that referral, for every role: an
    escalated referral of the world's team, one of a tandem school routed to the other team,
    another school's routed to the other team, and one with a mediation."""
    from tests.escalations.fixtures import open_mediation

    escalated = [
        open_escalation(world).referral,
        open_escalation(
            world, referral_in(world, "in_triage", routed_team=world.other_district_team)
        ).referral,
        open_escalation(world, _foreign_referral(world), actor="other_school_coordinator").referral,
    ]
    mediated = open_mediation(world).referral
    user = world.user(actor)
    for referral in [*escalated, mediated]:
        visible = set(esc_perms.visible_escalations(user).filter(referral=referral))
        assert set(esc_perms.referral_escalations(user, referral)) == visible, referral
        visible = set(esc_perms.visible_mediations(user).filter(referral=referral))
        assert set(esc_perms.referral_mediations(user, referral)) == visible, referral
