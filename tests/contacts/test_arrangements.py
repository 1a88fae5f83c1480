"""Collective arrangements (ADR 0161): the registry administrator records them, the region's
members read them, bad input gets a message at the field and changes nothing."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from agenda import indicators
from contacts import arrangements
from contacts.models import ArrangementRecord, CollectiveArrangement
from tests.contacts import factories as f
from tests.helpers.queries import assert_queries_pinned

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)
JUN = datetime.date(2026, 6, 30)


def _data(world, **changes):
    worker = f.PersonFactory(name="Zora Zorgwerker")
    worker.care_providers.add(world.care_provider)
    data = {
        "name": "Samen in school",
        "schools": [world.school, world.other_school],
        "providers": [world.care_provider],
        "care_workers": [worker],
        "education_percentage": 60,
        "valid_from": JAN,
        "valid_to": None,
        "capacity": 24,
        "note": "",
    }
    data.update(changes)
    return data


def test_the_registry_admin_records_an_arrangement_with_its_history(world):
    admin = world.user("registry_admin")
    arrangement = arrangements.create_arrangement(admin, world.region, **_data(world))
    assert arrangement.region == world.region and arrangement.created_by == admin
    assert set(arrangement.schools.all()) == {world.school, world.other_school}
    assert arrangement.youth_care_percentage == 40
    (record,) = arrangement.records.all()
    assert (record.kind, record.actor, record.fields) == ("created", admin, "")

    arrangements.update_arrangement(
        admin, arrangement, **_data(world, capacity=30, schools=[world.school], care_workers=[])
    )
    arrangement.refresh_from_db()
    assert arrangement.capacity == 30 and list(arrangement.schools.all()) == [world.school]
    changed = arrangement.records.filter(kind="changed").get()
    assert changed.fields == "schools,care_workers,capacity"
    with translation.override("nl"):
        assert arrangements.field_labels(changed) == [
            "scholen",
            "vaste zorgwerkers in de school",
            "capaciteit (leerlingen per schooljaar)",
        ]


def test_saving_without_a_change_writes_no_record(world):
    admin = world.user("registry_admin")
    data = _data(world)
    arrangement = arrangements.create_arrangement(admin, world.region, **data)
    arrangements.update_arrangement(admin, arrangement, **data)
    assert arrangement.records.count() == 1


def test_records_are_append_only(world):
    arrangement = arrangements.create_arrangement(world.user("registry_admin"), world.region, **_data(world))
    from portal.models import AppendOnlyError  # the error class only this test needs

    with pytest.raises(AppendOnlyError):
        ArrangementRecord.objects.filter(arrangement=arrangement).delete()


@pytest.mark.parametrize(
    "actor",
    ["steering_member", "partnership_director", "municipal_officer", "school_coordinator", "district_worker"],
)
def test_only_the_registry_admin_records_arrangements(world, actor):
    with pytest.raises(PermissionDenied):
        arrangements.create_arrangement(world.user(actor), world.region, **_data(world))
    assert not CollectiveArrangement.objects.exists()


def test_another_regions_admin_may_not_record_or_change_ours(world):
    foreign_admin = world.abroad.user("registry_admin")
    with pytest.raises(PermissionDenied):
        arrangements.create_arrangement(foreign_admin, world.region, **_data(world))
    ours = f.arrangement_of(world)
    with pytest.raises(PermissionDenied):
        arrangements.update_arrangement(foreign_admin, ours, **_data(world, capacity=1))


@pytest.mark.parametrize(
    "changes,field,message",
    [
        (
            {"valid_to": datetime.date(2025, 12, 31)},
            "valid_to",
            "De einddatum kan niet vóór de begindatum liggen.",
        ),
        (
            {"education_percentage": 101},
            "education_percentage",
            "Vul een heel percentage van 0 tot en met 100 in.",
        ),
        (
            {"education_percentage": -1},
            "education_percentage",
            "Vul een heel percentage van 0 tot en met 100 in.",
        ),
        ({"capacity": 0}, "capacity", "Vul een aantal leerlingen van minstens 1 in."),
        ({"capacity": -3}, "capacity", "Vul een aantal leerlingen van minstens 1 in."),
        ({"name": "Samen\x00"}, "name", "Haal de speciale (NUL-)tekens uit deze tekst."),
        ({"note": "a\x00b"}, "note", "Haal de speciale (NUL-)tekens uit deze tekst."),
        ({"schools": []}, "schools", "Kies ten minste één school."),
        ({"providers": []}, "providers", "Kies ten minste één zorgaanbieder."),
    ],
)
def test_bad_input_is_refused_with_a_dutch_message_and_changes_nothing(world, changes, field, message):
    with translation.override("nl"), pytest.raises(ValidationError) as exc:
        arrangements.create_arrangement(world.user("registry_admin"), world.region, **_data(world, **changes))
    assert exc.value.message_dict[field] == [message]
    assert not CollectiveArrangement.objects.exists()


def test_schools_and_providers_of_another_region_are_refused(world):
    abroad = world.abroad
    admin = world.user("registry_admin")
    with translation.override("nl"), pytest.raises(ValidationError) as exc:
        arrangements.create_arrangement(
            admin,
            world.region,
            **_data(world, schools=[world.school, abroad.school], providers=[abroad.care_provider]),
        )
    assert exc.value.message_dict["schools"] == ["Kies alleen scholen van Testregio."]
    assert exc.value.message_dict["providers"] == ["Kies alleen zorgaanbieders van Testregio."]
    # A care provider without a region works everywhere (ADR 0147).
    national = f.CareProviderFactory(name="Landelijke aanbieder")
    assert arrangements.create_arrangement(
        admin, world.region, **_data(world, providers=[national], care_workers=[])
    )


def test_a_care_worker_must_work_for_a_chosen_provider(world):
    stranger = f.PersonFactory(name="Piet Elders")
    with translation.override("nl"), pytest.raises(ValidationError) as exc:
        arrangements.create_arrangement(
            world.user("registry_admin"), world.region, **_data(world, care_workers=[stranger])
        )
    assert exc.value.message_dict["care_workers"] == [
        "Piet Elders werkt niet voor een van de gekozen zorgaanbieders."
    ]


def test_the_database_refuses_what_the_service_refuses(world):
    from django.db import IntegrityError, transaction  # only the constraint test writes raw rows

    base = {"region": world.region, "name": "x", "education_percentage": 50, "capacity": 5, "valid_from": JAN}
    for bad in ({"education_percentage": 101}, {"capacity": 0}, {"valid_to": datetime.date(2025, 1, 1)}):
        with pytest.raises(IntegrityError), transaction.atomic():
            CollectiveArrangement.objects.create(**{**base, **bad})


def test_current_for_school_follows_the_period(world):
    arrangement = f.arrangement_of(world, valid_to=JUN)
    assert list(arrangements.current_for_school(world.school, JAN)) == [arrangement]
    assert list(arrangements.current_for_school(world.school, JUN)) == [arrangement]
    assert not arrangements.current_for_school(world.school, datetime.date(2026, 7, 1)).exists()
    assert not arrangements.current_for_school(world.school, datetime.date(2025, 12, 31)).exists()
    assert not arrangements.current_for_school(world.other_school, JAN).exists()


def test_a_school_with_a_current_arrangement_is_a_pilot_school(world):
    """The indicator of the work agenda counts the flag and the current arrangements, each
    school once (ADR 0161)."""
    scope = indicators.Scope.calendar_year(2026, world.region)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, 0), tick=False):
        assert indicators.collective_funding_pilots(scope) == 0
        f.arrangement_of(world, valid_to=JUN)
        f.arrangement_of(world)  # a second arrangement of the same school: still one school
        assert indicators.collective_funding_pilots(scope) == 1
        world.other_school.collective_funding_pilot = True
        world.other_school.save()
        assert indicators.collective_funding_pilots(scope) == 2
        # Another region's arrangement is not ours.
        f.arrangement_of(world.abroad)
        assert indicators.collective_funding_pilots(scope) == 2
    # Measured on 31 December 2026, the arrangement that ended in June no longer counts; the
    # open one still does.
    with time_machine.travel(datetime.datetime(2027, 3, 1, 12, 0), tick=False):
        CollectiveArrangement.objects.filter(valid_to__isnull=True).update(valid_to=JUN)
        assert indicators.collective_funding_pilots(scope) == 1


# --- Pages ----------------------------------------------------------------------------------


def _login(client, world, actor):
    client.force_login(world.user(actor))
    return client


def _post(world, **changes):
    data = _data(world, **changes)
    post = {
        "name": data["name"],
        "schools": [s.pk for s in data["schools"]],
        "providers": [p.pk for p in data["providers"]],
        "care_workers": [p.pk for p in data["care_workers"]],
        "education_percentage": data["education_percentage"],
        "valid_from": data["valid_from"].isoformat(),
        "valid_to": data["valid_to"].isoformat() if data["valid_to"] else "",
        "capacity": data["capacity"],
        "note": data["note"],
    }
    return post


def test_the_form_shows_the_message_at_the_field_and_saves_nothing(client, world):
    _login(client, world, "registry_admin")
    url = reverse("contacts:arrangement_create")
    for changes, message in (
        ({"education_percentage": 150}, "Vul een heel percentage van 0 tot en met 100 in."),
        ({"capacity": 0}, "Vul een aantal leerlingen van minstens 1 in."),
        ({"valid_to": datetime.date(2025, 1, 1)}, "De einddatum kan niet vóór de begindatum liggen."),
        ({"name": "Samen\x00"}, "Null-tekens zijn niet toegestaan."),
    ):
        response = client.post(url, _post(world, **changes))
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html, changes
        assert 'aria-invalid="true"' in html
    assert not CollectiveArrangement.objects.exists()
    response = client.post(url, _post(world))
    arrangement = CollectiveArrangement.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "contacts:arrangement_detail", args=[arrangement.pk]
    )


def test_the_form_offers_only_the_own_regions_schools(client, world):
    abroad = world.abroad
    _login(client, world, "registry_admin")
    html = client.get(reverse("contacts:arrangement_create")).content.decode()
    assert world.school.name in html and abroad.school.name not in html
    response = client.post(
        reverse("contacts:arrangement_create"), {**_post(world), "schools": [abroad.school.pk]}
    )
    assert response.status_code == 200 and not CollectiveArrangement.objects.exists()


def test_editing_keeps_the_history_on_the_detail_page(client, world):
    arrangement = arrangements.create_arrangement(world.user("registry_admin"), world.region, **_data(world))
    _login(client, world, "registry_admin")
    response = client.post(
        reverse("contacts:arrangement_edit", args=[arrangement.pk]), _post(world, capacity=40)
    )
    assert response.status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.capacity == 40
    html = client.get(reverse("contacts:arrangement_detail", args=[arrangement.pk])).content.decode()
    assert "40 leerlingen per schooljaar" in html
    (line,) = [line for line in html.splitlines() if "gewijzigd: " in line]
    assert "capaciteit (leerlingen per schooljaar)" in line


def test_the_list_filters_by_school(client, world):
    both = f.arrangement_of(world, name="Beide scholen", schools=[world.school, world.other_school])
    other = f.arrangement_of(world, name="Alleen Bee", schools=[world.other_school])
    _login(client, world, "district_worker")
    html = client.get(reverse("contacts:arrangement_list")).content.decode()
    assert both.name in html and other.name in html
    html = client.get(reverse("contacts:arrangement_list"), {"school": world.school.pk}).content.decode()
    assert both.name in html and other.name not in html


def test_school_and_provider_pages_show_current_arrangements_to_the_region_only(client, world):
    f.arrangement_of(world, name="Samen in Aan")
    f.arrangement_of(world, name="Voorbij", valid_to=datetime.date(2026, 1, 31))
    for url in (
        reverse("contacts:school_detail", args=[world.school.pk]),
        reverse("contacts:care_provider_detail", args=[world.care_provider.pk]),
    ):
        html = _login(client, world, "school_coordinator").get(url).content.decode()
        assert "Samen in Aan" in html and "Voorbij" not in html
        client.force_login(world.abroad.user("school_coordinator"))
        assert "Samen in Aan" not in client.get(url).content.decode()


def test_list_query_count_is_pinned(client, world):
    _login(client, world, "district_worker")
    schools = [world.school, world.other_school]

    def add(n):
        for _i in range(n):
            f.arrangement_of(world, schools=schools)

    # session, user, memberships; count; page; two prefetches; filter choices (no session save, ADR 0172)
    assert_queries_pinned(client, reverse("contacts:arrangement_list"), add, expected=EXPECTED_LIST_QUERIES)


EXPECTED_LIST_QUERIES = 8
