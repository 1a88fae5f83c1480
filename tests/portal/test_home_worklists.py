"""The home page as a worklist (ADR 0140): per role what waits now, each count linking to the
list that shows exactly those, with the number of SQL queries pinned per role."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from referrals.transition import latest_birth_for_adult_on
from referrals.workflow import transition
from reporting.models import ProgressReport
from tests.agenda import factories as af
from tests.contacts import factories as cf
from tests.escalations.fixtures import open_escalation, past_the_norm, referral_in
from tests.helpers.queries import assert_queries_pinned
from tests.security.factories import request_for

pytestmark = pytest.mark.django_db

# The home page's queries per role, whatever the number of rows (session, user, memberships,
# the menu, the worklist's counts and the entry points' descriptions).
EXPECTED_HOME_QUERIES = {
    "school_coordinator": 4,
    "district_worker": 6,
    "partnership_director": 4,
    "municipal_officer": 4,
    "privacy_officer": 8,
    "registry_admin": 5,
    "steering_member": 5,
}


def _worklist(client, world, actor):
    client.force_login(world.user(actor))
    [block] = client.get(reverse("home")).context["blocks"]
    return {item.label: item for item in block["worklist"]}


def _answered(world):
    referral = referral_in(world, "returned")
    return transition(referral, "resubmit", world.user("school_coordinator"))


def _add_district_rows(world, n):
    for _ in range(n):
        referral_in(world, "submitted")
        past_the_norm(referral_in(world, "in_triage"))
        _answered(world)


def _add_school_rows(world, n):
    for _ in range(n):
        referral_in(world, "returned")
        referral_in(world, "draft")
        referral_in(world, "accepted")


def _add_escalations(world, n):
    for _ in range(n):
        open_escalation(world)


def _add_requests(world, n):
    for _ in range(n):
        request_for(world)


def _add_schools(world, n):
    for _ in range(n):
        cf.SchoolFactory(municipality=world.municipality)


def _add_agenda_rows(world, n):
    """Per row an agenda of the region with a goal at risk, and a ready report of the region."""
    for _ in range(n):
        agenda = af.AgendaFactory(region=world.region)
        goal = af.GoalFactory(ambition=af.AmbitionFactory(agenda=agenda))
        af.ActivityFactory(ambition=goal.ambition, goal=goal, due_date=datetime.date(2020, 1, 1))
        ProgressReport.objects.create(
            period="2026-H1", region=world.region, status=ProgressReport.Status.DONE
        )


ROWS = {
    "steering_member": _add_agenda_rows,
    "registry_admin": _add_schools,
    "school_coordinator": _add_school_rows,
    "district_worker": _add_district_rows,
    "partnership_director": _add_escalations,
    "municipal_officer": _add_escalations,
    "privacy_officer": _add_requests,
}


@pytest.mark.parametrize("actor", list(EXPECTED_HOME_QUERIES))
def test_the_home_page_query_count_is_pinned_per_role(client, world, actor):
    client.force_login(world.user(actor))
    assert_queries_pinned(
        client, reverse("home"), lambda n: ROWS[actor](world, n), EXPECTED_HOME_QUERIES[actor]
    )


def _rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["rows"]


def test_the_district_worker_sees_new_over_the_norm_and_answered(client, world):
    new = referral_in(world, "submitted")
    over = past_the_norm(referral_in(world, "in_triage"))
    answered = _answered(world)
    referral_in(world, "accepted")  # running: not in the worklist
    # running, and the pupil turns 18 in 60 days: the transition to prepare (ADR 0153)
    birth = latest_birth_for_adult_on(timezone.localdate() + datetime.timedelta(days=60))
    turning_18 = referral_in(world, "accepted", child_date_of_birth=birth)
    items = _worklist(client, world, "district_worker")
    assert [(label, item.count) for label, item in items.items()] == [
        ("nieuwe aanmeldingen", 2),
        ("over de norm", 1),
        ("vragen beantwoord door een school", 1),
        ("terugblikken op de samenwerking te beantwoorden", 0),
        ("overgang naar 18+ voorbereiden", 1),
    ]
    listed = {label: {row["referral"].pk for row in _rows(client, item.url)} for label, item in items.items()}
    assert listed == {
        "nieuwe aanmeldingen": {new.pk, answered.pk},
        "over de norm": {over.pk},
        "vragen beantwoord door een school": {answered.pk},
        "terugblikken op de samenwerking te beantwoorden": set(),
        "overgang naar 18+ voorbereiden": {turning_18.pk},
    }


def test_the_ib_er_sees_questions_drafts_and_recent_decisions(client, world):
    returned = referral_in(world, "returned")
    draft = referral_in(world, "draft")
    accepted = referral_in(world, "accepted")
    referral_in(world, "in_triage")
    items = _worklist(client, world, "school_coordinator")
    assert [(label, item.count) for label, item in items.items()] == [
        ("vragen van het team", 1),
        ("concepten", 1),
        ("onlangs besloten", 1),
        ("terugblikken op de samenwerking te beantwoorden", 0),
    ]
    listed = {label: {row["referral"].pk for row in _rows(client, item.url)} for label, item in items.items()}
    assert listed == {
        "vragen van het team": {returned.pk},
        "concepten": {draft.pk},
        "onlangs besloten": {accepted.pk},
        "terugblikken op de samenwerking te beantwoorden": set(),
    }


@pytest.mark.parametrize("actor", ["partnership_director", "municipal_officer"])
def test_the_deciders_see_their_open_escalations_since_when(client, world, actor):
    escalation = open_escalation(world)
    [item] = _worklist(client, world, actor).values()
    assert item.count == 1 and item.url == reverse("escalations:inbox")
    assert "oudste" in item.note
    client.force_login(world.user(actor))
    assert [e.pk for e in client.get(item.url).context["open_escalations"]] == [escalation.pk]
    [other] = _worklist(client, world, f"other_{actor}").values()
    assert other.count == 0


def test_the_privacy_officer_sees_the_recent_access_log_and_open_requests(client, world):
    request_for(world)
    client.force_login(world.user("school_coordinator"))
    client.get(reverse("referrals:detail", args=[referral_in(world, "submitted").uuid]))
    items = _worklist(client, world, "privacy_officer")
    log, requests = items.values()
    assert requests.count == 1 and "termijn" in requests.note
    assert log.count >= 1
    assert len(client.get(log.url).context["page"].rows) == log.count  # the list it links to shows them
    assert len(client.get(requests.url).context["open_requests"]) == 1


def test_the_registry_admin_sees_the_gaps_of_the_network(client, world):
    before = _worklist(client, world, "registry_admin")["Scholen zonder actieve tandem"].count
    school = cf.SchoolFactory(municipality=world.municipality)
    item = _worklist(client, world, "registry_admin")["Scholen zonder actieve tandem"]
    assert item.count == before + 1
    assert item.url == reverse("contacts:coverage") + "#gap-tandems"
    coverage = client.get(item.url.split("#")[0]).context["coverage"]
    assert len(coverage.schools_without_tandem) == item.count and school in coverage.schools_without_tandem


# The steering group: in December 2026 the report it downloads next is that of 2026-H1.
DECEMBER = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))


def _steering_agenda(world):
    """An agenda of the region with four goals: one with an overdue activity, one whose latest
    update says off track, one whose at-risk update was followed by on track, one on plan."""
    agenda = af.AgendaFactory(slug="steer", region=world.region, title="Werkagenda Utrecht")
    ambition = af.AmbitionFactory(agenda=agenda, number=1)
    goals = [af.GoalFactory(ambition=ambition, number=n, text=f"Doel {n}") for n in range(1, 5)]
    overdue, off_track, recovered, on_plan = (
        af.ActivityFactory(ambition=ambition, number=n, goal=goal) for n, goal in enumerate(goals, 1)
    )
    overdue.due_date = datetime.date(2026, 11, 30)
    overdue.save()
    af.ProgressUpdateFactory(activity=off_track, status="off_track")
    af.ProgressUpdateFactory(activity=recovered, status="at_risk", date=datetime.date(2026, 1, 1))
    af.ProgressUpdateFactory(activity=recovered, status="on_track", date=datetime.date(2026, 2, 1))
    on_plan.due_date = datetime.date(2026, 12, 31)
    on_plan.save()
    # Done past its due date, or stopped off track: no longer a risk.
    af.ActivityFactory(ambition=ambition, number=9, goal=goals[3], status="done", due_date="2026-01-01")
    other = af.AgendaFactory(region=cf.RegionFactory())  # another region's agenda: not counted
    af.ActivityFactory(
        ambition=af.AmbitionFactory(agenda=other),
        goal=af.GoalFactory(ambition=af.AmbitionFactory(agenda=other)),
        due_date=datetime.date(2020, 1, 1),
    )
    return agenda, goals


def test_the_steering_group_sees_its_goals_at_risk_and_the_next_report(client, world):
    with time_machine.travel(DECEMBER, tick=False):
        agenda, goals = _steering_agenda(world)
        items = list(_worklist(client, world, "steering_member").values())
        at_risk, report = items
        assert (at_risk.label, at_risk.count, at_risk.note) == ("doelen met risico", 2, "Werkagenda Utrecht")
        assert at_risk.url == reverse("agenda:detail", args=["steer"]) + "?risico=1"
        html = client.get(at_risk.url).content.decode()
        assert "Getoond: alleen de 2 doelen met risico" in html and "Alle doelen tonen" in html
        shown = [gp.goal.pk for _a, gps, _acts in client.get(at_risk.url).context["overview"] for gp in gps]
        assert shown == [goals[0].pk, goals[1].pk]
        all_goals = client.get(reverse("agenda:detail", args=["steer"])).context["overview"]
        assert [len(gps) for _a, gps, _acts in all_goals] == [4]

        # The next report: 2026-H1, not generated yet; then ready, and the note names the next one.
        assert report.count == 0 and "nog niet gemaakt" in report.note
        assert report.label == "voortgangsrapportages over het eerste halfjaar 2026"
        failed = ProgressReport.objects.create(period="2026-H1", region=world.region, status="failed")
        ProgressReport.objects.create(period="2025-H2", region=world.region, status="done")  # older
        ProgressReport.objects.create(period="2026-H1", region=cf.RegionFactory(), status="done")  # other
        report = _worklist(client, world, "steering_member")[report.label]
        assert report.count == 1 and "nog niet gemaakt" in report.note
        ready = ProgressReport.objects.create(period="2026-H1", region=world.region, status="done")
        report = _worklist(client, world, "steering_member")[report.label]
        assert (
            report.count == 2 and report.note == "klaar; volgende: tweede halfjaar 2026, na 31 december 2026"
        )
        assert {r.pk for r in client.get(report.url).context["reports"]} == {ready.pk, failed.pk}


def test_an_agenda_without_goals_at_risk_says_so_when_filtered(client, world):
    af.AgendaFactory(slug="calm", region=world.region)
    client.force_login(world.user("steering_member"))
    html = client.get(reverse("agenda:detail", args=["calm"]) + "?risico=1").content.decode()
    assert "Geen doel van deze werkagenda loopt risico." in html
    assert "Getoond: alleen de 0 doelen met risico" in html
