"""Region borders (ADR 0123): with two regions side by side, each region's privacy officer,
registry administrator and agenda readers see and touch only their own region; a foreign
region's object answers 404."""

import csv
import datetime
import io
from types import SimpleNamespace

import pytest
from django.urls import reverse

from contacts.models import Role
from portal.audit import log_access
from portal.models import AccessLog
from tests.agenda.factories import (
    ActivityFactory,
    AgendaFactory,
    AmbitionFactory,
    GoalFactory,
    MeetingFactory,
)
from tests.contacts import factories as f
from tests.referrals.factories import referral_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(world):
    """A second region beside the world's, with its own organisations and accounts."""
    r = SimpleNamespace(users={})
    r.region = f.RegionFactory(code="BTW", name="Regio Betuwe")
    r.subregion = f.SubregionFactory(code="BTW-A", name="Betuwe", parent=r.region)
    r.municipality = f.MunicipalityFactory(cbs_code="GM0281", name="Tiel", region=r.subregion)
    r.partnership = f.PartnershipFactory(code="PO0981", name="SWV Betuwe", region=r.subregion)
    r.school = f.SchoolFactory(
        brin="98AA", name="Basisschool Appelgaard", partnership=r.partnership, municipality=r.municipality
    )
    r.district_team = f.DistrictTeamFactory(name="Sociaal team Tiel", municipality=r.municipality)
    for role, org in (
        (Role.REGISTRY_ADMIN, r.region),
        (Role.PRIVACY_OFFICER, r.region),
        (Role.STEERING_MEMBER, r.region),
        (Role.SCHOOL_COORDINATOR, r.school),
        (Role.DISTRICT_WORKER, r.district_team),
    ):
        r.users[role.value] = f.make_member(role, org, email=f"{role.value}@betuwe.example.test")
    r.tandem = f.TandemFactory(
        school=r.school,
        school_coordinator=r.users["school_coordinator"].person,
        district_worker=r.users["district_worker"].person,
        district_team=r.district_team,
    )
    r.assignment = f.ContactAssignmentFactory(
        school=r.school, valid_from=datetime.date(2026, 1, 1), person=f.PersonFactory()
    )
    r.agenda = AgendaFactory(slug="betuwe", title="Werkagenda Betuwe", region=r.region)
    r.goal = GoalFactory(ambition=AmbitionFactory(agenda=r.agenda))
    r.activity = ActivityFactory(ambition=r.goal.ambition)
    r.meeting = MeetingFactory(region=r.region, place="Tiel")
    return r


@pytest.fixture
def home_agenda(world):
    agenda = AgendaFactory(slug="testregio", title="Werkagenda Testregio", region=world.region)
    ActivityFactory(ambition=AmbitionFactory(agenda=agenda))
    return agenda


def _read(user, reference):
    return log_access(
        user, AccessLog.Action.VIEW, object_type="referrals.referral", object_id="1", reference=reference
    )


# --- The privacy officer's access log --------------------------------------------------------


def test_access_log_shows_only_the_officers_own_region(world, foreign, client):
    _read(world.user("district_worker"), "TR-2026-0001")
    _read(foreign.users["district_worker"], "TR-2026-0900")
    _read(foreign.users["school_coordinator"], "TR-2026-0901")
    url = reverse("security:access_log")

    client.force_login(world.user("privacy_officer"))
    refs = {row.object_reference for row in client.get(url).context["page"].rows}
    assert "TR-2026-0001" in refs and not refs & {"TR-2026-0900", "TR-2026-0901"}
    # Filtering by a foreign user's address finds nothing either.
    rows = client.get(url, {"user": foreign.users["district_worker"].email}).context["page"].rows
    assert list(rows) == []

    client.force_login(foreign.users["privacy_officer"])
    refs = {row.object_reference for row in client.get(url).context["page"].rows}
    assert {"TR-2026-0900", "TR-2026-0901"} <= refs and "TR-2026-0001" not in refs


def test_access_log_csv_holds_only_the_officers_own_region(world, foreign, client):
    _read(world.user("school_coordinator"), "TR-2026-0001")
    _read(foreign.users["district_worker"], "TR-2026-0900")
    client.force_login(foreign.users["privacy_officer"])
    response = client.get(reverse("security:access_log_export"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))[1:]
    emails = {row[1] for row in rows}
    assert foreign.users["district_worker"].email in emails
    assert world.user("school_coordinator").email not in emails
    assert "TR-2026-0001" not in {row[7] for row in rows}


# --- Coverage --------------------------------------------------------------------------------


@pytest.mark.parametrize("side", ["world", "foreign"])
def test_coverage_offers_only_the_own_regions_subregions(world, foreign, client, side):
    if side == "world":
        user, own = world.user("registry_admin"), world.region
    else:
        user, own = foreign.users["registry_admin"], foreign.region
    client.force_login(user)
    response = client.get(reverse("contacts:coverage"))
    assert {r.parent_id for r in response.context["subregions"]} == {own.pk}
    names = {s.name for s in response.context["coverage"].schools_without_tandem} | {
        m.name for m in response.context["coverage"].municipalities_without_contact
    }
    foreign_names = {"Basisschool Appelgaard", "Tiel"} if side == "world" else {"Gemeente Aan"}
    assert not names & foreign_names
    # A foreign subregion's code is not honoured: the page stays on the own region.
    foreign_code = foreign.subregion.code if side == "world" else world.subregion.code
    response = client.get(reverse("contacts:coverage"), {"subregio": foreign_code})
    assert response.status_code == 200
    region = response.context["coverage"].region
    assert region is not None and (region.parent_id or region.pk) == own.pk


# --- The registry administrator's edit pages ---------------------------------------------------


def _edit_urls(r):
    return {
        "assignment_replace": reverse("contacts:assignment_replace", args=["school", r.school.pk]),
        "assignment_replace_team": reverse(
            "contacts:assignment_replace", args=["district_team", r.district_team.pk]
        ),
        "assignment_replace_municipality": reverse(
            "contacts:assignment_replace", args=["municipality", r.municipality.pk]
        ),
        "assignment_replace_partnership": reverse(
            "contacts:assignment_replace", args=["partnership", r.partnership.pk]
        ),
        "assignment_end": reverse("contacts:assignment_end", args=[r.assignment.pk]),
        "tandem_replace": reverse("contacts:tandem_replace", args=[r.school.pk]),
        "tandem_end": reverse("contacts:tandem_end", args=[r.tandem.pk]),
    }


def test_registry_admin_edits_their_own_region(foreign, client):
    client.force_login(foreign.users["registry_admin"])
    for name, url in _edit_urls(foreign).items():
        assert client.get(url).status_code == 200, name


def test_registry_admin_cannot_post_into_a_foreign_region(world, foreign, client):
    client.force_login(world.user("registry_admin"))
    response = client.post(
        reverse("contacts:tandem_end", args=[foreign.tandem.pk]), {"valid_to": "2026-06-30"}
    )
    assert response.status_code == 404
    foreign.tandem.refresh_from_db()
    assert foreign.tandem.valid_to is None


# --- The agenda ------------------------------------------------------------------------------


def test_agenda_index_lists_only_the_own_regions_agenda(world, foreign, home_agenda, client):
    client.force_login(world.user("steering_member"))
    agendas = list(client.get(reverse("agenda:index")).context["agendas"])
    assert agendas == [home_agenda]
    client.force_login(foreign.users["school_coordinator"])
    agendas = list(client.get(reverse("agenda:index")).context["agendas"])
    assert agendas == [foreign.agenda]


# --- Every touched detail URL: a foreign region's object is 404 ------------------------------


def _foreign_urls(r):
    urls = _edit_urls(r)
    urls.update(
        {
            "agenda_detail": reverse("agenda:detail", args=[r.agenda.slug]),
            "agenda_quadrant": reverse("agenda:quadrant", args=[r.agenda.slug]),
            "agenda_meetings": reverse("agenda:meetings", args=[r.agenda.slug]),
            "agenda_activity_create": reverse("agenda:activity_create", args=[r.agenda.slug]),
            "agenda_meeting_create": reverse("agenda:meeting_create", args=[r.agenda.slug]),
            "activity": reverse("agenda:activity", args=[r.activity.pk]),
            "activity_edit": reverse("agenda:activity_edit", args=[r.activity.pk]),
            "goal_edit": reverse("agenda:goal_edit", args=[r.goal.pk]),
            "meeting_edit": reverse("agenda:meeting_edit", args=[r.meeting.pk]),
        }
    )
    return urls


FOREIGN_URL_NAMES = sorted(
    [
        "assignment_replace",
        "assignment_replace_team",
        "assignment_replace_municipality",
        "assignment_replace_partnership",
        "assignment_end",
        "tandem_replace",
        "tandem_end",
        "agenda_detail",
        "agenda_quadrant",
        "agenda_meetings",
        "agenda_activity_create",
        "agenda_meeting_create",
        "activity",
        "activity_edit",
        "goal_edit",
        "meeting_edit",
    ]
)


@pytest.mark.parametrize("name", FOREIGN_URL_NAMES)
@pytest.mark.parametrize("role", ["registry_admin", "steering_member"])
def test_foreign_region_object_is_404(world, foreign, client, name, role):
    client.force_login(world.user(role))
    assert client.get(_foreign_urls(foreign)[name]).status_code == 404


# --- ADR 0147: the right of access, people, and what national pages show ----------------------


def test_a_privacy_officer_does_not_find_another_regions_referral(world, foreign, client):
    from tests.referrals.factories import complete_referral

    # The same child at a school of each region: each officer finds only their own referral.
    child = {"child_first_name": "Noor", "child_last_name": "Grensgeval"}
    home = referral_in(world, "submitted", **child)
    away = complete_referral(
        foreign.school,
        foreign.users["school_coordinator"],
        child_date_of_birth=home.child_date_of_birth,
        reference="TR-2026-0950",
        **child,
    )
    client.force_login(foreign.users["privacy_officer"])
    url = reverse("security:subject_access")
    response = client.post(url, {"reference": home.reference, "received_on": "2026-11-30"})
    assert response.status_code == 200 and response.context["preview"] is None
    assert "reference" in response.context["form"].errors
    client.force_login(world.user("privacy_officer"))
    response = client.post(url, {"reference": home.reference, "received_on": "2026-11-30"})
    preview = response.context["preview"]
    assert preview is not None and away.pk not in {d.referral.pk for d in preview.others}


def test_another_regions_registry_admin_reads_but_does_not_edit_a_person(world, foreign, client):
    person = f.PersonFactory(name="Iris Tweeregio")
    person.schools.add(world.school, foreign.school)
    client.force_login(foreign.users["registry_admin"])
    page = client.get(reverse("contacts:person_detail", args=[person.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Testregio" in html and "Regio Betuwe" in html  # each organisation's region
    outsider = f.PersonFactory(name="Alleen Hier")
    outsider.schools.add(world.school)
    assert client.get(reverse("contacts:person_edit", args=[outsider.pk])).status_code == 403


def test_saving_a_persons_organisations_keeps_the_other_regions_links(world, foreign, client):
    person = f.PersonFactory(name="Iris Tweeregio", email="iris@example.test")
    person.schools.add(world.school, foreign.school)
    client.force_login(world.user("registry_admin"))
    form = client.get(reverse("contacts:person_edit", args=[person.pk])).context["form"]
    assert foreign.school not in form.fields["schools"].queryset
    data = {"name": "Iris Tweeregio", "email": "iris@example.test", "function": "IB-er"}
    response = client.post(
        reverse("contacts:person_edit", args=[person.pk]), {**data, "schools": [world.other_school.pk]}
    )
    assert response.status_code == 302
    assert set(person.schools.all()) == {world.other_school, foreign.school}
    # Another region's school in the post is refused next to the field; nothing changes.
    response = client.post(
        reverse("contacts:person_edit", args=[person.pk]), {**data, "schools": [foreign.school.pk]}
    )
    assert response.status_code == 200 and "schools" in response.context["form"].errors
    assert set(person.schools.all()) == {world.other_school, foreign.school}


def test_directory_pages_name_the_region(world, foreign, client):
    client.force_login(world.user("school_coordinator"))
    for url in (
        reverse("contacts:school_detail", args=[foreign.school.pk]),
        reverse("contacts:district_team_detail", args=[foreign.district_team.pk]),
        reverse("contacts:municipality_detail", args=[foreign.municipality.pk]),
        reverse("contacts:partnership_detail", args=[foreign.partnership.pk]),
        reverse("contacts:list", args=["schools"]),
        reverse("contacts:list", args=["district_teams"]),
    ):
        assert "Betuwe, Regio Betuwe" in client.get(url).content.decode(), url


def test_the_precedent_library_names_the_region_of_each_precedent(world, foreign, client):
    from tests.escalations.fixtures import published_precedent

    precedent = published_precedent(foreign.users["steering_member"], partnership=foreign.partnership)
    client.force_login(world.user("school_coordinator"))
    assert "Regio Betuwe" in client.get(reverse("escalations:precedents")).content.decode()
    detail = client.get(reverse("escalations:precedent", args=[precedent.pk]))
    assert detail.status_code == 200 and "Regio Betuwe" in detail.content.decode()
