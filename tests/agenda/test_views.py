"""The agenda pages: target vs actual, progress updates, forms with bad input, meetings,
the quadrant, and query counts that do not grow with the number of rows."""

import dataclasses
import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from agenda.models import Activity, AppendOnlyError, Meeting, ProgressUpdate
from tests.agenda import factories as af
from tests.contacts import factories as f
from tests.helpers.queries import assert_queries_pinned

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def agenda(world):
    agenda = af.AgendaFactory(slug="test", region=world.region, title="Testwerkagenda")
    one = af.AmbitionFactory(agenda=agenda, number=1, text="Ambitie een")
    two = af.AmbitionFactory(agenda=agenda, number=2, text="Ambitie twee")
    meetings_goal = af.GoalFactory(
        ambition=one,
        number=1,
        text="Twee ontmoetingen per jaar",
        target_value=2,
        target_unit="ontmoetingen per jaar",
        indicator="practitioner_meetings",
    )
    contacts_goal = af.GoalFactory(
        ambition=one,
        number=2,
        text="Elke school een contact",
        target_unit="scholen en gemeenten",
        indicator="fixed_contact_coverage",
    )
    typed_goal = af.GoalFactory(
        ambition=two, number=1, text="Een formulier", target_value=1, target_unit="formulier"
    )
    owned = af.ActivityFactory(
        ambition=one,
        number=1,
        goal=meetings_goal,
        title="Ontmoetingen organiseren",
        owner_partnership=world.partnership,
    )
    by_municipality = af.ActivityFactory(
        ambition=two,
        number=1,
        goal=typed_goal,
        title="Formulier maken",
        owner_municipality=world.municipality,
    )
    af.MeetingFactory(region=world.region, date=datetime.date(2026, 3, 1))
    return {
        "agenda": agenda,
        "meetings_goal": meetings_goal,
        "contacts_goal": contacts_goal,
        "typed_goal": typed_goal,
        "owned": owned,
        "by_municipality": by_municipality,
        "ambition": one,
    }


def login(client, world, actor):
    client.force_login(world.user(actor))


def goal_row(html, code):
    start = html.index(f'data-goal="{code}"')
    return html[start : html.index("</tr>", start)]


def test_agenda_page_shows_target_and_live_actual(client, world, agenda):
    login(client, world, "steering_member")
    html = client.get(reverse("agenda:detail", args=["test"])).content.decode()
    row = goal_row(html, "1.1")
    assert "2 ontmoetingen per jaar" in row and "<strong>1</strong>" in row and "onder streefwaarde" in row
    # Every (v)so school and municipality of the world: 0 (v)so + 2 municipalities, none assigned yet.
    row = goal_row(html, "1.2")
    assert "2 scholen en gemeenten" in row and "<strong>0</strong> van 2" in row
    assert "zie activiteiten" in goal_row(html, "2.1") and "1 formulier" in goal_row(html, "2.1")
    assert "Ontmoetingen organiseren" in html and world.partnership.name in html
    assert html.count('class="utrecht-heading-1"') == 1


def test_agenda_page_after_a_second_meeting_meets_the_target(client, world, agenda):
    af.MeetingFactory(region=world.subregion, date=datetime.date(2026, 6, 1))
    login(client, world, "school_coordinator")
    row = goal_row(client.get(reverse("agenda:detail", args=["test"])).content.decode(), "1.1")
    assert "<strong>2</strong>" in row and "streefwaarde gehaald" in row


def test_owner_posts_an_at_risk_update_and_the_agenda_shows_it(client, world, agenda):
    login(client, world, "partnership_director")
    url = reverse("agenda:activity_update", args=[agenda["owned"].pk])
    response = client.post(
        url, {"status": "at_risk", "date": "2026-06-14", "note": "Zaal nog niet geregeld."}
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.author, update.status, update.activity) == (
        world.user("partnership_director"),
        "at_risk",
        agenda["owned"],
    )
    html = client.get(reverse("agenda:detail", args=["test"])).content.decode()
    assert "risico" in goal_row(html, "1.1")
    page = client.get(reverse("agenda:activity", args=[agenda["owned"].pk])).content.decode()
    assert "Zaal nog niet geregeld." in page and "14 juni 2026" in page


def test_the_latest_update_wins(client, world, agenda):
    activity = agenda["owned"]
    af.ProgressUpdateFactory(activity=activity, date=datetime.date(2026, 5, 1), status="off_track")
    af.ProgressUpdateFactory(activity=activity, date=datetime.date(2026, 6, 1), status="on_track")
    af.ProgressUpdateFactory(activity=activity, date=datetime.date(2026, 4, 1), status="at_risk")
    login(client, world, "steering_member")
    row = goal_row(client.get(reverse("agenda:detail", args=["test"])).content.decode(), "1.1")
    assert "op koers" in row and "risico" not in row


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"status": "at_risk", "date": "2026-06-14", "note": "nul\x00byte"},
            "Null-tekens zijn niet toegestaan.",
        ),
        ({"status": "at_risk", "date": "2026-06-14", "note": "x" * 10_001}, "niet meer dan 10000 tekens"),
        ({"status": "at_risk", "date": "2026-06-16", "note": "morgen"}, "niet in de toekomst"),
        ({"status": "at_risk", "date": "2026-13-45", "note": "ongeldig"}, "Voer een geldige datum in."),
        ({"status": "at_risk", "date": "1899-01-01", "note": "oud"}, "tussen 2000 en 2100"),
        ({"status": "kapot", "date": "2026-06-14", "note": "status"}, "Selecteer een geldige keuze"),
        ({"status": "at_risk", "date": "2026-06-14", "note": ""}, "Dit veld is verplicht."),
    ],
)
def test_bad_update_input_is_refused_next_to_the_field(client, world, agenda, data, message):
    login(client, world, "partnership_director")
    response = client.post(reverse("agenda:activity_update", args=[agenda["owned"].pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'aria-invalid="true"' in html
    assert "<title>Fout:" in html
    assert not ProgressUpdate.objects.exists()


def test_others_cannot_post_updates(client, world, agenda):
    for actor in ("other_partnership_director", "municipal_officer", "school_coordinator"):
        login(client, world, actor)
        response = client.post(
            reverse("agenda:activity_update", args=[agenda["owned"].pk]),
            {"status": "on_track", "date": "2026-06-14", "note": "x"},
        )
        assert response.status_code == 403, actor
    assert not ProgressUpdate.objects.exists()


def test_the_owner_person_may_post_updates(client, world, agenda):
    activity = agenda["owned"]
    activity.owner_person = world.user("school_coordinator").person
    activity.save()
    login(client, world, "school_coordinator")
    response = client.post(
        reverse("agenda:activity_update", args=[activity.pk]),
        {"status": "on_track", "date": "2026-06-14", "note": "ok"},
    )
    assert response.status_code == 302
    assert "Mijn activiteiten" in client.get(reverse("agenda:my_activities")).content.decode()
    assert "Ontmoetingen organiseren" in client.get(reverse("agenda:my_activities")).content.decode()


def test_progress_updates_are_append_only(world, agenda):
    update = af.ProgressUpdateFactory(activity=agenda["owned"])
    update.note = "herschreven"
    with pytest.raises(AppendOnlyError):
        update.save()
    with pytest.raises(AppendOnlyError):
        update.delete()
    assert ProgressUpdate.objects.get().note == "Loopt volgens plan."


def test_owner_edits_status_and_scores_but_not_the_documents_words(client, world, agenda):
    activity = agenda["owned"]
    login(client, world, "partnership_director")
    url = reverse("agenda:activity_edit", args=[activity.pk])
    response = client.post(
        url, {"status": "in_progress", "impact": "6", "added_value": "2", "title": "Anders"}
    )
    assert response.status_code == 200 and "Selecteer een geldige keuze" in response.content.decode()
    response = client.post(
        url,
        {
            "status": "in_progress",
            "impact": "4",
            "added_value": "2",
            "due_date": "2027-01-31",
            "title": "Anders",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.status, activity.impact, activity.added_value) == ("in_progress", 4, 2)
    assert activity.due_date == datetime.date(2027, 1, 31) and activity.title == "Ontmoetingen organiseren"


def _activity_data(agenda, **extra):
    return {
        "ambition": agenda["ambition"].pk,
        "number": "9",
        "title": "Nieuwe activiteit",
        "status": "planned",
        **extra,
    }


def test_steering_member_adds_an_activity(client, world, agenda):
    login(client, world, "steering_member")
    url = reverse("agenda:activity_create", args=["test"])
    response = client.post(
        url, _activity_data(agenda, owner_municipality=world.other_municipality.pk, impact="3")
    )
    assert response.status_code == 302
    created = Activity.objects.get(number=9)
    assert created.owner_municipality == world.other_municipality and created.code == "1.9"


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"owner_partnership": "partnership", "owner_municipality": "municipality"}, "Kies één eigenaar"),
        ({"owner_partnership": "foreign"}, "Selecteer een geldige keuze"),
        ({"goal": "typed_goal"}, "Kies een doelstelling van dezelfde ambitie."),
        ({"number": "1"}, "bestaat al"),
        ({"due_date": "31-02-2026"}, "Voer een geldige datum in."),
    ],
)
def test_bad_activity_input_is_refused(client, world, agenda, extra, message):
    foreign = f.PartnershipFactory(region=f.SubregionFactory(parent=f.RegionFactory(code="ELDERS")))
    ids = {
        "partnership": world.partnership.pk,
        "municipality": world.municipality.pk,
        "foreign": foreign.pk,
        "typed_goal": agenda["typed_goal"].pk,
    }
    data = _activity_data(agenda, **{k: ids.get(v, v) for k, v in extra.items()})
    login(client, world, "steering_member")
    response = client.post(reverse("agenda:activity_create", args=["test"]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activity.objects.filter(number=9).exists()


def test_steering_member_links_a_goal_to_an_indicator(client, world, agenda):
    goal = agenda["typed_goal"]
    login(client, world, "steering_member")
    url = reverse("agenda:goal_edit", args=[goal.pk])
    assert client.post(url, {"text": goal.text, "indicator": "nope"}).status_code == 200
    response = client.post(
        url,
        {
            "text": goal.text,
            "target_value": "2",
            "target_unit": "pilotscholen",
            "indicator": "collective_funding_pilots",
        },
    )
    assert response.status_code == 302
    world.school.collective_funding_pilot = True
    world.school.save()
    row = goal_row(client.get(reverse("agenda:detail", args=["test"])).content.decode(), "2.1")
    assert "<strong>1</strong>" in row and "2 pilotscholen" in row


def test_meeting_is_recorded_and_counted(client, world, agenda):
    login(client, world, "municipal_officer")
    url = reverse("agenda:meeting_create", args=["test"])
    data = {
        "meeting_type": "practitioner",
        "date": "2026-06-10",
        "place": "Wijkcentrum",
        "organising_municipalities": [world.municipality.pk],
        "attending_schools": [world.school.pk, world.other_school.pk],
        "attending_district_teams": [world.district_team.pk],
        "follow_up_activities": [agenda["owned"].pk],
        "notes": "Kennismaking",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse(
        "agenda:meetings_year", args=["test", 2026]
    )
    meeting = Meeting.objects.get(place="Wijkcentrum")
    assert meeting.region == world.region and list(meeting.follow_up_activities.all()) == [agenda["owned"]]
    html = client.get(response["Location"]).content.decode()
    start = html.index('data-type="practitioner"')
    summary = html[start : html.index("</tr>", start)]
    assert "2 bijeenkomsten <span" in summary and "streefwaarde gehaald" in summary
    assert "Basisschool Bee" in html and "Kennismaking" in html
    # The officer's municipality organised it, so the officer may edit it; another officer may not.
    assert client.get(reverse("agenda:meeting_edit", args=[meeting.pk])).status_code == 200
    login(client, world, "other_municipal_officer")
    assert client.get(reverse("agenda:meeting_edit", args=[meeting.pk])).status_code == 403


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"date": "2026-02-30"}, "Voer een geldige datum in."),
        ({"date": "3026-01-01"}, "tussen 2000 en 2100"),
        ({"attending_schools": ["foreign"]}, "Selecteer een geldige keuze"),
        ({"meeting_type": ""}, "Dit veld is verplicht."),
        ({"place": "x" * 201}, "niet meer dan 200 tekens"),
        ({"notes": "a\x00b"}, "Null-tekens zijn niet toegestaan."),
    ],
)
def test_bad_meeting_input_is_refused(client, world, agenda, extra, message):
    foreign = f.SchoolFactory(
        municipality=f.MunicipalityFactory(region=f.SubregionFactory(parent=f.RegionFactory()))
    )
    data = {"meeting_type": "inspiration", "date": "2026-05-01", "place": "Zaal"}
    data.update({k: [foreign.pk] if v == ["foreign"] else v for k, v in extra.items()})
    login(client, world, "steering_member")
    response = client.post(reverse("agenda:meeting_create", args=["test"]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Meeting.objects.count() == 1


def test_meetings_page_per_year(client, world, agenda):
    af.MeetingFactory(region=world.region, meeting_type="inspiration", date=datetime.date(2026, 9, 1))
    af.MeetingFactory(region=world.region, meeting_type="practitioner", date=datetime.date(2025, 9, 1))
    login(client, world, "district_worker")
    html = client.get(reverse("agenda:meetings", args=["test"])).content.decode()
    assert "Bijeenkomsten 2026" in html
    start = html.index('data-type="inspiration"')
    row = html[start : html.index("</tr>", start)]
    # Held 0 against the default target 1 (no goal links inspiration sessions here); 1 planned.
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells == ["0 bijeenkomsten onder streefwaarde", "1", "1"]
    assert "Record a meeting" not in html and "Bijeenkomst vastleggen" not in html
    html_2025 = client.get(reverse("agenda:meetings_year", args=["test", 2025])).content.decode()
    assert "1 september 2025" in html_2025 and "1 maart 2026" not in html_2025


def test_quadrant_draws_scored_activities_with_an_equivalent_table(client, world, agenda):
    Activity.objects.filter(pk=agenda["owned"].pk).update(impact=5, added_value=4)
    login(client, world, "privacy_officer")
    html = client.get(reverse("agenda:quadrant", args=["test"])).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count("<circle") == 1 and ">1.1</text>" in svg
    assert 'role="img"' in svg and "<title" in svg
    # added value 4 → x = 90 + 3.5 × 80 = 370; impact 5 → y = 20 + 0.5 × 80 = 60.
    assert 'cx="370.0" cy="60.0"' in svg
    table = html[html.index("<table") :]
    assert "veel impact, veel bovenregionale meerwaarde" in table
    assert "Nog niet gescoord" in html and "Formulier maken" in html


def test_meetings_summary_counts_one_meeting_in_the_singular(client, world, agenda):
    login(client, world, "district_worker")
    html = client.get(reverse("agenda:meetings", args=["test"])).content.decode()
    start = html.index('data-type="practitioner"')
    row = html[start : html.index("</tr>", start)]
    assert "1 bijeenkomst <span" in row and "onder streefwaarde" in row
    assert "doel gehaald" not in html


OVERDUE = "streefdatum verstreken"


def test_an_open_activity_past_its_due_date_is_marked_overdue_on_every_list(client, world, agenda):
    # Planned and in progress past the due date: overdue. Done, stopped, due today or later: not.
    Activity.objects.filter(pk=agenda["owned"].pk).update(
        status="in_progress", due_date=datetime.date(2026, 6, 14), impact=5, added_value=4
    )
    Activity.objects.filter(pk=agenda["by_municipality"].pk).update(
        status="planned", due_date=datetime.date(2026, 1, 31)
    )
    for number, (status, due) in enumerate(
        [("done", "2026-01-01"), ("stopped", "2026-01-01"), ("planned", "2026-06-15"), ("planned", None)],
        start=2,
    ):
        af.ActivityFactory(
            ambition=agenda["ambition"],
            number=number,
            title=f"Activiteit {status} {due}",
            status=status,
            due_date=due,
            owner_partnership=world.partnership,
        )
    login(client, world, "partnership_director")
    html = client.get(reverse("agenda:detail", args=["test"])).content.decode()
    assert html.count(OVERDUE) == 2
    for pk in (agenda["owned"].pk, agenda["by_municipality"].pk):
        start = html.index(f'id="activity-{pk}"')
        assert OVERDUE in html[start : html.index("</tr>", start)]
    # The marker is text in a badge, next to the status it qualifies (not colour only).
    assert (
        'in uitvoering <span class="utrecht-status-badge utrecht-status-badge--danger agenda-overdue">'
        f"{OVERDUE}</span>" in html
    )
    html = client.get(reverse("agenda:my_activities")).content.decode()
    assert html.count(OVERDUE) == 1  # the partnership's own: 1.1, not the municipality's 2.1
    html = client.get(reverse("agenda:quadrant", args=["test"])).content.decode()
    assert html.count(OVERDUE) == 2  # 1.1 in the table of scored, 2.1 in the list of unscored
    html = client.get(reverse("agenda:activity", args=[agenda["owned"].pk])).content.decode()
    assert html.count(OVERDUE) == 1
    done = Activity.objects.get(number=2, ambition=agenda["ambition"])
    assert OVERDUE not in client.get(reverse("agenda:activity", args=[done.pk])).content.decode()


def test_my_activities_lists_what_my_organisation_owns(client, world, agenda):
    login(client, world, "municipal_officer")
    html = client.get(reverse("agenda:my_activities")).content.decode()
    assert "Formulier maken" in html and "Ontmoetingen organiseren" not in html
    login(client, world, "district_worker")
    html = client.get(reverse("agenda:my_activities")).content.decode()
    assert "trekken geen activiteit" in html


def test_navigation_shows_the_work_agenda_to_every_member(client, world):
    for actor in ("school_coordinator", "privacy_officer", "steering_member"):
        login(client, world, actor)
        html = client.get(reverse("home")).content.decode()
        assert f'href="{reverse("agenda:index")}"' in html and "Werkagenda" in html


# --- Query counts ----------------------------------------------------------------------------


def _add_activities(world, agenda):
    counter = iter(range(100, 1000))

    def add(n):
        for _ in range(n):
            activity = af.ActivityFactory(
                ambition=agenda["ambition"],
                number=next(counter),
                goal=agenda["meetings_goal"],
                owner_partnership=world.partnership,
                owner_person=world.user("partnership_director").person,
                impact=3,
                added_value=2,
            )
            af.ProgressUpdateFactory(activity=activity)
            af.ProgressUpdateFactory(activity=activity, status="at_risk")

    return add


def test_agenda_list_query_count_is_pinned(client, world, agenda):
    login(client, world, "steering_member")

    def add(n):
        for _ in range(n):
            af.ActivityFactory(ambition=af.AmbitionFactory(agenda=af.AgendaFactory(region=world.region)))

    assert_queries_pinned(client, reverse("agenda:index"), add, expected=EXPECTED["index"])


def test_agenda_page_query_count_is_pinned(client, world, agenda):
    login(client, world, "steering_member")
    url = reverse("agenda:detail", args=["test"])
    assert_queries_pinned(client, url, _add_activities(world, agenda), expected=EXPECTED["detail"])


def test_agenda_page_filtered_to_goals_at_risk_query_count_is_pinned(client, world, agenda):
    login(client, world, "steering_member")
    url = reverse("agenda:detail", args=["test"]) + "?risico=1"
    assert_queries_pinned(client, url, _add_activities(world, agenda), expected=EXPECTED["detail_at_risk"])
    # The rows added are at risk (latest update "at risk"), so the filtered page shows them.
    [(_ambition, goals, activities)] = client.get(url).context["overview"]
    assert [gp.goal.code for gp in goals] == ["1.1"] and len(activities) > 1


def test_the_goals_at_risk_filter_shows_its_state_and_the_way_back(client, world, agenda):
    Activity.objects.filter(pk=agenda["by_municipality"].pk).update(due_date=datetime.date(2026, 6, 14))
    login(client, world, "partnership_director")
    url = reverse("agenda:detail", args=["test"])
    html = client.get(url).content.decode()
    assert f'href="{url}?risico=1"' in html and "Alleen de doelen met risico tonen" in html
    assert "doel met risico</span>" in goal_row(html, "2.1") and "met risico" not in goal_row(html, "1.1")
    html = client.get(url + "?risico=1").content.decode()
    assert "Getoond: alleen het 1 doel met risico" in html and f'href="{url}">Alle doelen tonen' in html
    assert 'data-goal="2.1"' in html and 'data-goal="1.1"' not in html
    assert "Ambitie twee" in html and "Ambitie een" not in html
    # Any other value of the parameter shows every goal.
    assert 'data-goal="1.1"' in client.get(url + "?risico=x\x00").content.decode()


def test_quadrant_query_count_is_pinned(client, world, agenda):
    login(client, world, "steering_member")
    url = reverse("agenda:quadrant", args=["test"])
    assert_queries_pinned(client, url, _add_activities(world, agenda), expected=EXPECTED["quadrant"])


def test_my_activities_query_count_is_pinned(client, world, agenda):
    login(client, world, "partnership_director")
    url = reverse("agenda:my_activities")
    assert_queries_pinned(client, url, _add_activities(world, agenda), expected=EXPECTED["my_activities"])


def test_activity_page_query_count_is_pinned(client, world, agenda):
    login(client, world, "partnership_director")
    activity = agenda["owned"]

    def add(n):
        for _ in range(n):
            af.ProgressUpdateFactory(activity=activity, author=f.UserFactory())
            af.MeetingFactory(region=world.region).follow_up_activities.add(activity)

    url = reverse("agenda:activity", args=[activity.pk])
    assert_queries_pinned(client, url, add, expected=EXPECTED["activity"])


def test_meetings_page_query_count_is_pinned(client, world, agenda):
    login(client, world, "steering_member")

    def add(n):
        for _ in range(n):
            meeting = af.MeetingFactory(region=world.region, date=datetime.date(2026, 4, 1))
            meeting.organising_partnerships.add(world.partnership)
            meeting.organising_municipalities.add(world.municipality)
            meeting.attending_schools.add(world.school, world.other_school)
            meeting.attending_district_teams.add(world.district_team)
            meeting.attending_care_providers.add(world.care_provider)
            meeting.attending_partnerships.add(world.other_partnership)
            meeting.attending_municipalities.add(world.other_municipality)
            meeting.follow_up_activities.add(agenda["owned"])

    url = reverse("agenda:meetings_year", args=["test", 2026])
    assert_queries_pinned(client, url, add, expected=EXPECTED["meetings"])


def test_meetings_page_names_organisations_from_the_registry_cache(client, world, agenda, settings):
    """With the registry cache on (production, make bench) the organisations' names are no
    queries: the link tables are one."""
    settings.TANDEM_MEMBERSHIPS_CACHE_SECONDS = 600
    login(client, world, "steering_member")
    url = reverse("agenda:meetings_year", args=["test", 2026])

    def add(n):
        for _ in range(n):
            meeting = af.MeetingFactory(region=world.region, date=datetime.date(2026, 4, 1))
            meeting.organising_partnerships.add(world.partnership)
            meeting.attending_schools.add(world.school, world.other_school)
            meeting.attending_care_providers.add(world.care_provider)
        client.get(url)  # the names of what the factories saved are cached again

    assert_queries_pinned(client, url, add, expected=EXPECTED["meetings_cached"])


def test_meetings_page_names_each_fields_organisations_in_order(client, world, agenda):
    login(client, world, "steering_member")
    meeting = af.MeetingFactory(region=world.region, date=datetime.date(2026, 4, 1), notes="Qwirijnoverleg")
    meeting.organising_municipalities.add(world.municipality)
    meeting.organising_partnerships.add(world.partnership)
    meeting.attending_care_providers.add(world.care_provider)
    meeting.attending_schools.add(world.school, world.other_school)
    other = af.MeetingFactory(region=world.region, date=datetime.date(2026, 3, 1))
    other.attending_district_teams.add(world.district_team)
    html = client.get(reverse("agenda:meetings_year", args=["test", 2026])).content.decode()
    notes = html.index("Qwirijnoverleg")
    row = html[html.rindex("<tr", 0, notes) : html.index("</tr>", notes)]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    by_name = sorted([world.school, world.other_school], key=lambda school: school.name)
    schools = ", ".join(escape(str(school)) for school in by_name)
    assert cells[2] == f"{escape(world.partnership.name)}, {escape(world.municipality.name)}"
    assert cells[3] == f"{schools}, {escape(world.care_provider.name)}"
    assert escape(world.district_team.name) not in row
    assert escape(world.district_team.name) in html


EXPECTED = {
    "index": 4,
    "detail": 11,
    "detail_at_risk": 9,
    "quadrant": 5,
    "my_activities": 4,
    "activity": 8,
    # The cache off: the organisations' names are five queries, one per model; the period's
    # meetings of each kind are counted in one.
    "meetings": 14,
    "meetings_cached": 8,
    "meetings_schools_only": 10,  # one model named: one query for the names
}


def test_referral_indicator_shows_not_available_without_its_data_source(client, world, agenda, monkeypatch):
    from agenda import indicators

    def without_source(key):
        unavailable = dataclasses.replace(
            indicators.INDICATORS[key], function=lambda scope: indicators.Measurement.unavailable()
        )
        monkeypatch.setitem(indicators.INDICATORS, key, unavailable)

    goal = agenda["typed_goal"]
    goal.indicator = "referrals_submitted"
    goal.save()
    login(client, world, "steering_member")
    url = reverse("agenda:detail", args=["test"])
    assert "<strong>0</strong>" in goal_row(client.get(url).content.decode(), "2.1")
    without_source("referrals_submitted")
    without_source("median_days_to_decision")
    assert (
        indicators.measure("median_days_to_decision", indicators.Scope.calendar_year(2026)).available is False
    )
    assert "nog niet beschikbaar" in goal_row(client.get(url).content.decode(), "2.1")


def test_goal_edit_page_query_count_is_pinned(client, world, agenda):
    """The goal's form (make bench's goal_edit, as a steering member): more goals and activities
    in its ambition add no query."""
    login(client, world, "steering_member")
    goal = agenda["meetings_goal"]
    counter = iter(range(100, 1000))

    def add(n):
        for _ in range(n):
            number = next(counter)
            af.GoalFactory(ambition=goal.ambition, number=number, text=f"Doel {number}")
            af.ActivityFactory(
                ambition=goal.ambition, number=number, goal=goal, owner_partnership=world.partnership
            )

    url = reverse("agenda:goal_edit", args=[goal.pk])
    assert_queries_pinned(client, url, add, expected=EXPECTED_GOAL_EDIT)


def test_meetings_page_of_this_year_query_count_is_pinned(client, world, agenda):
    """The meetings page without a year (make bench's meetings): this year's, as with the year."""
    login(client, world, "steering_member")

    def add(n):
        for _ in range(n):
            meeting = af.MeetingFactory(region=world.region, date=datetime.date(2026, 4, 1))
            meeting.attending_schools.add(world.school)
            meeting.follow_up_activities.add(agenda["owned"])

    url = reverse("agenda:meetings", args=["test"])
    assert_queries_pinned(client, url, add, expected=EXPECTED["meetings_schools_only"])


EXPECTED_GOAL_EDIT = 4
