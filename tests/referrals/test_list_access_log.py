"""Lists that show child names write one access-log entry per page view, naming every referral
shown (NEN 7513, ADR 0098); the privacy officer's viewer finds them by reference."""

import pytest
from django.urls import reverse

from portal.models import AccessLog, AppendOnlyError
from referrals.models import ListedReference
from referrals.views import LIST_OBJECT_TYPE
from tests.referrals.factories import referral_in

pytestmark = pytest.mark.django_db


def _list_entries(user):
    return AccessLog.objects.filter(user=user, object_type=LIST_OBJECT_TYPE)


def test_the_school_list_logs_one_entry_with_every_referral_shown(world, client):
    sc = world.user("school_coordinator")
    shown = [referral_in(world, "submitted"), referral_in(world, "returned"), referral_in(world, "draft")]
    referral_in(world, "submitted", other=True)  # another school's: not shown, not logged
    client.force_login(sc)
    html = client.get(reverse("referrals:list")).content.decode()
    assert shown[0].child_last_name in html
    entry = _list_entries(sc).get()
    assert (entry.action, entry.object_id, entry.role) == ("view", "school_list", "school_coordinator")
    assert entry.organisation == str(world.school)
    listed = list(entry.listed_references.values_list("referral_pk", "reference"))
    assert sorted(listed) == sorted((r.pk, r.reference or "") for r in shown)
    client.get(reverse("referrals:list"))
    assert _list_entries(sc).count() == 2  # one per page view


def test_the_inbox_logs_its_page_and_a_filter_is_a_search(world, client):
    dw = world.user("district_worker")
    referrals = [referral_in(world, "in_triage") for _ in range(3)]
    client.force_login(dw)
    client.get(reverse("referrals:inbox"))
    client.get(reverse("referrals:inbox"), {"urgency": "high"})
    view, search = _list_entries(dw).order_by("at", "id")
    assert (view.action, view.object_id, view.role) == ("view", "inbox", "district_worker")
    assert set(view.listed_references.values_list("reference", flat=True)) == {r.reference for r in referrals}
    assert search.action == "search" and not search.listed_references.exists()


def test_listed_references_are_append_only(world, client):
    client.force_login(world.user("school_coordinator"))
    referral_in(world, "submitted")
    client.get(reverse("referrals:list"))
    listed = ListedReference.objects.get()
    with pytest.raises(AppendOnlyError):
        listed.delete()
    with pytest.raises(AppendOnlyError):
        ListedReference.objects.update(reference="x")
    with pytest.raises(AppendOnlyError):
        ListedReference.objects.all().delete()


def test_the_privacy_officer_finds_list_views_by_reference(world, client):
    wanted = referral_in(world, "in_triage")
    other = referral_in(world, "in_triage", other=True)
    client.force_login(world.user("district_worker"))
    client.get(reverse("referrals:inbox"))
    client.force_login(world.user("other_district_worker"))
    client.get(reverse("referrals:inbox"))
    client.force_login(world.user("privacy_officer"))
    response = client.get(reverse("security:access_log"), {"reference": wanted.reference})
    html = response.content.decode()
    assert response.status_code == 200
    assert world.user("district_worker").email in html
    assert world.user("other_district_worker").email not in html
    assert wanted.reference in html and other.reference not in html
    csv = client.get(reverse("security:access_log_export"), {"reference": wanted.reference}).content.decode()
    assert wanted.reference in csv and "referrals.referral_list" in csv
