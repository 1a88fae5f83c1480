"""seed_load (ADR 0080): national registry sizes, referral paths consistent with the life cycle,
unique reference numbers, counters updated, no dangling references, usable bench accounts."""

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bench import loadgen
from contacts.models import (
    ContactAssignment,
    DistrictTeam,
    Membership,
    Municipality,
    Partnership,
    Region,
    School,
    Tandem,
    User,
)
from escalations.models import Decision, Escalation
from referrals.models import (
    ReferenceCounter,
    Referral,
    ReferralDomain,
    ReferralEvent,
)

pytestmark = pytest.mark.django_db

N = 2000


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Seeded once for the module (committed), emptied again afterwards."""
    out = StringIO()
    with django_db_blocker.unblock():
        call_command("seed_load", referrals=N, chunk=700, stdout=out)
        yield out.getvalue()
        call_command("flush", interactive=False, verbosity=0)


def test_registry_has_national_size(loaded):
    assert Region.objects.filter(parent__isnull=True).count() == 42
    assert Region.objects.filter(parent__isnull=False).count() >= 84
    assert Municipality.objects.count() == 342
    assert Partnership.objects.count() == 150
    assert School.objects.count() == 7000
    assert set(School.objects.values_list("school_type", flat=True)) == {"po", "sbo", "so", "vso", "vo"}
    assert School.objects.values("brin", "vestiging").distinct().count() == 7000
    # Every school's partnership and municipality lie in the same region, sector matches type.
    for school in School.objects.select_related("partnership", "municipality__region")[:300]:
        assert school.partnership.region_id == school.municipality.region.parent_id
        assert school.partnership.sector == ("vo" if school.school_type in ("vo", "vso") else "po")
    assert DistrictTeam.objects.count() >= 342
    assert Tandem.objects.current().count() > 0.8 * 7000
    assert ContactAssignment.objects.current().filter(school__isnull=False).count() > 0.8 * 7000
    assert "Loaded 2,000 referrals" in loaded


def test_agenda_items_per_region(loaded):
    from agenda.models import Activity, Agenda, Meeting

    assert Agenda.objects.count() == 42
    assert set(Agenda.objects.values_list("region__parent", flat=True)) == {None}
    assert Activity.objects.filter(ambition__agenda__region__code="JR01").exists()
    for activity in Activity.objects.select_related("owner_partnership", "ambition__agenda")[:100]:
        assert activity.owner_partnership.region_id == activity.ambition.agenda.region_id
    assert Meeting.objects.filter(attending_municipalities__isnull=False).distinct().count() == 42 * 16


def test_referrals_follow_the_life_cycle(loaded):
    assert Referral.objects.count() == N
    statuses = Counter(Referral.objects.values_list("status", flat=True))
    assert statuses["closed"] > 0 and statuses["declined"] > 0 and statuses["draft"] > 0
    assert set(statuses) >= {"submitted", "in_triage", "accepted", "help_started", "closed", "declined"}

    drafts = Referral.objects.filter(status="draft")
    assert not drafts.filter(reference__isnull=False).exists()
    assert not drafts.filter(first_submitted_at__isnull=False).exists()

    submitted = Referral.objects.exclude(status="draft")
    refs = list(submitted.values_list("reference", flat=True))
    assert None not in refs and len(set(refs)) == len(refs)
    assert all(re.fullmatch(r"AJS-20\d\d-\d{5,}", r) for r in refs)
    for ref, first in submitted.values_list("reference", "first_submitted_at")[:500]:
        assert int(ref[4:8]) == timezone.localtime(first).year
    counters = Counter(int(r[4:8]) for r in refs)
    for year, n in counters.items():
        assert ReferenceCounter.objects.get(year=year).last == n

    decided = Referral.objects.filter(status__in=["accepted", "declined", "help_started", "closed"])
    assert not decided.filter(decided_at__isnull=True).exists()
    assert not decided.filter(decided_at__lt=models.F("first_submitted_at")).exists()
    assert not submitted.filter(submitted_at__lt=models.F("first_submitted_at")).exists()
    assert not Referral.objects.filter(help_started_at__lt=models.F("decided_at")).exists()
    assert not Referral.objects.filter(closed_at__lt=models.F("help_started_at")).exists()
    assert not Referral.objects.filter(status="closed", closed_at__isnull=True).exists()
    in_flight = Referral.objects.filter(status__in=["submitted", "in_triage"])
    assert not in_flight.filter(decided_at__isnull=False).exists()
    assert not Referral.objects.filter(created_at__gt=timezone.now()).exists()
    assert not Referral.objects.filter(first_submitted_at__lt=models.F("created_at")).exists()
    # Two years of data.
    span = Referral.objects.aggregate(a=models.Min("created_at"), b=models.Max("created_at"))
    assert (span["b"] - span["a"]).days > 600
    assert ReferralDomain.objects.values("referral").distinct().count() == N


def test_events_replay_to_the_current_status(loaded):
    events = {}
    for rid, action, frm, to, at in ReferralEvent.objects.order_by("at", "id").values_list(
        "referral_id", "action", "from_status", "to_status", "at"
    ):
        events.setdefault(rid, []).append((action, frm, to, at))
    for r in Referral.objects.all():
        path = events.get(r.id, [])
        if r.status == "draft":
            assert path == []
            continue
        assert path[0][0] == "submit" and path[0][3] == r.first_submitted_at
        previous = "draft"
        for _action, frm, to, _at in path:
            assert frm == previous, (r.id, path)
            previous = to
        assert previous == r.status
        assert path[-1][3] == r.updated_at


def test_escalations_match_the_referrals(loaded):
    assert Escalation.objects.exists()
    for esc in Escalation.objects.select_related("referral", "referral__school"):
        assert esc.partnership_id == esc.referral.school.partnership_id
        assert esc.municipality_id == esc.referral.home_municipality_id
        if esc.state == "open":
            assert esc.referral.status == "escalated"
            assert esc.decided_at is None and not Decision.objects.filter(escalation=esc).exists()
        else:
            assert esc.decided_at >= esc.raised_at
            assert esc.decision.decided_at == esc.decided_at
    escalated = Referral.objects.filter(status="escalated")
    assert escalated.count() == Escalation.objects.filter(state="open").count()
    assert not escalated.filter(status_before_escalation="").exists()


def test_published_precedents_come_from_decisions(loaded):
    from escalations.models import Precedent

    precedents = Precedent.objects.select_related("decision__escalation")
    assert precedents.exists()
    for p in precedents[:200]:
        assert p.status == "published" and p.published_at == p.decision.decided_at
        assert p.reason == p.decision.escalation.reason and p.carried_by == p.decision.carried_by
        assert p.partnership_id == p.decision.escalation.partnership_id


def test_no_dangling_foreign_keys(loaded):
    """The load skips per-row foreign-key triggers, so check every reference explicitly."""
    for model in [*loadgen.REFERRAL_TABLES, Tandem, ContactAssignment, Membership, School]:
        for field in model._meta.concrete_fields:
            if not field.is_relation:
                continue
            target = field.related_model
            dangling = (
                model.objects.filter(**{f"{field.attname}__isnull": False})
                .exclude(**{f"{field.attname}__in": target.objects.values("pk")})
                .count()
            )
            assert dangling == 0, f"{model.__name__}.{field.name}"


def test_sequences_continue_after_the_load(loaded, django_user_model):
    referral = Referral.objects.first()
    event = ReferralEvent.objects.create(referral=referral, action="note")
    assert event.pk > ReferralEvent.objects.exclude(pk=event.pk).aggregate(m=models.Max("pk"))["m"]


def test_bench_accounts_log_in_with_their_memberships(loaded, client):
    for role, email in loadgen.BENCH_ACCOUNTS.items():
        user = User.objects.get(email=email)
        assert Membership.objects.filter(user=user, role=role).exists()
        response = client.post(reverse("login"), {"username": email, "password": loadgen.BENCH_PASSWORD})
        assert response.status_code == 302, email
        assert client.session.get("_auth_user_id") == str(user.pk)
        client.logout()
    school = Membership.objects.get(user__email=loadgen.BENCH_ACCOUNTS["school_coordinator"]).school
    busiest = Referral.objects.values("school").annotate(n=models.Count("id")).order_by("-n").first()
    assert busiest["school"] == school.id


def test_refuses_a_database_with_data(loaded):
    with pytest.raises(CommandError, match="already holds registry data"):
        call_command("seed_load", referrals=10, stdout=StringIO())


def test_access_log_notifications_and_reports_are_loaded(loaded):
    from portal.models import AccessLog, Notification
    from referrals.models import ListedReference
    from reporting.models import ProgressReport

    assert AccessLog.objects.count() == N  # as many as referrals unless --access-log says otherwise
    span = AccessLog.objects.aggregate(a=models.Min("at"), b=models.Max("at"))
    assert (span["b"] - span["a"]).days > 600 and span["b"] <= timezone.now()
    assert set(AccessLog.objects.values_list("action", flat=True)) >= {"view", "search", "download", "change"}
    lists = AccessLog.objects.filter(object_type="referrals.referral_list")
    assert ListedReference.objects.filter(entry__in=lists).count() == 3 * lists.count()
    reads = AccessLog.objects.filter(object_type="referrals.referral")
    for entry in reads[:50]:
        assert Referral.objects.get(pk=int(entry.object_id)).reference == entry.object_reference
    officer = User.objects.get(email=loadgen.BENCH_ACCOUNTS["privacy_officer"])
    steering = Membership.objects.get(user__email=loadgen.BENCH_ACCOUNTS["steering_member"])
    assert Membership.objects.get(user=officer, role="privacy_officer").region_id == steering.region_id
    assert Membership.objects.filter(role="privacy_officer").count() == 42

    bench = User.objects.get(email=loadgen.BENCH_ACCOUNTS["district_worker"])
    assert Notification.objects.filter(user=bench).count() == 3000
    assert Notification.objects.exclude(user=bench).count() == 10 * N
    assert Notification.objects.filter(read_at__isnull=True).exists()
    assert not Notification.objects.filter(read_at__lt=models.F("created_at")).exists()

    region_reports = ProgressReport.objects.filter(region_id=steering.region_id)
    assert region_reports.filter(status="done", scheduled=True).count() == 4
    assert ProgressReport.objects.filter(partnership__isnull=False).exists()


def test_top_up_fills_only_what_is_empty(loaded):
    from portal.models import AccessLog, Notification
    from reporting.models import ProgressReport

    Notification.objects.all().delete()
    ProgressReport.objects.filter(scheduled=False).delete()  # not empty: left alone
    log_rows = AccessLog.objects.count()
    out = StringIO()
    call_command("seed_load", top_up=True, stdout=out)
    assert '"notifications": 23000' in out.getvalue() and '"progress_reports": 0' in out.getvalue()
    assert AccessLog.objects.count() == log_rows
    call_command("seed_load", top_up=True, stdout=out)
    assert (
        out.getvalue()
        .rstrip()
        .endswith('{"access_log": 0, "notifications": 0, "privacy_officers": 0, "progress_reports": 0}')
    )


def test_every_bench_page_answers_its_account(loaded, client):
    """bench/pages.py: each page answers 200 to the bench account it is measured as."""
    from bench.pages import PAGES

    for page in PAGES:
        client.logout()
        if page.account:
            client.force_login(User.objects.get(email=loadgen.BENCH_ACCOUNTS[page.account]))
        response = client.get(page.resolve())
        assert response.status_code == 200, (page.name, page.resolve(), response.status_code)
