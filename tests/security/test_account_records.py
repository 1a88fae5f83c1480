"""The privacy officer's page of account records (ADR 0137): their own region's records only,
filtered by period and kind, its reading logged, its query count pinned; after an
administrator's two-step reset the person enrols again at their next login."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from contacts import services
from contacts.models import MembershipRecord, Role
from portal.models import AccessLog
from tests.contacts import factories as f
from tests.helpers.queries import assert_queries_pinned

pytestmark = pytest.mark.django_db

URL = reverse("security:account_records")


def _add(world):
    admin = world.user("registry_admin")
    target = f.make_member(Role.SCHOOL_COORDINATOR, world.school)
    return services.add_membership(admin, target, Role.SCHOOL_COORDINATOR, world.other_school)


@pytest.fixture
def betuwe(world):
    region = f.RegionFactory(code="BTW", name="Regio Betuwe")
    sub = f.SubregionFactory(code="BTW-A", name="Betuwe", parent=region)
    municipality = f.MunicipalityFactory(cbs_code="GM0281", name="Tiel", region=sub)
    partnership = f.PartnershipFactory(code="PO0981", name="SWV Betuwe", region=sub)
    school = f.SchoolFactory(
        brin="98AA", name="Appelgaard", partnership=partnership, municipality=municipality
    )
    admin = f.make_member(Role.REGISTRY_ADMIN, region, email="beheer@betuwe.example.test")
    member = f.make_member(Role.SCHOOL_COORDINATOR, school, email="ib@betuwe.example.test")
    services.end_membership(admin, member.memberships.get(), timezone.localdate())
    return region


def test_the_officer_sees_only_the_own_regions_records(world, betuwe, client):
    _add(world)
    client.force_login(world.user("privacy_officer"))
    response = client.get(URL)
    rows = response.context["page"].rows
    assert [r.kind for r in rows] == [MembershipRecord.Kind.ADDED]
    assert "ib@betuwe.example.test" not in response.content.decode()
    assert MembershipRecord.objects.filter(region=betuwe).count() == 1


def test_the_filters_by_kind_and_period(world, client):
    membership = _add(world)
    services.end_membership(world.user("registry_admin"), membership, timezone.localdate())
    client.force_login(world.user("privacy_officer"))
    kinds = [r.kind for r in client.get(URL, {"kind": "ended"}).context["page"].rows]
    assert kinds == [MembershipRecord.Kind.ENDED]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert client.get(URL, {"date_to": yesterday.isoformat()}).context["page"].rows == []
    assert len(client.get(URL, {"date_from": timezone.localdate().isoformat()}).context["page"].rows) == 2


@pytest.mark.parametrize(
    "query",
    [{"date_from": "2026-06-01", "date_to": "2026-05-01"}, {"kind": "sacked\x00"}, {"date_from": "gisteren"}],
)
def test_bad_filters_give_a_message_at_the_field_not_a_500(world, client, query):
    _add(world)
    client.force_login(world.user("privacy_officer"))
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["page"].rows == []


def test_reading_the_records_is_access_logged(world, client):
    client.force_login(world.user("privacy_officer"))
    client.get(URL)
    entry = AccessLog.objects.get(object_type="contacts.membershiprecord")
    assert entry.user == world.user("privacy_officer") and entry.action == AccessLog.Action.VIEW


def test_the_records_query_count_is_pinned(world, client):
    client.force_login(world.user("privacy_officer"))

    def add(n):
        for _ in range(n):
            _add(world)

    assert_queries_pinned(client, URL, add, expected=EXPECTED_QUERIES)


EXPECTED_QUERIES = 6


def test_after_a_reset_the_person_enrols_again(require_2fa, world, client):
    person = world.user("school_coordinator")
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    services.reset_account_two_factor(world.user("registry_admin"), person)
    client.force_login(person)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("security:two_factor_setup"))


def test_another_role_in_another_region_adds_no_records_nor_log_rows(world, betuwe, client):
    """The officer who is also an IB-er in Betuwe reads Utrecht's records and log only: the
    officer's duty is where they are privacy officer (ADR 0123)."""
    officer = world.user("privacy_officer")
    betuwe_school = f.SchoolFactory(
        brin="98AB",
        name="Perengaard",
        partnership=betuwe.subregions.get().partnerships.get(),
        municipality=betuwe.subregions.get().municipalities.get(),
    )
    f.MembershipFactory(user=officer, role=Role.SCHOOL_COORDINATOR, school=betuwe_school)
    betuwe_ib = f.make_member(Role.SCHOOL_COORDINATOR, betuwe_school, email="ib2@betuwe.example.test")
    AccessLog.objects.create(user=betuwe_ib, action=AccessLog.Action.VIEW, object_type="x", object_id="1")
    _add(world)
    client.force_login(officer)
    records = client.get(URL).context["page"].rows
    assert records and all(r.region_id != betuwe.pk for r in records)
    log = client.get(reverse("security:access_log")).content.decode()
    assert betuwe_ib.full_name not in log
