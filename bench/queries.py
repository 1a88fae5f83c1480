"""Representative queries of the list and detail pages (ADR 0080), checked with EXPLAIN.

Written as the ORM querysets the pages are expected to run, so the SQL is Django's. Used by
`make bench` (EXPLAIN ANALYZE on the load data, sequential scans on referral tables flagged)
and by tests/bench/test_queries.py (with `enable_seqscan = off`: a query that still
scans sequentially has no index that can serve it).
"""

import datetime
import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from escalations.models import Escalation
from referrals.models import Referral, ReferralEvent

INBOX_STATUSES = ["submitted", "in_triage", "returned", "escalated"]
# Tables that grow with the number of referrals: a sequential scan on one of them is flagged.
BIG_TABLES = {
    "referrals_referral",
    "referrals_referralevent",
    "referrals_referraldomain",
    "referrals_guardian",
    "referrals_consent",
    "referrals_escalation",
    "referrals_decision",
    "referrals_precedent",
    "referrals_message",
    "referrals_attachment",
    "portal_accesslog",
}


@dataclass
class Sample:
    """Ids to plug into the queries: the busiest school/team/partnership/municipality."""

    team: int
    school: int
    referral: int
    partnership: int
    municipality: int
    region: int
    user: int


def sample_ids():
    busiest_school = Referral.objects.values("school").annotate(n=Count("id")).order_by("-n").first()
    school = busiest_school["school"]
    busiest_team = Referral.objects.values("routed_team").annotate(n=Count("id")).order_by("-n").first()
    referral = Referral.objects.filter(school=school).exclude(status="draft").order_by("-created_at").first()
    from contacts.models import School

    s = School.objects.select_related("municipality__region").get(pk=school)
    region = s.municipality.region.parent_id or s.municipality.region_id
    return Sample(
        team=busiest_team["routed_team"],
        school=school,
        referral=referral.pk,
        partnership=s.partnership_id,
        municipality=s.municipality_id,
        region=region,
        user=referral.created_by_id,
    )


def half_year(today=None):
    """The last complete half-year before today: (start, end) aware datetimes."""
    today = today or timezone.localdate()
    if today.month > 6:
        start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 7, 1)
    else:
        start, end = datetime.date(today.year - 1, 7, 1), datetime.date(today.year, 1, 1)
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time(), tzinfo=tz),
        datetime.datetime.combine(end, datetime.time(), tzinfo=tz),
    )


def queries(s):
    """NAME -> (page, queryset or callable giving SQL, must_use_index).

    must_use_index: the query belongs to a page view and must be served by an index today;
    the others document where an index (or a summary table) is still proposed."""
    start, end = half_year()
    in_region = Q(school__municipality__region__parent_id=s.region) | Q(
        school__municipality__region_id=s.region
    )
    return {
        "inbox_page": (
            "triage_inbox",
            Referral.objects.filter(routed_team_id=s.team, status__in=INBOX_STATUSES)
            .select_related("school")
            .order_by("submitted_at", "id")[:25],
            True,
        ),
        "inbox_one_status": (
            "triage_inbox",
            Referral.objects.filter(routed_team_id=s.team, status="submitted").order_by("submitted_at")[:25],
            True,
        ),
        "inbox_count": (
            "triage_inbox",
            Referral.objects.filter(routed_team_id=s.team, status__in=INBOX_STATUSES).values("id"),
            True,
        ),
        "school_list_page": (
            "school_referrals",
            Referral.objects.filter(school_id=s.school)
            .select_related("routed_team")
            .order_by("-created_at")[:25],
            True,
        ),
        "school_list_status": (
            "school_referrals",
            Referral.objects.filter(school_id=s.school, status="help_started").order_by("-created_at")[:25],
            True,
        ),
        "referral_detail": (
            "referral_detail",
            Referral.objects.filter(pk=s.referral).select_related(
                "school", "routed_team", "home_municipality"
            ),
            True,
        ),
        "referral_timeline": (
            "referral_detail",
            ReferralEvent.objects.filter(referral_id=s.referral).order_by("at", "id"),
            True,
        ),
        "referral_by_reference": (
            "referral_detail",
            Referral.objects.filter(reference="AJS-2026-00042"),
            True,
        ),
        "my_drafts": (
            "school_referrals",
            Referral.objects.filter(created_by_id=s.user, status="draft").order_by("-created_at")[:25],
            True,
        ),
        "escalations_partnership": (
            "escalation_inbox",
            Escalation.objects.filter(partnership_id=s.partnership, state="open")
            .select_related("referral")
            .order_by("-raised_at")[:25],
            True,
        ),
        "escalations_municipality": (
            "escalation_inbox",
            Escalation.objects.filter(municipality_id=s.municipality, state="open")
            .select_related("referral")
            .order_by("-raised_at")[:25],
            True,
        ),
        **precedent_queries(),
        "dashboard_region_status": (
            "dashboard",
            Referral.objects.filter(in_region, first_submitted_at__gte=start, first_submitted_at__lt=end)
            .values("status")
            .annotate(n=Count("id")),
            False,
        ),
        "dashboard_national_open": (
            "dashboard",
            Referral.objects.filter(status__in=INBOX_STATUSES).values("status").annotate(n=Count("id")),
            False,
        ),
    }


def precedent_queries():
    """The precedent library's search (the page's own filter) and its newest-first list."""
    from escalations.forms import PrecedentFilter
    from escalations.models import Precedent

    def search(text):
        return PrecedentFilter({"q": text}, queryset=Precedent.objects.published()).qs[:26]

    return {
        "precedent_search": ("precedent_search", search("arrangement"), True),
        "precedent_search_rare": ("precedent_search", search("dyslexie"), True),
        "precedent_latest": ("precedent_search", Precedent.objects.published()[:26], True),
    }


def _walk(plan, found):
    if plan.get("Node Type") == "Seq Scan":
        found.append(plan.get("Relation Name"))
    for child in plan.get("Plans", []):
        _walk(child, found)
    return found


def explain(queryset, analyze=False):
    """(plan dict, execution ms or None, seq-scanned big tables)."""
    sql, params = queryset.query.sql_with_params()
    options = "ANALYZE, BUFFERS, FORMAT JSON" if analyze else "FORMAT JSON"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}", params)
        raw = cursor.fetchone()[0]
    doc = (json.loads(raw) if isinstance(raw, str) else raw)[0]
    seq = sorted({t for t in _walk(doc["Plan"], []) if t in BIG_TABLES})
    return doc["Plan"], doc.get("Execution Time"), seq


def check_all(analyze=True):
    """Runs every representative query; returns {name: {...}} for the bench JSON."""
    s = sample_ids()
    results = {}
    for name, (page, queryset, must) in queries(s).items():
        plan, ms, seq = explain(queryset, analyze=analyze)
        results[name] = {
            "page": page,
            "ms": round(ms, 2) if ms is not None else None,
            "seq_scans": seq,
            "top_node": plan["Node Type"],
            "must_use_index": must,
        }
    return results
