"""Publication events (ADR 0150) and startfotos (ADR 0155) are append-only: the models refuse a
change or a delete in Python, and PostgreSQL's trigger refuses it whoever sends the statement;
only deleting the account that published or froze may empty the person."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from portal.models import AppendOnlyError
from reporting.models import ProgressReport, PublicationEvent, StartPhoto

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(world):
    steering = world.user("steering_member")
    report = ProgressReport.objects.create(
        period="2026-H1", region=world.region, status=ProgressReport.Status.DONE
    )
    event = PublicationEvent.objects.create(report=report, action="publish", actor=steering)
    photo = StartPhoto.objects.create(
        region=world.region,
        school_year=2025,
        frozen_on=datetime.date(2026, 9, 1),
        frozen_by=steering,
        data={"areas": []},
    )
    return event, photo


def test_the_models_refuse_a_change_or_a_delete(rows):
    event, photo = rows
    event.action = "withdraw"
    photo.data = {"areas": ["changed"]}
    for row, change in ((event, {"action": "withdraw"}), (photo, {"data": {}})):
        with pytest.raises(AppendOnlyError):
            row.save()
        with pytest.raises(AppendOnlyError):
            row.delete()
        with pytest.raises(AppendOnlyError):
            type(row).objects.filter(pk=row.pk).update(**change)
        with pytest.raises(AppendOnlyError):
            type(row).objects.filter(pk=row.pk).delete()
    assert PublicationEvent.objects.get().action == "publish"
    assert StartPhoto.objects.get().data == {"areas": []}


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@needs_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE reporting_publicationevent SET action = 'withdraw'",
        "UPDATE reporting_publicationevent SET actor_id = NULL, action = 'withdraw'",
        "DELETE FROM reporting_publicationevent",
        "UPDATE reporting_startphoto SET data = '{}'::jsonb",
        "UPDATE reporting_startphoto SET frozen_by_id = NULL, frozen_on = '2026-01-01'",
        "DELETE FROM reporting_startphoto",
    ],
)
def test_the_database_refuses_a_change_or_a_delete(rows, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert list(PublicationEvent.objects.values_list("action", flat=True)) == ["publish"]
    assert StartPhoto.objects.get().data == {"areas": []}


@needs_postgresql
def test_a_published_report_keeps_its_history(rows):
    """Deleting the report would delete its publication events with it: refused."""
    event, _photo = rows
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            event.report.delete()
    assert ProgressReport.objects.filter(pk=event.report_id).exists()


@needs_postgresql
def test_deleting_the_account_empties_only_the_person(rows, world):
    event, photo = rows
    world.user("steering_member").delete()
    event, photo = PublicationEvent.objects.get(), StartPhoto.objects.get()
    assert (event.actor_id, event.action) == (None, "publish")
    assert (photo.frozen_by_id, photo.data) == (None, {"areas": []})
