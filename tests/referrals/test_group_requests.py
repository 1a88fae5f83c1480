"""Requests about a group or the whole school (ADR 0154): no child data, no consent, the
same routing, inbox and pages as a request about one pupil."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from contacts.models import Tandem
from referrals import services
from referrals.models import Referral, Status, SubjectKind
from tests.referrals.factories import GuardianFactory, ReferralDomainFactory, ReferralFactory

pytestmark = pytest.mark.django_db

NO_CHILD = {
    "child_first_name": "",
    "child_last_name": "",
    "child_date_of_birth": None,
    "child_group": "",
    "home_municipality": None,
}


def _post(world, kind, **overrides):
    data = {
        "subject_kind": kind,
        "school": world.school.pk,
        "domains": ["behaviour"],
        "question": "De groep is onrustig na de pauze",
        "already_done": "Klassenafspraken",
        "goals": "Rust in de groep",
        "urgency": "normal",
        "desired_form": "group",
    }
    if kind == SubjectKind.GROUP:
        data.update(group_name="groep 6b", group_size="28")
    data.update(overrides)
    return data


def _request(world, kind, **fields):
    values = {**NO_CHILD, "subject_kind": kind, "desired_form": "group"}
    if kind == SubjectKind.GROUP:
        values.update(group_name="groep 6b", group_size=28)
    values.update(fields)
    referral = ReferralFactory(school=world.school, created_by=world.user("school_coordinator"), **values)
    ReferralDomainFactory(referral=referral)
    return referral


@pytest.fixture
def sc_client(client, world):
    client.force_login(world.user("school_coordinator"))
    return client


@pytest.mark.parametrize("kind", [SubjectKind.GROUP, SubjectKind.SCHOOL_WIDE])
def test_a_request_without_a_child_is_submitted_without_consent_and_routed(world, kind):
    sc = world.user("school_coordinator")
    referral = services.submit(sc, _request(world, kind))
    assert referral.status == Status.SUBMITTED and referral.reference.startswith("AJS-")
    assert referral.routed_team == world.district_team
    assert not referral.guardians.exists() and not referral.consents.exists()


def test_without_a_tandem_it_routes_by_the_schools_municipality(world):
    Tandem.objects.filter(school=world.school).delete()
    referral = services.submit(world.user("school_coordinator"), _request(world, SubjectKind.SCHOOL_WIDE))
    assert referral.routed_team.municipality_id == world.school.municipality_id
    assert world.school.municipality.name in referral.routing_reason


def test_a_group_request_needs_the_group_but_no_pupil(world):
    referral = _request(world, SubjectKind.GROUP, group_name="", group_size=None)
    fields = {p.field for p in services.submit_problems(referral)}
    assert fields == {"group_name", "group_size"}


def test_a_pupil_request_still_needs_the_pupil_and_consent(world):
    referral = ReferralFactory(
        school=world.school, created_by=world.user("school_coordinator"), child_first_name=""
    )
    ReferralDomainFactory(referral=referral)
    problems = services.submit_problems(referral)
    assert "child_first_name" in {p.field for p in problems}
    assert "consent" in {p.section for p in problems}


def test_the_database_refuses_child_data_on_a_group_request(world):
    referral = _request(world, SubjectKind.GROUP)
    for field, value in [
        ("child_first_name", "Sem"),
        ("child_date_of_birth", "2016-03-01"),
        ("home_municipality_id", world.municipality.pk),
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Referral.objects.filter(pk=referral.pk).update(**{field: value})
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(subject_kind=SubjectKind.SCHOOL_WIDE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(subject_kind="class")


def test_guardians_and_consent_cannot_be_added_to_a_group_request(world):
    sc = world.user("school_coordinator")
    referral = _request(world, SubjectKind.GROUP)
    with pytest.raises(PermissionDenied):
        services.add_guardian(sc, referral, name="Ouder", has_custody=True)
    with pytest.raises(PermissionDenied):
        services.record_consent(
            sc, referral, giver="parent", guardian=None, given_on="2026-09-01", form="written", recipients="x"
        )


def test_the_form_saves_a_group_request_and_ignores_posted_child_fields(sc_client, world):
    response = sc_client.post(
        reverse("referrals:create"),
        _post(
            world,
            SubjectKind.GROUP,
            child_first_name="Sem\x00",
            child_last_name="Jansen",
            child_date_of_birth="2999-01-01",
            home_municipality=world.municipality.pk,
        ),
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.subject_kind == SubjectKind.GROUP
    assert (referral.group_name, referral.group_size) == ("groep 6b", 28)
    assert {f: getattr(referral, f) for f in NO_CHILD} == NO_CHILD
    page = sc_client.get(response["Location"]).content.decode()
    # The parents' and consent sections are hidden for a group; the note says why.
    assert '<div data-subject-only="child" hidden>' in page
    assert 'id="no-consent-needed" data-subject-not="child">' in page


@pytest.mark.parametrize(
    "field,value,fragment",
    [
        ("group_name", "6b\x00", "Null"),
        ("group_name", "x" * 51, "50"),
        ("group_size", "0", "minstens 1"),
        ("group_size", "veel", "geheel getal"),
        ("subject_kind", "class", "geldige keuze"),
    ],
)
def test_bad_group_input_is_refused_next_to_the_field(sc_client, world, field, value, fragment):
    response = sc_client.post(reverse("referrals:create"), _post(world, SubjectKind.GROUP, **{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert fragment.lower() in html.lower()
    assert not Referral.objects.exists()


def test_the_kind_is_fixed_once_a_parent_is_recorded(sc_client, world):
    referral = ReferralFactory(school=world.school, created_by=world.user("school_coordinator"))
    GuardianFactory(referral=referral)
    response = sc_client.post(
        reverse("referrals:edit", args=[referral.uuid]), _post(world, SubjectKind.GROUP)
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.subject_kind == SubjectKind.CHILD and referral.guardians.exists()


def test_inbox_and_detail_show_the_group_instead_of_a_child(client, world):
    sc = world.user("school_coordinator")
    group = services.submit(sc, _request(world, SubjectKind.GROUP))
    school = services.submit(sc, _request(world, SubjectKind.SCHOOL_WIDE))
    client.force_login(world.user("district_worker"))
    inbox = client.get(reverse("referrals:inbox")).content.decode()
    assert "Groep: groep 6b (ca. 28 leerlingen)" in inbox and "Hele school" in inbox
    assert group.reference in inbox and school.reference in inbox
    detail = client.get(reverse("referrals:detail", args=[group.uuid])).content.decode()
    assert 'id="subject-label">Groep: groep 6b (ca. 28 leerlingen)<' in detail
    assert "Geboortedatum" not in detail


def test_retention_anonymises_a_group_request_without_breaking(world):
    from referrals import retention

    referral = _request(world, SubjectKind.GROUP, status=Status.CLOSED)
    retention.anonymise_now([referral.pk])
    referral.refresh_from_db()
    assert referral.anonymised_at is not None
    assert (referral.subject_kind, referral.group_name, referral.group_size) == (SubjectKind.GROUP, "", 28)
    assert referral.question == ""
    assert str(referral.group_label()) == "Groep"
