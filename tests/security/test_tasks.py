import datetime as dt

import pytest
import time_machine
from axes.models import AccessLog

from security.tasks import prune_login_records

pytestmark = pytest.mark.django_db


def test_login_records_are_kept_for_the_retention_period_then_deleted(settings):
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), tick=False) as traveller:
        AccessLog.objects.create(username="ib@example.test", ip_address="127.0.0.1", user_agent="x")
        traveller.shift(settings.TANDEM_LOGIN_LOG_RETENTION - dt.timedelta(days=1))
        assert prune_login_records() == 0
        assert AccessLog.objects.count() == 1
        traveller.shift(dt.timedelta(days=2))
        recent = AccessLog.objects.create(username="ib@example.test", ip_address="127.0.0.1", user_agent="x")
        assert prune_login_records() == 1
        assert list(AccessLog.objects.all()) == [recent]
        assert prune_login_records() == 0  # idempotent


def test_the_task_is_scheduled_nightly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["security-prune-login-records"]
    assert entry["task"] == "security.prune_login_records"
    assert "args" not in entry
