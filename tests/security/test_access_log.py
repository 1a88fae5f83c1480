"""The access log: append-only in PostgreSQL, readable and exportable by the privacy officer
only, and every read of it is logged."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from portal.audit import log_access
from portal.models import AccessLog
from referrals.models import ListedReference
from referrals.views import LIST_OBJECT_TYPE
from tests.helpers.queries import assert_queries_pinned

pytestmark = pytest.mark.django_db


def _entry(user, reference="TR-2026-0001"):
    return log_access(
        user, AccessLog.Action.VIEW, object_type="referrals.referral", object_id="1", reference=reference
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize(
    "sql",
    ["UPDATE portal_accesslog SET role = 'x' WHERE id = %s", "DELETE FROM portal_accesslog WHERE id = %s"],
)
def test_raw_update_and_delete_are_refused_by_the_database(world, sql):
    entry = _entry(world.user("district_worker"))
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AccessLog.objects.filter(pk=entry.pk, role="").exists()


def test_filter_by_reference_user_and_period(world, client):
    worker, coordinator = world.user("district_worker"), world.user("school_coordinator")
    _entry(worker, "TR-2026-0001")
    _entry(coordinator, "TR-2026-0002")
    client.force_login(world.user("privacy_officer"))
    url = reverse("security:access_log")
    rows = client.get(url, {"reference": "tr-2026-0001"}).context["page"].rows
    assert [r.object_reference for r in rows] == ["TR-2026-0001"]
    rows = client.get(url, {"user": coordinator.email.upper()}).context["page"].rows
    assert [r.user_id for r in rows] == [coordinator.pk]
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    rows = client.get(url, {"date_from": tomorrow.isoformat()}).context["page"].rows
    assert list(rows) == []


def test_bad_period_gives_a_message_not_a_500(world, client):
    client.force_login(world.user("privacy_officer"))
    response = client.get(
        reverse("security:access_log"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]
    response = client.get(reverse("security:access_log"), {"date_from": "not a date", "reference": "a\x00b"})
    assert response.status_code == 200


def test_viewing_and_exporting_are_logged(world, client):
    officer = world.user("privacy_officer")
    _entry(world.user("district_worker"), "TR-2026-0009")
    client.force_login(officer)
    client.get(reverse("security:access_log"), {"reference": "TR-2026-0009"})
    response = client.get(reverse("security:access_log_export"), {"reference": "TR-2026-0009"})
    body = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "TR-2026-0009" in body and world.user("district_worker").email in body
    own = AccessLog.objects.filter(user=officer, object_type="portal.accesslog")
    assert sorted(own.values_list("action", flat=True)) == ["export", "view"]
    assert set(own.values_list("object_reference", flat=True)) == {"TR-2026-0009"}


def test_csv_neutralises_formulas(world, client):
    log_access(
        world.user("district_worker"),
        AccessLog.Action.VIEW,
        object_type="x",
        object_id="1",
        organisation="=HYPERLINK()",
    )
    client.force_login(world.user("privacy_officer"))
    body = client.get(reverse("security:access_log_export")).content.decode()
    assert "'=HYPERLINK()" in body


def test_query_count_is_pinned(world, client):
    worker = world.user("district_worker")
    client.force_login(world.user("privacy_officer"))
    client.get(reverse("security:access_log"))  # warm caches

    def add(n):
        for i in range(n):
            _entry(worker, f"TR-2026-{i:04d}")
            # A list page's read with the referrals it showed: their references are no query more.
            listed = log_access(
                worker, AccessLog.Action.VIEW, object_type=LIST_OBJECT_TYPE, object_id="inbox"
            )
            ListedReference.objects.bulk_create(
                [
                    ListedReference(entry=listed, referral_pk=j, reference=f"TR-2026-9{j:03d}")
                    for j in range(3)
                ]
            )

    from tests.helpers.queries import count_queries

    expected, _queries = count_queries(client, reverse("security:access_log"))
    assert_queries_pinned(client, reverse("security:access_log"), add, expected)
