"""Directory lists, search, filters, who-to-call pages and export."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils.html import escape

from contacts.models import Membership, Role
from tests.contacts import factories as f
from tests.helpers.queries import assert_queries_pinned, count_queries

pytestmark = pytest.mark.django_db


def _list(client, kind, **params):
    response = client.get(reverse("contacts:list", args=[kind]), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def member(world, client):
    client.force_login(world.user("privacy_officer"))
    return client


def test_school_search_by_name_brin_postcode_and_person(world, member):
    school = f.SchoolFactory(
        brin="93KL", vestiging="01", name="Het Zonnelied", postcode="3521 XY", municipality=world.municipality
    )
    contact = f.PersonFactory(name="Zoë Zoeker")
    f.ContactAssignmentFactory(school=school, person=contact, valid_from=datetime.date(2026, 1, 1))
    for query in ("zonnel", "93KL", "93kl01", "3521xy", "3521 XY", "Zoeker"):
        html = _list(member, "schools", q=query)
        assert "Het Zonnelied" in html, query
        assert world.other_school.name not in html, query


def test_school_filters(world, member):
    vso = f.SchoolFactory(name="Vso Filter", school_type="vso", municipality=world.other_municipality)
    html = _list(member, "schools", school_type="vso")
    assert "Vso Filter" in html and world.school.name not in html
    html = _list(member, "schools", subregion=world.subregion.pk)
    assert world.school.name in html and world.other_school.name not in html and vso.name not in html
    html = _list(member, "schools", partnership=world.other_partnership.pk)
    assert world.other_school.name in html and world.school.name not in html
    html = _list(member, "schools", municipality=world.municipality.pk)
    assert world.school.name in html and world.other_school.name not in html


def test_bad_filter_input_is_not_an_error(world, member):
    for params in ({"subregion": "not-a-number"}, {"school_type": "xx"}, {"q": "a\x00b"}, {"q": "x" * 5000}):
        response = member.get(reverse("contacts:list", args=["schools"]), params)
        assert response.status_code == 200


def test_other_lists_search(world, member):
    assert "Gemeente Aan" in _list(member, "municipalities", q="GM0901")
    assert "Gemeente Aan" not in _list(member, "municipalities", q="Bee")
    assert "SWV Aan" in _list(member, "partnerships", q="PO0901")
    assert "Wijkteam Aan" in _list(member, "district_teams", municipality=world.municipality.pk)
    assert "Wijkteam Bee" not in _list(member, "district_teams", municipality=world.municipality.pk)
    assert "Zorgaanbieder Aan" in _list(member, "care_providers", q="aanbieder")
    person = f.PersonFactory(name="Pim Persoon", function="jeugdarts")
    person.schools.add(world.school)
    assert "Pim Persoon" in _list(member, "persons", q="jeugdarts")
    assert "Pim Persoon" in _list(member, "persons", school=world.school.pk)
    assert "Pim Persoon" not in _list(member, "persons", school=world.other_school.pk)


def _add_schools(world):
    def add(n):
        for _ in range(n):
            municipality = f.MunicipalityFactory(region=world.subregion)
            school = f.SchoolFactory(
                municipality=municipality, partnership=world.partnership, school_type="vso"
            )
            f.ContactAssignmentFactory(school=school, valid_from=datetime.date(2026, 1, 1))
            f.TandemFactory(school=school)

    return add


def _add_persons(world):
    def add(n):
        for _ in range(n):
            p = f.PersonFactory()
            p.schools.add(f.SchoolFactory())
            p.district_teams.add(world.district_team)
            p.municipalities.add(world.municipality)
            p.partnerships.add(world.partnership)
            p.care_providers.add(world.care_provider)

    return add


def _add_simple(factory, **kwargs):
    def add(n):
        for _ in range(n):
            obj = factory(**kwargs)
            target = {
                "MunicipalityFactory": "municipality",
                "PartnershipFactory": "partnership",
                "DistrictTeamFactory": "district_team",
            }.get(factory.__name__)
            if target:
                f.ContactAssignmentFactory(**{target: obj}, valid_from=datetime.date(2026, 1, 1))

    return add


@pytest.mark.parametrize(
    "kind,adder,expected",
    [
        # session read, user, memberships; count; filter choices; page; prefetches
        # (the session is not saved again, ADR 0172)
        ("schools", _add_schools, 10),
        ("municipalities", lambda w: _add_simple(f.MunicipalityFactory, region=w.subregion), 7),
        ("partnerships", lambda w: _add_simple(f.PartnershipFactory, region=w.subregion), 7),
        ("district_teams", lambda w: _add_simple(f.DistrictTeamFactory, municipality=w.municipality), 8),
        ("care_providers", lambda w: _add_simple(f.CareProviderFactory), 5),
        ("persons", _add_persons, 13),
    ],
)
def test_list_query_counts_are_pinned(world, member, kind, adder, expected):
    assert_queries_pinned(member, reverse("contacts:list", args=[kind]), adder(world), expected)


def test_export_csv_and_xlsx_follow_the_filter(world, member):
    response = member.get(reverse("contacts:export", args=["schools", "csv"]), {"q": "Basisschool Aan"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert (
        text.splitlines()[0] == "brin,vestiging,name,school_type,partnership_code,municipality_code,postcode"
    )
    assert "91AA,00,Basisschool Aan,po,PO0901,GM0901" in text
    assert "Basisschool Bee" not in text
    response = member.get(reverse("contacts:export", args=["schools", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "brin" and len(rows) == 3
    assert member.get(reverse("contacts:export", args=["schools", "pdf"])).status_code == 404


def test_school_page_answers_who_to_call(world, member):
    school_contact = f.PersonFactory(name="Sanne Vast", phone="030 111 2222")
    f.ContactAssignmentFactory(
        school=world.school, person=school_contact, valid_from=datetime.date(2026, 1, 1)
    )
    officer = f.PersonFactory(name="Gert Gemeente")
    f.ContactAssignmentFactory(
        municipality=world.municipality, person=officer, valid_from=datetime.date(2026, 1, 1)
    )
    old = f.PersonFactory(name="Olga Oud")
    f.ContactAssignmentFactory(
        school=world.school,
        person=old,
        valid_from=datetime.date(2025, 1, 1),
        valid_to=datetime.date(2025, 12, 31),
    )
    html = member.get(reverse("contacts:school_detail", args=[world.school.pk])).content.decode()
    ib = world.user("school_coordinator").person
    worker = world.user("district_worker").person
    director = world.user("partnership_director").person
    for name in (
        ib.name,
        worker.name,
        "Sanne Vast",
        "030 111 2222",
        "Gert Gemeente",
        director.name,
        "Olga Oud",
    ):
        assert name in html, name
    assert escape(world.user("other_partnership_director").person.name) not in html


def test_school_page_offers_edit_links_only_to_those_who_may(world, client):
    url = reverse("contacts:school_detail", args=[world.school.pk])
    replace = reverse("contacts:assignment_replace", args=["school", world.school.pk])
    client.force_login(world.user("school_coordinator"))
    assert replace in client.get(url).content.decode()
    client.force_login(world.user("other_school_coordinator"))
    assert replace not in client.get(url).content.decode()


def test_directory_nav_for_members_and_coverage_nav_for_steering(world, client):
    client.force_login(world.user("school_coordinator"))
    html = client.get(reverse("home")).content.decode()
    assert reverse("contacts:directory") in html
    assert reverse("contacts:coverage") not in html
    client.force_login(world.user("steering_member"))
    assert reverse("contacts:coverage") in client.get(reverse("home")).content.decode()


def test_organisation_pages_show_their_people(world, member):
    html = member.get(reverse("contacts:partnership_detail", args=[world.partnership.pk])).content.decode()
    assert escape(world.user("partnership_director").person.name) in html
    html = member.get(reverse("contacts:municipality_detail", args=[world.municipality.pk])).content.decode()
    assert escape(world.user("municipal_officer").person.name) in html
    assert Membership.objects.filter(role=Role.MUNICIPAL_OFFICER).exists()


@pytest.mark.parametrize("kind,adder", [("persons", _add_persons), ("schools", _add_schools)])
def test_export_query_count_does_not_grow_with_rows(world, member, kind, adder):
    from tests.helpers.queries import count_queries

    url = reverse("contacts:export", args=[kind, "csv"])
    adder(world)(1)
    baseline, _ = count_queries(member, url)
    assert_queries_pinned(member, url, adder(world), baseline)


EXPECTED_DIRECTORY_QUERIES = 3
EXPECTED_SCHOOL_QUERIES = 14


def test_directory_page_query_count_is_pinned(world, client):
    """The directory's front page with a search term (make bench's directory_search)."""
    client.force_login(world.user("school_coordinator"))
    url = reverse("contacts:directory") + "?q=wijk"
    assert_queries_pinned(
        client,
        url,
        _add_simple(f.DistrictTeamFactory, municipality=world.municipality),
        EXPECTED_DIRECTORY_QUERIES,
    )


def test_school_page_query_count_is_pinned(world, client):
    """A school's page (make bench's school_detail): more tandems, contact assignments and
    coordinators in its history add no query."""
    school = world.school
    start = datetime.date(2020, 1, 1)

    def add(n):
        for i in range(n):
            f.TandemFactory(
                school=school,
                district_team=world.district_team,
                valid_from=start + datetime.timedelta(days=i),
                valid_to=start + datetime.timedelta(days=i),
            )
            f.ContactAssignmentFactory(
                school=school,
                valid_from=start + datetime.timedelta(days=i),
                valid_to=start + datetime.timedelta(days=i),
            )
            f.make_member(Role.SCHOOL_COORDINATOR, school)

    client.force_login(world.user("school_coordinator"))
    url = reverse("contacts:school_detail", args=[school.pk])
    assert_queries_pinned(client, url, add, EXPECTED_SCHOOL_QUERIES)


def test_school_page_with_the_registry_cache_asks_nothing_of_who_to_call(world, client, settings):
    """With the registry cache on (production, make bench) the page's "who to call" is no
    query; a change of the registry shows at once."""
    settings.TANDEM_MEMBERSHIPS_CACHE_SECONDS = 600
    school = world.school
    client.force_login(world.user("school_coordinator"))
    url = reverse("contacts:school_detail", args=[school.pk])
    client.get(url)
    count, _queries = count_queries(client, url)
    assert count == EXPECTED_SCHOOL_CACHED_QUERIES
    person = f.PersonFactory(name="Qwirijn Linkerman")
    assert "Qwirijn Linkerman" not in client.get(url).content.decode()
    person.schools.add(school)  # a link only: no save of the person or the school
    assert "Qwirijn Linkerman" in client.get(url).content.decode()
    person.schools.remove(school)
    assert "Qwirijn Linkerman" not in client.get(url).content.decode()
    person.schools.add(school)
    person.name = "Qwirijn Rechterman"
    person.save()
    assert "Qwirijn Rechterman" in client.get(url).content.decode()


# The school, its history of fixed contacts and tandems, its arrangements, the access rights
# and the registry generation: who to call comes from the cache.
EXPECTED_SCHOOL_CACHED_QUERIES = 6
