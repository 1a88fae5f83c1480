"""Dashboard figures from the cache (reporting/summaries.py, ADR 0081)."""

import datetime
import threading
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reporting import summaries
from reporting.periods import Period
from reporting.scopes import Scope
from tests.reporting.factories import referral

pytestmark = pytest.mark.django_db

CACHED = override_settings(TANDEM_FIGURES_CACHE_SECONDS=600, TANDEM_FIGURES_CACHE_CLOSED_SECONDS=86400)
CLOSED = Period(2026, 1)


@pytest.fixture(autouse=True)
def clean_cache():
    """Other runs may share the Redis database: start and end without our keys."""
    cache.delete_many([summaries.VIEWED_KEY])
    yield
    cache.delete_many([summaries.VIEWED_KEY])


@pytest.fixture
def running():
    """The period that is running today, whatever day the suite runs on."""
    return Period.current()


def _forget(period, scope):
    cache.delete(summaries._key(period, scope, "nl"))


def _submitted(figures):
    return next(k.display for k in figures.key_figures)


def test_cache_off_computes_every_time(world):
    scope = Scope.for_region(world.region)
    with mock.patch.object(summaries, "compute_figures", wraps=summaries.compute_figures) as compute:
        summaries.figures_for(CLOSED, scope)
        summaries.figures_for(CLOSED, scope)
    assert compute.call_count == 2
    assert summaries.cache_seconds(CLOSED) == 0


@CACHED
def test_second_view_comes_from_the_cache_and_the_task_refreshes_it(world, running):
    scope = Scope.for_region(world.region)
    _forget(running, scope)
    start = datetime.datetime.combine(
        running.first_day, datetime.time(9), tzinfo=timezone.get_current_timezone()
    )
    for i in range(6):
        referral(world.school, submitted=start + datetime.timedelta(days=i))
    first = summaries.figures_for(running, scope)
    with CaptureQueriesContext(connection) as ctx:
        again = summaries.figures_for(running, scope)
    assert len(ctx.captured_queries) == 0
    assert _submitted(again) == _submitted(first) == "6"
    assert again.generated_at == first.generated_at
    # New work shows after the beat task ran, not before.
    referral(world.school, submitted=start + datetime.timedelta(days=10))
    assert _submitted(summaries.figures_for(running, scope)) == "6"
    assert summaries.refresh_viewed() >= 1
    assert _submitted(summaries.figures_for(running, scope)) == "7"
    _forget(running, scope)


@CACHED
def test_a_closed_half_year_is_kept_a_day_and_only_recomputed_when_gone(world):
    scope = Scope.for_region(world.region)
    _forget(CLOSED, scope)
    assert summaries.cache_seconds(CLOSED) == 86400
    assert summaries.cache_seconds(CLOSED, now=CLOSED.start) == 600  # while it was running
    summaries.figures_for(CLOSED, scope)
    with mock.patch.object(summaries, "compute_figures", wraps=summaries.compute_figures) as compute:
        summaries.refresh_viewed()
        assert compute.call_count == 0  # still cached
        _forget(CLOSED, scope)
        summaries.refresh_viewed()
        assert compute.call_count == 1
    _forget(CLOSED, scope)


@CACHED
def test_views_older_than_a_day_are_no_longer_kept_warm(world):
    scope = Scope.for_region(world.region)
    summaries.figures_for(CLOSED, scope)
    _forget(CLOSED, scope)
    later = timezone.now() + summaries.VIEWED_FOR + datetime.timedelta(minutes=1)
    with mock.patch.object(summaries, "compute_figures") as compute:
        assert summaries.refresh_viewed(now=later) == 0
    compute.assert_not_called()
    assert cache.get(summaries.VIEWED_KEY) == {}


@CACHED
def test_a_second_request_waits_for_the_first_ones_computation(world, monkeypatch):
    scope = Scope.for_region(world.region)
    key = summaries._key(CLOSED, scope, "nl")
    _forget(CLOSED, scope)
    cache.add(f"{key}:lock", 1, timeout=30)  # another request is computing

    def finish():
        cache.set(key, {"from": "the other request"}, 60)

    timer = threading.Timer(0.2, finish)
    timer.start()
    try:
        with mock.patch.object(summaries, "compute_figures") as compute:
            result = summaries.figures_for(CLOSED, scope)
        compute.assert_not_called()
        assert result == {"from": "the other request"}
    finally:
        timer.join()
        cache.delete_many([key, f"{key}:lock"])


@CACHED
def test_dashboard_says_when_the_figures_were_calculated_and_is_cheap_when_warm(world, client):
    client.force_login(world.users["steering_member"])
    scope = Scope.for_region(world.region)
    _forget(CLOSED, scope)
    url = reverse("reporting:dashboard") + f"?period={CLOSED.label}&scope={scope.key}"
    cold = client.get(url)
    html = cold.content.decode()
    assert "Berekend op" in html and "elke 5 minuten" in html
    with CaptureQueriesContext(connection) as ctx:
        warm = client.get(url)
    assert warm.status_code == 200
    # session, user, memberships, scopes, access log and the like; none of the aggregates
    assert len(ctx.captured_queries) <= 12, [q["sql"][:120] for q in ctx.captured_queries]
    assert not any("COUNT(" in q["sql"] for q in ctx.captured_queries)
    _forget(CLOSED, scope)


def test_live_dashboard_does_not_promise_a_refresh(world, client):
    client.force_login(world.users["steering_member"])
    html = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Berekend op" in html and "minuten opnieuw berekend" not in html


def test_beat_refreshes_the_figures():
    entry = settings.CELERY_BEAT_SCHEDULE["reporting-refresh-dashboard-figures"]
    assert entry["task"] == "reporting.refresh_dashboard_figures"
    assert entry["schedule"] == datetime.timedelta(minutes=settings.TANDEM_FIGURES_REFRESH_MINUTES)


@CACHED
def test_the_task_runs_the_refresh(world):
    from reporting.tasks import refresh_dashboard_figures

    with mock.patch.object(summaries, "refresh_viewed") as refresh:
        refresh_dashboard_figures.delay()
    refresh.assert_called_once_with()
