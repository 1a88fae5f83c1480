"""The coverage figure: gaps in fixed contacts and tandems, per (sub)region."""

import datetime

import pytest
from django.urls import reverse

from contacts.selectors import coverage
from tests.contacts import factories as f
from tests.helpers.queries import assert_queries_pinned

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 3, 1)


def test_coverage_counts_and_gap_lists(world):
    vso = f.SchoolFactory(
        name="Vso Zonder", school_type="vso", municipality=world.municipality, partnership=world.partnership
    )
    so = f.SchoolFactory(
        name="So Met", school_type="so", municipality=world.municipality, partnership=world.partnership
    )
    f.ContactAssignmentFactory(school=so, valid_from=datetime.date(2026, 1, 1))
    ending = f.ContactAssignmentFactory(
        municipality=world.municipality,
        valid_from=datetime.date(2026, 1, 1),
        valid_to=ON + datetime.timedelta(days=10),
    )
    # An assignment that ended already does not count.
    f.ContactAssignmentFactory(
        municipality=world.other_municipality,
        valid_from=datetime.date(2025, 1, 1),
        valid_to=datetime.date(2025, 12, 31),
    )
    result = coverage(on=ON)
    assert result.special_schools_total == 2
    assert result.special_schools_without_contact == [vso]
    assert result.municipalities_total == 2
    assert result.municipalities_without_contact == [world.other_municipality]
    assert set(result.schools_without_tandem) == {world.other_school, vso, so}
    assert result.schools_with_tandem == 1
    assert result.assignments_ending == [ending]
    # Filter by subregion.
    sub_b = coverage(region=world.other_subregion, on=ON)
    assert sub_b.special_schools_total == 0
    assert sub_b.municipalities_without_contact == [world.other_municipality]
    assert sub_b.schools_without_tandem == [world.other_school]
    assert sub_b.assignments_ending == []
    # The whole region (parent) includes both subregions.
    assert coverage(region=world.region, on=ON).schools_total == 4


def test_tandem_ending_within_30_days(world):
    world.tandem.valid_to = ON + datetime.timedelta(days=30)
    world.tandem.save()
    assert coverage(on=ON).tandems_ending == [world.tandem]
    assert coverage(on=ON - datetime.timedelta(days=1)).tandems_ending == []


def test_coverage_page_links_gaps_to_where_they_are_fixed(world, client):
    vso = f.SchoolFactory(school_type="vso", municipality=world.municipality, partnership=world.partnership)
    client.force_login(world.user("registry_admin"))
    html = client.get(reverse("contacts:coverage")).content.decode()
    assert reverse("contacts:assignment_replace", args=["school", vso.pk]) in html
    assert reverse("contacts:assignment_replace", args=["municipality", world.municipality.pk]) in html
    assert reverse("contacts:tandem_replace", args=[world.other_school.pk]) in html
    filtered = client.get(
        reverse("contacts:coverage"), {"subregio": world.other_subregion.code}
    ).content.decode()
    assert world.other_school.name in filtered
    assert vso.name not in filtered


def test_coverage_page_query_count_is_pinned(world, client):
    client.force_login(world.user("steering_member"))

    def add(n):
        for _ in range(n):
            school = f.SchoolFactory(
                school_type="vso",
                municipality=f.MunicipalityFactory(region=world.subregion),
                partnership=world.partnership,
            )
            f.ContactAssignmentFactory(
                municipality=school.municipality,
                valid_from=datetime.date(2026, 1, 1),
                valid_to=datetime.date(2099, 1, 1),
            )

    # session, user, memberships, subregions, then schools, municipalities, assignments, tandems
    assert_queries_pinned(client, reverse("contacts:coverage"), add, 8, batches=(0, 1, 10))


def test_municipal_officer_gets_a_fix_link_for_their_own_gap_only(world, client):
    client.force_login(world.user("municipal_officer"))
    html = client.get(reverse("contacts:coverage")).content.decode()
    assert reverse("contacts:assignment_replace", args=["municipality", world.municipality.pk]) in html
    foreign = reverse("contacts:assignment_replace", args=["municipality", world.other_municipality.pk])
    assert foreign not in html
    assert reverse("contacts:municipality_detail", args=[world.other_municipality.pk]) in html


@pytest.mark.parametrize("region_attr", [None, "region", "subregion", "other_subregion"])
def test_coverage_agrees_with_the_work_agenda_indicators(world, region_attr):
    """The agenda's live goals count the same network; the definitions must not drift apart."""
    from agenda.indicators import (
        Scope,
        municipalities_with_contact,
        schools_with_tandem,
        special_schools_with_contact,
    )

    vso = f.SchoolFactory(school_type="vso", municipality=world.municipality, partnership=world.partnership)
    f.SchoolFactory(
        school_type="so", municipality=world.other_municipality, partnership=world.other_partnership
    )
    f.ContactAssignmentFactory(school=vso, valid_from=datetime.date(2026, 1, 1))
    f.ContactAssignmentFactory(municipality=world.other_municipality, valid_from=datetime.date(2026, 1, 1))
    region = getattr(world, region_attr) if region_attr else None
    scope = Scope.calendar_year(2026, region)
    figure = coverage(region=region, on=scope.on)
    assert figure.special_schools_covered == special_schools_with_contact(scope)
    assert figure.municipalities_covered == municipalities_with_contact(scope)
    assert figure.schools_with_tandem == schools_with_tandem(scope)
