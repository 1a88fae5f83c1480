"""The list/detail queries the bench measures are served by indexes (ADR 0080).

With `enable_seqscan = off` the planner uses any index that can serve a query; a query that
still scans a referral table sequentially has none. On the million-row data set `make bench`
runs the same queries with EXPLAIN ANALYZE."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import NoReverseMatch

from bench import queries
from bench.pages import PAGES, Page
from referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module (committed), emptied again afterwards."""
    with django_db_blocker.unblock():
        call_command("seed_load", referrals=1500, stdout=StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def loaded(seeded):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")


def test_page_queries_use_indexes(loaded):
    sample = queries.sample_ids()
    checked = 0
    for name, (_page, queryset, must_use_index) in queries.queries(sample).items():
        _plan, _ms, seq = queries.explain(queryset)
        if must_use_index:
            assert seq == [], f"{name} scans {seq} sequentially"
            checked += 1
    assert checked >= 10


def test_the_check_flags_an_unindexed_filter(loaded):
    _plan, _ms, seq = queries.explain(Referral.objects.filter(child_group="klas 3"))
    assert seq == ["referrals_referral"]


def test_check_all_reports_timings(loaded):
    results = queries.check_all(analyze=True)
    assert results["inbox_page"]["ms"] is not None
    assert results["inbox_page"]["seq_scans"] == []


def test_every_page_resolves_and_a_wrong_url_name_fails_loudly(loaded):
    assert next(p for p in PAGES if p.name == "healthz").resolve() == "/healthz"
    for page in PAGES:
        assert page.resolve().startswith("/"), page.name
    with pytest.raises(NoReverseMatch):
        Page("missing", "no_such_url_name", None).resolve()
    names = {p.name for p in PAGES}
    assert {"triage_inbox", "school_referrals", "referral_detail", "directory_search"} <= names
    assert {"precedent_search", "dashboard"} <= names
