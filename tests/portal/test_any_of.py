"""`field__any_of=[...]` (portal/database.py): the `in` lookup with the list as one array
parameter on PostgreSQL, `IN (...)` elsewhere."""

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from contacts.models import User
from portal.models import AccessLog
from tests.contacts import factories as f

pytestmark = pytest.mark.django_db


def test_the_same_rows_as_in_with_one_parameter(world):
    users = [world.user("school_coordinator").pk, world.user("district_worker").pk, 10**9]
    for user in users[:2]:
        AccessLog.objects.create(user_id=user, role="x", action=AccessLog.Action.VIEW, object_type="t")
    AccessLog.objects.create(user=world.user("privacy_officer"), role="x", action="view", object_type="t")
    queryset = AccessLog.objects.filter(user__any_of=users)
    sql, params = queryset.query.sql_with_params()
    assert '"portal_accesslog"."user_id" = ANY(%s)' in sql and list(params) == [users]
    assert sorted(queryset.values_list("pk", flat=True)) == sorted(
        AccessLog.objects.filter(user__in=users).values_list("pk", flat=True)
    )
    assert set(User.objects.filter(pk__any_of=users).values_list("pk", flat=True)) == set(users[:2])


def test_an_empty_list_finds_nothing(world):
    f.make_member("school_coordinator", world.school, email="nog-een@example.test")
    assert not User.objects.filter(pk__any_of=[]).exists()


def test_other_databases_get_in():
    sqlite = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})
    queryset = User.objects.filter(pk__any_of=[1, 2])
    sql, params = queryset.query.get_compiler(connection=sqlite["default"]).as_sql()
    assert "IN (%s, %s)" in sql and list(params) == [1, 2]
    assert connection.vendor == "postgresql"  # make test runs the PostgreSQL form above


def test_ids_go_as_they_are_and_anything_else_through_the_field(world):
    """Python ints on an id or foreign key are sent as they are; text of digits and a None are
    converted and dropped as the field's `in` would do."""
    users = [world.user("school_coordinator").pk, world.user("district_worker").pk]
    _sql, params = User.objects.filter(pk__any_of=users).query.sql_with_params()
    assert list(params) == [users]
    _sql, params = AccessLog.objects.filter(user__any_of=tuple(users)).query.sql_with_params()
    assert list(params) == [users]
    _sql, params = User.objects.filter(pk__any_of=[str(users[0]), None]).query.sql_with_params()
    assert list(params) == [[users[0]]]
    assert list(User.objects.filter(pk__any_of=[str(users[0])]).values_list("pk", flat=True)) == users[:1]
