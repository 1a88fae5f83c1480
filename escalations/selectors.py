"""Read-only queries of the precedent library (ADR 0061): the search of the library page and
the "similar precedents" lists. No permission checks here: callers pass querysets already
scoped by escalations.permissions, or ask for published precedents only."""

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from escalations.models import CarriedBy, Escalation, EscalationReason, Mediation, Precedent, PrecedentDomain
from escalations.models import age_band as age_band_on
from portal.home import WorkItem
from referrals.models import Domain

SEARCHED_FIELDS = ("title", "summary", "outcome", "rationale", "split")
DOMAINS = Prefetch("domains", queryset=PrecedentDomain.objects.order_by("domain"))


# --- The library ---------------------------------------------------------------------------


def library():
    """Published precedents with their domains, newest first (the model's order)."""
    return (
        Precedent.objects.published()
        .select_related("partnership__region__parent", "municipality__region__parent")
        .prefetch_related(DOMAINS)
    )


def _has_domain(domains):
    # An EXISTS subquery rather than a join, so the result needs no DISTINCT and PostgreSQL can
    # walk the (status, -published_at) index and stop after one page.
    return Exists(PrecedentDomain.objects.filter(precedent=OuterRef("pk"), domain__in=domains))


def with_domain(queryset, domains):
    """Precedents with one of `domains`."""
    return queryset.filter(_has_domain(domains))


def _label_matches(choices, text):
    text = text.lower()
    return [value for value, label in choices if text in str(label).lower()]


def search(queryset, text):
    """Precedents whose free text contains `text` (served by the trigram indexes of
    referrals/migrations/0006), or whose coded facts have a label containing it: "financiering"
    finds the funding reason."""
    text = text.strip()
    if not text:
        return queryset
    condition = Q()
    for field in SEARCHED_FIELDS:
        condition |= Q(**{f"{field}__icontains": text})
    reasons = _label_matches(EscalationReason.choices, text)
    carried = _label_matches(CarriedBy.choices, text)
    domains = _label_matches(Domain.choices, text)
    if reasons:
        condition |= Q(reason__in=reasons)
    if carried:
        condition |= Q(carried_by__in=carried)
    if domains:
        condition |= _has_domain(domains)
    return queryset.filter(condition)


# --- Similar precedents --------------------------------------------------------------------


def similar_precedents(*, reason="", domains=(), school_type="", age_band="", exclude_pk=None, limit=5):
    """Published precedents ranked by likeness: the same reason weighs most, then each shared
    domain, then the same school type and the same age band. Only those with something in
    common are returned. A reason that is not one of EscalationReason's values (raw request
    input) counts as none."""
    if reason not in EscalationReason.values:
        reason = ""
    overlap = (
        PrecedentDomain.objects.filter(precedent=OuterRef("pk"), domain__in=list(domains))
        .order_by()
        .values("precedent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = Precedent.objects.published().annotate(
        overlap=Coalesce(Subquery(overlap, output_field=IntegerField()), Value(0)),
        score=Case(When(reason=reason or "-", then=Value(8)), default=Value(0))
        + F("overlap") * 2
        + Case(When(school_type=school_type or "-", then=Value(1)), default=Value(0))
        + Case(When(age_band=age_band or "-", then=Value(1)), default=Value(0)),
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.filter(score__gt=0).order_by("-score", "-published_at", "-pk")[:limit])


def similar_to_referral(referral, reason=""):
    return similar_precedents(
        reason=reason,
        domains=[d.domain for d in referral.domains.all()],
        school_type=referral.school.school_type,
        age_band=age_band_on(referral.child_date_of_birth, timezone.localdate()),
    )


def similar_to_precedent(precedent, limit=5):
    return similar_precedents(
        reason=precedent.reason,
        domains=[d.domain for d in precedent.domains.all()],
        school_type=precedent.school_type,
        age_band=precedent.age_band,
        exclude_pk=precedent.pk,
        limit=limit,
    )


__all__ = [
    "library",
    "search",
    "similar_precedents",
    "similar_to_precedent",
    "similar_to_referral",
    "with_domain",
]


# --- The deciders' home-page worklist (ADR 0140) ------------------------------------------


def decider_worklist(membership):
    """The open escalations this director (of the partnership) or officer (of the
    municipality) decides on, and since when the oldest waits: one query."""
    if membership.role == "partnership_director":
        mine = Q(partnership_id=membership.partnership_id)
    else:
        mine = Q(municipality_id=membership.municipality_id)
    found = Escalation.objects.filter(mine, state=Escalation.State.OPEN).aggregate(
        n=Count("pk"), oldest=Min("raised_at")
    )
    note = ""
    if found["oldest"] is not None:
        note = _("the oldest raised on %(date)s") % {
            "date": date_format(timezone.localtime(found["oldest"]), "DATE_FORMAT")
        }
    return [
        WorkItem(
            _("open escalations waiting for your decision"), found["n"], reverse("escalations:inbox"), note
        )
    ]


# --- The mediator's own list (ADR 0162) --------------------------------------------------


def own_mediation_list(mediations):
    """The user's mediations for the list page: open ones first (oldest first: they wait), then
    the closed ones, newest outcome first. Only the referral's reference is joined: the page
    shows no case data."""
    return (
        mediations.select_related("referral")
        .order_by(
            Case(When(state=Mediation.State.OPEN, then=Value(0)), default=Value(1)),
            Case(When(state=Mediation.State.OPEN, then=F("asked_at"))),
            F("recorded_at").desc(nulls_last=True),
            "-pk",
        )
        .only("pk", "state", "asked_side", "asked_at", "recorded_at", "referral__reference")
    )


def open_mediation_note(user, mediations):
    """The home page's line for a mediator: how many mediations wait for the outcome."""
    n = mediations.filter(state=Mediation.State.OPEN).count()
    return ngettext("%(n)s mediation waits for your outcome", "%(n)s mediations wait for your outcome", n) % {
        "n": n
    }
