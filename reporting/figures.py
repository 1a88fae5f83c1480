"""Every figure of the progress report, computed once for the dashboard, the PDF and the exports.

    compute_figures(period, scope) -> Figures

A fixed number of queries, whatever the number of referrals: SQL aggregates, one pass over
this half-year and the previous one per kind of count, and for the waiting times the dates
grouped in SQL, their working days counted in Python (docs/adr/0167). Counts about
children pass through reporting/suppression.py before they leave this module: 1–4 become
"<5", and totals that would reveal them are protected (docs/adr/0070). Counts of organisations
(coverage, meetings) are not about children and are shown as they are.
"""

import bisect
import datetime
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from agenda import indicators
from agenda.models import Goal, Meeting, ProgressUpdate
from contacts.models import Municipality, Region, School, SchoolType
from contacts.norms import norms_in_period, root_region_id
from contacts.selectors import coverage_counts
from escalations.models import CarriedBy, Escalation, EscalationReason, Mediation
from portal.models import Holiday
from portal.workdays import local_date, percentile_cont, weekdays_between
from referrals import transition as transition_rules
from referrals.models import (
    Answer,
    CloseOutcome,
    Domain,
    Referral,
    ReferralDomain,
    ReferralEvent,
    Status,
    SubjectKind,
)
from reporting.periods import AMSTERDAM, Period
from reporting.scopes import REGION, SUBREGION, Scope
from reporting.suppression import HIDDEN, THRESHOLD, Cell, fmt_count, primary, suppress_group


# --- The tree ---------------------------------------------------------------------------------
@dataclass
class Bar:
    label: str
    value: float | None  # None: suppressed, no bar drawn
    display: str


@dataclass
class Chart:
    title: str
    bars: list
    unit: str = ""
    maximum: float | None = None  # fixed scale (e.g. 100 for percentages)


@dataclass
class Table:
    key: str
    caption: str
    headers: list  # column headers; the first column holds the row headers
    rows: list  # [[row header, cell, cell, ...]] all strings
    footer: list | None = None  # a total row, same shape as rows
    note: str = ""
    chart: Chart | None = None


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    tables: list = field(default_factory=list)
    note: str = ""


@dataclass
class KeyFigure:
    label: str
    display: str
    explanation: str = ""  # one line: what is counted


@dataclass
class Figures:
    period: Period
    scope: Scope
    generated_at: datetime.datetime
    key_figures: list
    sections: list
    previous_period: Period | None = None
    comparison: Table | None = None  # this half-year against the previous one (ADR 0146)
    changes: list = field(default_factory=list)  # sentences: the (at most) three largest changes

    def section(self, key):
        return next(s for s in self.sections if s.key == key)

    def table(self, key):
        return next(t for s in self.sections for t in s.tables if t.key == key)


# --- Helpers ------------------------------------------------------------------------------------
def fmt_days(value):
    return number_format(round(value, 1), decimal_pos=1) if value is not None else "—"


def fmt_percent(part, whole):
    if not whole:
        return "—"
    return number_format(round(100 * part / whole), decimal_pos=0) + "%"


def _count_table(key, caption, label_header, cells, total_cell=None, note="", chart=True):
    rows = [[c.label, c.display] for c in cells]
    footer = [_("Total"), total_cell.display] if total_cell is not None else None
    bars = [Bar(c.label, c.value, c.display) for c in cells]
    return Table(
        key=key,
        caption=caption,
        headers=[label_header, _("Number")],
        rows=rows,
        footer=footer,
        note=note,
        chart=Chart(caption, bars) if chart and cells else None,
    )


def _grouped(counts, labels, order=None):
    """[(key, label, count)] in `order` (all known keys, zeros included) from {key: count}."""
    keys = list(order) if order is not None else sorted(counts, key=lambda k: str(labels.get(k, k)))
    for extra in counts:
        if extra not in keys:
            keys.append(extra)
    return [(str(k), str(labels.get(k, k) or _("unknown")), counts.get(k, 0)) for k in keys]


def _stat_headers(measure, measured):
    """The columns of a table of `_stat_row`s: what is measured, how many, median, p90, norm."""
    return [
        measure,
        measured,
        _("Median (working days)"),
        _("90th percentile (working days)"),
        _("Norm (working days)"),
        _("90th percentile within norm"),
    ]


def _stat_row(label, n, median, p90, norm, n_reveals=False):
    """One waiting-time row. `n_reveals`: the number measured is a complement of a group with
    hidden cells (e.g. decided = submitted − undecided), so it is hidden as well ("x")."""
    if n < THRESHOLD:
        shown_n = primary("n", "", n).display
        return [label, shown_n, "—", "—", fmt_count(norm) if norm is not None else "—", "—"]
    within = "—"
    if norm is not None and p90 is not None:
        within = _("yes") if p90 <= norm else _("no")
    return [
        label,
        HIDDEN if n_reveals else fmt_count(n),
        fmt_days(median),
        fmt_days(p90),
        fmt_count(norm) if norm is not None else "—",
        within,
    ]


# --- Norms (ADR 0091) --------------------------------------------------------------------------
def _norm_region_id(scope):
    region = getattr(scope.obj, "region", None) if not isinstance(scope.obj, Region) else scope.obj
    return root_region_id(region)


def _norm_spans(period, scope):
    """[(first day, last day or None, Norms)] that applied to referrals submitted in the period."""
    first = timezone.localdate(period.start)
    last = timezone.localdate(period.end) - datetime.timedelta(days=1)
    return norms_in_period(_norm_region_id(scope), first, last)


def _norm_text(norms):
    values = {"decision": norms.decision_days, "help": norms.help_started_days}
    if norms.is_default:
        return (
            _("decision within %(decision)s, help started within %(help)s working days (the defaults)")
            % values
        )
    return _(
        "decision within %(decision)s, help started within %(help)s working days (the region's norms "
        "from %(date)s)"
    ) % {**values, "date": date_format(norms.source.valid_from)}


def _norm_note(spans):
    """Which norm the waiting times were measured against, said in the report."""
    if len(spans) == 1:
        return _("Measured against: %(norms)s.") % {"norms": _norm_text(spans[0][2])}
    parts = [
        _("from %(first)s to %(last)s: %(norms)s")
        % {
            "first": date_format(first),
            "last": date_format(last) if last else _("the end of the period"),
            "norms": _norm_text(norms),
        }
        for first, last, norms in spans
    ]
    return _(
        "The norms changed in this period; each referral kept the norm of its submission date. "
        "Measured against the strictest: %(parts)s."
    ) % {"parts": "; ".join(parts)}


# --- The referral counts, defined once for this half-year and the previous one ------------------
# Every figure about referrals comes from one pass over the cohorts of both half-years (this one
# and the one it is set against, ADR 0146) per kind of count: a pass costs the same for two
# half-years as for one, while each extra pass re-reads every referral of the scope (ADR 0167).
ACCEPTED_Q = Q(decided_at__isnull=False) & ~Q(status=Status.DECLINED)

# The totals of a cohort: {name: which referrals count}; "submitted" counts all of them.
TOTALS = {
    "submitted": Q(),
    "accepted": ACCEPTED_Q,
    "declined": Q(status=Status.DECLINED),
    # Withdrawn by the school or lapsed before the team decided (ADR 0096).
    "ended": Q(decided_at__isnull=True, status__in=[Status.WITHDRAWN, Status.LAPSED]),
    "joint": ACCEPTED_Q & Q(joint_deployment=True),
    # Helped through the school's collective arrangement, not individually (ADR 0161).
    "arrangement": ACCEPTED_Q & Q(collective_arrangement__isnull=False),
}


def _cohort(period, scope):
    return Referral.objects.filter(
        scope.referral_q(), first_submitted_at__gte=period.start, first_submitted_at__lt=period.end
    )


def _cohorts(period, scope):
    """The cohorts of `period` and of the half-year before it, in one queryset."""
    return Referral.objects.filter(
        scope.referral_q(), first_submitted_at__gte=period.previous().start, first_submitted_at__lt=period.end
    )


def _counted(name, within):
    """Count the referrals `within` (a Q) that TOTALS[name] counts."""
    return Count("id", filter=within & TOTALS[name] if TOTALS[name] else within)


def _totals(queryset):
    return queryset.aggregate(**{name: _counted(name, Q()) for name in TOTALS})


@dataclass
class CohortCounts:
    """The counts of the referrals first submitted in one half-year, unsuppressed."""

    totals: dict  # {TOTALS name: referrals}, and "returned" for this half-year
    school_types: dict = field(default_factory=dict)  # {school type: referrals}
    subject_kinds: dict = field(default_factory=dict)  # {subject kind: referrals}
    home_municipalities: dict = field(default_factory=dict)  # {name (None: unknown): referrals}


def _add(counts, key, n):
    if n:
        counts[key] = counts.get(key, 0) + n


def cohort_counts(period, scope):
    """(this half-year's, the previous one's) CohortCounts in two queries: both cohorts grouped
    by half-year, school type, subject kind and home municipality (a few dozen groups; the
    totals and each grouping are sums over them), and the referrals of this half-year returned
    to the school at least once."""
    this_half = ExpressionWrapper(Q(first_submitted_at__gte=period.start), output_field=BooleanField())
    groups = (
        _cohorts(period, scope)
        # Grouped by the municipality's id, a shorter sort than its name; the name is shown.
        .values("school__school_type", "subject_kind", "home_municipality", this_half=this_half)
        .annotate(home_name=Min("home_municipality__name"), **{name: _counted(name, Q()) for name in TOTALS})
        .order_by()
    )
    now, before = CohortCounts(dict.fromkeys(TOTALS, 0)), CohortCounts(dict.fromkeys(TOTALS, 0))
    for group in groups:
        counts = now if group["this_half"] else before
        for name in TOTALS:
            counts.totals[name] += group[name]
        n = group["submitted"]
        _add(counts.school_types, group["school__school_type"], n)
        _add(counts.subject_kinds, group["subject_kind"], n)
        _add(counts.home_municipalities, group["home_name"], n)
    # Apart, so that only this half-year's referrals are looked up among the events, in the
    # small index of the return events (ADR 0167).
    returns = ReferralEvent.objects.filter(referral=OuterRef("pk"), action="return")
    now.totals["returned"] = _cohort(period, scope).filter(Exists(returns)).count()
    return now, before


def _type_items(counts):
    """[(school type, label, referrals)] from {school type: referrals}, unsuppressed."""
    return _grouped(counts, dict(SchoolType.choices), order=SchoolType.values)


def school_type_counts(cohort):
    """{school type: referrals} of a cohort queryset (the startfoto's school year)."""
    rows = cohort.values("school__school_type").annotate(n=Count("id")).order_by()
    return {row["school__school_type"]: row["n"] for row in rows}


def _type_cells(counts, submitted):
    return suppress_group(_type_items(counts), total=submitted)


def _domain_items(counts):
    """[(domain, label, referrals)] from {domain: referrals}, unsuppressed: for suppress_group."""
    return _grouped(counts, dict(Domain.choices), order=Domain.values)


def domain_counts(period, scope):
    """(this half-year's, the previous one's) {domain: referrals} in one query. Counted as the
    domains' referral ids, so the unique (referral, domain) index answers it without its table."""
    in_cohorts = scope.referral_q("referral__") & Q(
        referral__first_submitted_at__gte=period.previous().start, referral__first_submitted_at__lt=period.end
    )
    rows = (
        ReferralDomain.objects.filter(in_cohorts)
        .values("domain")
        .annotate(
            now=Count("referral_id", filter=Q(referral__first_submitted_at__gte=period.start)),
            before=Count("referral_id", filter=Q(referral__first_submitted_at__lt=period.start)),
        )
        .order_by()
    )
    now, before = {}, {}
    for row in rows:
        _add(now, row["domain"], row["now"])
        _add(before, row["domain"], row["before"])
    return now, before


def cohort_domain_counts(cohort):
    """{domain: referrals} of a cohort queryset (the startfoto's school year)."""
    rows = (
        ReferralDomain.objects.filter(referral__in=cohort.values("id"))
        .values("domain")
        .annotate(n=Count("id"))
    )
    return {row["domain"]: row["n"] for row in rows.order_by()}


def _domain_cells(counts):
    cells, _none = suppress_group(_domain_items(counts), total=None)
    return cells


def _outcome_cells(totals):
    submitted = totals["submitted"]
    in_process = submitted - totals["accepted"] - totals["declined"] - totals["ended"]
    return suppress_group(
        [
            ("accepted", _("accepted"), totals["accepted"]),
            ("declined", _("declined"), totals["declined"]),
            ("ended", _("ended without a decision (withdrawn or lapsed)"), totals["ended"]),
            ("in_process", _("not decided yet"), in_process),
        ],
        total=submitted,
    )


def route_cells(totals, accepted_cell):
    """The accepted referrals by route (ADR 0161): through the school's collective arrangement
    or individually (with or without a care provider). The two add up to the accepted total,
    which the outcome table publishes (or hides): a hidden total hides both non-zero cells."""
    accepted = totals["accepted"]
    through = totals["arrangement"]
    cells, _total = suppress_group(
        [
            ("arrangement", _("through the school's collective arrangement"), through),
            ("individual", _("individually (district team or care provider)"), accepted - through),
        ],
        total=accepted,
    )
    if accepted_cell.hidden:
        cells = [c if c.hidden or not c.value else Cell(c.key, c.label, None, HIDDEN) for c in cells]
    return cells


# --- Waiting times: working days between dates, counted in Python ---------------------------
# The dates are grouped in SQL and their working days counted here the way SQL's WorkingDays
# counts them: the weekdays between the dates less the rows of the Holiday table in between.
# WorkingDays counts those rows with a subquery for every referral, and a median and a 90th
# percentile evaluate it three times a referral (ADR 0167). The counts and percentiles are the
# same (tests/reporting/test_figures_passes_agree.py).
def holiday_days():
    """The days of the Holiday table, in order: what WorkingDays leaves out. One query."""
    return list(Holiday.objects.order_by("day").values_list("day", flat=True))


def day_stats(pairs, holidays):
    """(n, median, p90) of the working days of {(first date, last date): how many}, as
    day_count_stats computes them over WorkingDays (percentile_cont); a pair without a last
    date is not measured. `holidays`: holiday_days()."""
    measured = [
        (first, last, n) for (first, last), n in pairs.items() if first is not None and last is not None
    ]
    if not measured:
        return 0, None, None
    # Each date's working days from the earliest date, counted once; forwards, the working days
    # between two dates are the difference.
    dates = {day for first, last, _n in measured for day in (first, last)}
    base = min(dates)
    numbers = {day: weekdays_between(base, day) - bisect.bisect_right(holidays, day) for day in dates}
    days = []
    for first, last, n in measured:
        # Backwards, WorkingDays gives the negative count of weekdays (no holiday lies between).
        count = numbers[last] - numbers[first] if last >= first else -weekdays_between(last, first)
        days.extend([count] * n)
    return len(days), percentile_cont(days, 0.5), percentile_cont(days, 0.9)


def _date_rows(queryset, *moments, by=()):
    """Tuples (the fields `by`, the local dates in Amsterdam of the `moments`, how many rows
    share them), one per distinct combination."""
    days = {f"{moment}_day": local_date(moment) for moment in moments}
    return queryset.values(*by, **days).annotate(n=Count("id")).order_by().values_list(*by, *days, "n")


def _waiting_pairs(rows):
    """({(submitted, decided): n}, {(submitted, help started): n}) from _date_rows tuples."""
    decision, help_started = {}, {}
    for submitted, decided, helped, n in rows:
        decision[submitted, decided] = decision.get((submitted, decided), 0) + n
        help_started[submitted, helped] = help_started.get((submitted, helped), 0) + n
    return decision, help_started


WAITING_MOMENTS = ("first_submitted_at", "decided_at", "help_started_at")


def waiting_times(cohort, holidays=None):
    """((n, median, p90) to a decision, to the start of help) of a cohort queryset."""
    holidays = holiday_days() if holidays is None else holidays
    decision, help_started = _waiting_pairs(_date_rows(cohort, *WAITING_MOMENTS))
    return day_stats(decision, holidays), day_stats(help_started, holidays)


def waiting_times_of_both(period, scope, holidays):
    """(this half-year's, the previous one's) (to a decision, to the start of help), each
    (n, median, p90), in one query over both cohorts."""
    rows, first_day = list(_date_rows(_cohorts(period, scope), *WAITING_MOMENTS)), period.first_day
    now = [row for row in rows if row[0] >= first_day]
    before = [row for row in rows if row[0] < first_day]
    return tuple(
        tuple(day_stats(pairs, holidays) for pairs in _waiting_pairs(half)) for half in (now, before)
    )


@dataclass
class Comparable:
    """The numbers of one half-year that are set against another's (ADR 0146); cells suppressed."""

    submitted: Cell
    accepted: Cell
    joint: Cell
    escalations: Cell
    decision: tuple  # (n, median, p90) in working days
    domains: list  # [Cell] in Domain order
    school_types: list  # [Cell] in SchoolType order
    transition_prepared: Cell  # pupils turned 18 with their transition prepared in time (ADR 0153)


def _previous_comparable(counts, domains, decision, escalations, transition_cells):
    """The comparable numbers of the previous half-year from the counts of both."""
    totals = counts.totals
    outcome_cells, _total = _outcome_cells(totals)
    type_cells, _total = _type_cells(counts.school_types, totals["submitted"])
    return Comparable(
        submitted=primary("submitted", "", totals["submitted"]),
        accepted=outcome_cells[0],
        joint=primary("joint", "", totals["joint"]),
        escalations=primary("escalations", "", escalations.total),
        decision=decision,
        domains=_domain_cells(domains),
        school_types=type_cells,
        transition_prepared=transition_cells[0][0],
    )


# --- Sections -----------------------------------------------------------------------------------
def _referral_sections(period, scope, counts, domains, waiting):
    """The referral and waiting-time sections from the counts of this half-year's cohort."""
    totals = counts.totals
    submitted = totals["submitted"]
    decision, help_started = waiting

    type_cells, type_total = _type_cells(counts.school_types, submitted)
    domain_cells = _domain_cells(domains)
    home_cells, home_total = suppress_group(
        _grouped(counts.home_municipalities, {None: _("unknown")}), total=submitted
    )
    outcome_cells, outcome_total = _outcome_cells(totals)
    returned = primary("returned", _("returned to the school at least once"), totals["returned"])
    joint = primary("joint", _("joint deployments of education and youth care"), totals["joint"])
    routes = route_cells(totals, outcome_cells[0])
    submitted_cell = primary("submitted", _("Referrals submitted"), submitted)

    route_table = _count_table(
        "by_route",
        _("Accepted referrals by route"),
        _("Route"),
        routes,
        note=_(
            "Help through a collective arrangement comes from care workers who are present in "
            "the school, paid jointly by education and youth care, without an individual "
            "indication."
        ),
        chart=False,
    )
    # The routes add up to the accepted count, which the outcome table shows (or hides).
    route_table.footer = [_("Total"), outcome_cells[0].display]

    referrals = Section(
        key="referrals",
        title=_("Referrals"),
        intro=_(
            "Referrals first submitted in the period. Schools count by the school's location; "
            "a municipality's figures count the referrals of children living there."
        ),
        tables=[
            _count_table(
                "by_school_type", _("Referrals by school type"), _("School type"), type_cells, type_total
            ),
            _count_table(
                "by_domain",
                _("Referrals by concern domain"),
                _("Domain"),
                domain_cells,
                note=_("A referral can name more than one domain, so these numbers do not add up."),
            ),
            _count_table(
                "by_home_municipality",
                _("Referrals by home municipality"),
                _("Municipality"),
                home_cells,
                home_total,
            ),
            _count_table("outcome", _("Outcome of triage"), _("Outcome"), outcome_cells, outcome_total),
            route_table,
            _count_table(
                "other",
                _("Returns and joint deployments"),
                _("Figure"),
                [returned, joint],
                note=_(
                    "A joint deployment is an accepted referral in which school support and youth care "
                    "run together."
                ),
                chart=False,
            ),
        ],
    )
    spans = _norm_spans(period, scope)
    # Where the norms changed within the period, the strictest is the one judged against.
    norm_decision = min(norms.decision_days for _first, _last, norms in spans)
    norm_help = min(norms.help_started_days for _first, _last, norms in spans)
    waiting_headers = _stat_headers(_("Waiting time"), _("Referrals measured"))
    waiting_rows = [
        # Decided = accepted + declined = submitted − undecided: hidden with the outcome group.
        _stat_row(
            _("From submission to decision"),
            *decision,
            norm_decision,
            n_reveals=any(c.hidden for c in outcome_cells),
        ),
        _stat_row(_("From submission to start of help"), *help_started, norm_help),
    ]
    bars = []
    median_word, p90_word = _("median"), _("90th percentile")
    for label, (n, median, p90) in ((_("Decision"), decision), (_("Start of help"), help_started)):
        shown = n >= THRESHOLD
        for word, value in ((median_word, median), (p90_word, p90)):
            bars.append(Bar(f"{label}: {word}", value if shown else None, fmt_days(value) if shown else "—"))
    waiting = Section(
        key="waiting",
        title=_("Waiting times"),
        intro=_(
            "In working days (Monday to Friday, public holidays left out) from the first submission; "
            "submitted on a Friday and decided on the Monday counts as 1 working day. Figures over "
            "fewer than 5 referrals are not shown."
        ),
        tables=[
            Table(
                key="waiting_times",
                caption=_("Waiting times against the norm"),
                headers=waiting_headers,
                rows=waiting_rows,
                note=_norm_note(spans),
                chart=Chart(_("Waiting times in working days"), bars, unit=_("working days")),
            )
        ],
    )
    median_display = waiting_rows[0][2]
    key_figures = [
        KeyFigure(
            _("Referrals this half-year"),
            submitted_cell.display,
            _("Referrals a school submitted for the first time in this half-year."),
        ),
        KeyFigure(
            _("Accepted by the district team"),
            outcome_cells[0].display,
            _(
                "Of those referrals, the ones the district team took up with planned help, "
                "whether the help still runs or has ended."
            ),
        ),
        KeyFigure(
            _("Joint deployments of education and youth care"),
            joint.display,
            _("Accepted referrals in which school support and youth care run together."),
        ),
        KeyFigure(
            _("Median waiting time to a decision (working days)"),
            median_display,
            _(
                "Half of the decided referrals had the district team's decision (accepted or "
                "declined) within this many working days of submission."
            ),
        ),
    ]
    comparable = {
        "submitted": submitted_cell,
        "accepted": outcome_cells[0],
        "joint": joint,
        "decision": decision,
        "domains": domain_cells,
        "school_types": type_cells,
    }
    return [referrals, waiting], key_figures, comparable


@dataclass
class EscalationCounts:
    """The escalations raised in one half-year, unsuppressed."""

    total: int = 0
    reasons: dict = field(default_factory=dict)  # {reason: escalations}
    outcomes: dict = field(default_factory=dict)  # {carried by, None before the decision: escalations}
    days: dict = field(default_factory=dict)  # {(date raised, date decided or None): escalations}


def escalation_counts(period, scope):
    """(this half-year's, the previous one's) EscalationCounts in one query: the escalations
    raised in either, grouped by reason, outcome and the dates raised and decided."""
    raised = Escalation.objects.filter(
        scope.escalation_q(), raised_at__gte=period.previous().start, raised_at__lt=period.end
    )
    now, before = EscalationCounts(), EscalationCounts()
    rows = _date_rows(raised, "raised_at", "decided_at", by=("reason", "decision__carried_by"))
    for reason, carried_by, raised_on, decided_on, n in rows:
        counts = now if raised_on >= period.first_day else before
        counts.total += n
        _add(counts.reasons, reason, n)
        _add(counts.outcomes, carried_by, n)
        _add(counts.days, (raised_on, decided_on), n)
    return now, before


def _escalation_section(period, scope, counts, holidays):
    total = counts.total
    stats = day_stats(counts.days, holidays)
    reason_cells, reason_total = suppress_group(
        _grouped(counts.reasons, dict(EscalationReason.choices), order=EscalationReason.values),
        total=total,
    )
    outcome_labels = {**dict(CarriedBy.choices), None: _("no decision yet")}
    outcome_cells, outcome_total = suppress_group(
        _grouped(counts.outcomes, outcome_labels, order=[*CarriedBy.values, None]),
        total=total,
    )
    mediation_cells, mediation_total = _mediation_cells(period, scope)
    section = Section(
        key="escalations",
        title=_("Escalations (doorzettingsmacht)"),
        intro=_(
            "Escalations raised in the period, and who carries the help according to the decision; "
            "and the disagreements for which a mediator was asked first, by outcome."
        ),
        tables=[
            _count_table(
                "escalation_reason", _("Escalations by reason"), _("Reason"), reason_cells, reason_total
            ),
            _count_table(
                "escalation_outcome",
                _("Escalations by outcome (who carries the help)"),
                _("Carried by"),
                outcome_cells,
                outcome_total,
            ),
            Table(
                key="escalation_days",
                caption=_("Working days from escalation to decision"),
                headers=_stat_headers(_("Measure"), _("Escalations decided")),
                # Decided escalations = total − undecided: hidden with the outcome group.
                rows=[
                    _stat_row(
                        _("From escalation to decision"),
                        *stats,
                        None,
                        n_reveals=any(c.hidden for c in outcome_cells),
                    )
                ],
            ),
            _count_table(
                "mediation_outcome",
                _("Mediation before escalation, by outcome"),
                _("Outcome"),
                mediation_cells,
                mediation_total,
                note=_(
                    "Disagreements for which school or district team asked one of the region's mediators "
                    "in the period. Settled ones did not need the deciders."
                ),
            ),
        ],
    )
    return section, primary("escalations", "", total)


def _mediation_cells(period, scope):
    """Mediations asked in the period by outcome (ADR 0149): one query, suppressed below 5."""
    counts = Mediation.objects.filter(
        scope.referral_q("referral__"), asked_at__gte=period.start, asked_at__lt=period.end
    ).aggregate(
        total=Count("id"),
        settled=Count("id", filter=Q(state=Mediation.State.SETTLED)),
        not_settled=Count("id", filter=Q(state=Mediation.State.NOT_SETTLED)),
        open=Count("id", filter=Q(state=Mediation.State.OPEN)),
        overtaken=Count("id", filter=Q(state=Mediation.State.OVERTAKEN)),
    )
    return suppress_group(
        [
            ("settled", _("settled by the mediation"), counts["settled"]),
            ("not_settled", _("not settled (the parties may escalate)"), counts["not_settled"]),
            ("open", _("no outcome yet"), counts["open"]),
            (
                "overtaken",
                _("closed without an outcome (escalated, withdrawn or lapsed first)"),
                counts["overtaken"],
            ),
        ],
        total=counts["total"],
    )


def _closed_section(period, scope):
    closed = Referral.objects.filter(
        scope.referral_q(), closed_at__gte=period.start, closed_at__lt=period.end
    )
    # One query: the total is the sum of the outcomes.
    rows = closed.values("close_outcome").annotate(n=Count("id")).order_by()
    by_outcome = {row["close_outcome"]: row["n"] for row in rows}
    labels = {"": _("not recorded"), **dict(CloseOutcome.choices)}
    cells, total_cell = suppress_group(_grouped(by_outcome, labels), total=sum(by_outcome.values()))
    return Section(
        key="closed",
        title=_("Help closed (scaled down)"),
        intro=_("Referrals whose help was closed in the period, by outcome."),
        tables=[_count_table("closed_outcome", _("Help closed by outcome"), _("Outcome"), cells, total_cell)],
    )


def _feedback_cells(counts, n, prefix):
    """The yes/partly/no cells of one question: all hidden below THRESHOLD answers, else the
    group suppression against the number of answers (ADR 0070, ADR 0151)."""
    items = [(f"{prefix}_{a.value}", str(a.label), counts[f"{prefix}_{a.value}"]) for a in Answer]
    if n == 0:
        return ["0"] * len(items)
    if n < THRESHOLD:
        return [HIDDEN] * len(items)
    cells, _total = suppress_group(items, total=n)
    return [c.display for c in cells]


def _cooperation_section(period, scope):
    """The cooperation check after a referral ended (ADR 0151), per subregion: how many
    answered, and how many said yes, partly or no to each question. Region and subregion only:
    the answers are stored per subregion, nothing finer."""
    if scope.kind not in (REGION, SUBREGION):
        return None
    subregions = (
        Region.objects.filter(parent=scope.obj)
        if scope.kind == REGION
        else Region.objects.filter(pk=scope.obj.pk)
    )
    in_period = Q(cooperation_feedback__period=period.label)
    aggregates = {"n": Count("cooperation_feedback", filter=in_period)}
    for question in ("cooperation", "route_clear"):
        for answer in Answer:
            aggregates[f"{question}_{answer.value}"] = Count(
                "cooperation_feedback",
                filter=in_period & Q(**{f"cooperation_feedback__{question}": answer.value}),
            )
    rows = []
    # One query: every subregion of the scope with its counts, zeros included.
    for region in subregions.annotate(**aggregates).order_by("name", "pk"):
        counts = {key: getattr(region, key) for key in aggregates}
        n = counts["n"]
        rows.append(
            [
                region.name,
                primary("n", "", n).display,
                *_feedback_cells(counts, n, "cooperation"),
                *_feedback_cells(counts, n, "route_clear"),
            ]
        )
    answers = [str(a.label) for a in Answer]
    headers = [
        _("Subregion"),
        _("Answers"),
        *[_("Cooperation worked: %(answer)s") % {"answer": a} for a in answers],
        *[_("Route clear: %(answer)s") % {"answer": a} for a in answers],
    ]
    table = Table(
        key="cooperation_by_subregion",
        caption=_("Cooperation check by subregion"),
        headers=headers,
        rows=rows,
        note=_("Below 5 answers in a subregion only “<5” is shown, and its answers are hidden (x)."),
    )
    return Section(
        key="cooperation",
        title=_("Cooperation check"),
        intro=_(
            "After a referral ended, the IB-er and the district-team worker were asked: "
            "“Did the cooperation work?” and “Was the route clear?” Counted in the half-year "
            "the referral ended, anonymously."
        ),
        tables=[table],
    )


# --- The 18-/18+ transition (ADR 0153) ------------------------------------------------------
def _amsterdam_day(moment):
    return moment.astimezone(AMSTERDAM).date() if moment is not None else None


def _open_on(row, day):
    """The referral was open on `day`: first submitted on or before it, and not closed,
    declined, lapsed or withdrawn before it."""
    submitted = _amsterdam_day(row["first_submitted_at"])
    if submitted is None or submitted > day:
        return False
    ends = [row["closed_at"], row["ended_at"]]
    if row["status"] == Status.DECLINED:
        ends.append(row["decided_at"])
    return all(end is None or _amsterdam_day(end) >= day for end in ends)


def _adult_bounds(period):
    """(after, up to): born after `after` and on or before `up_to`, a pupil turns 18 in the
    period: 18 on its last day, and not yet on the day before its first."""
    return (
        transition_rules.latest_birth_for_adult_on(period.first_day - datetime.timedelta(days=1)),
        transition_rules.latest_birth_for_adult_on(period.last_day),
    )


def transitions_by_period(periods, scope):
    """{period: (turned 18, prepared in time)} for consecutive `periods`: the pupils who turned
    18 in the period while their referral was open, and those of them whose transition was
    marked prepared before the birthday. One query; its rows are the referrals of pupils with
    an 18th birthday in the half-years (the birthday rule of referrals/transition.py, which
    SQLite and PostgreSQL do not share for 29 February), so the work does not grow with all
    referrals."""
    bounds = {period: _adult_bounds(period) for period in periods}
    rows = (
        Referral.objects.filter(
            scope.referral_q(),
            first_submitted_at__isnull=False,
            child_date_of_birth__gt=min(after for after, _up_to in bounds.values()),
            child_date_of_birth__lte=max(up_to for _after, up_to in bounds.values()),
        )
        .order_by()
        .values(
            "child_date_of_birth",
            "first_submitted_at",
            "closed_at",
            "ended_at",
            "decided_at",
            "status",
            "transition__prepared_on",
        )
    )
    counts = dict.fromkeys(periods, (0, 0))
    for row in rows:
        born = row["child_date_of_birth"]
        period = next((p for p, (after, up_to) in bounds.items() if after < born <= up_to), None)
        birthday = transition_rules.eighteenth_birthday(born)
        if period is None or not _open_on(row, birthday):
            continue
        done = row["transition__prepared_on"]
        turned, prepared = counts[period]
        counts[period] = (turned + 1, prepared + (done is not None and done < birthday))
    return counts


def transition_counts(period, scope):
    """(turned 18, prepared in time) of one period (transitions_by_period)."""
    return transitions_by_period([period], scope)[period]


def _transition_cells(turned, prepared):
    """([prepared in time, not prepared in time], total): suppressed as one group, so the
    comparison's "prepared in time" (the first cell) hides what the table hides."""
    return suppress_group(
        [
            ("prepared", _("prepared in time (before the 18th birthday)"), prepared),
            ("not_prepared", _("not prepared in time"), turned - prepared),
        ],
        total=turned,
    )


def _transition_section(transition_cells):
    cells, total_cell = transition_cells
    return Section(
        key="transition",
        title=_("Transition to 18+"),
        intro=_(
            "Pupils who turned 18 in the period while their referral was open, and whether the "
            "transition to adult services was marked prepared before the 18th birthday."
        ),
        tables=[
            _count_table(
                "transition_prepared",
                _("Pupils who turned 18 with an open referral"),
                _("Transition"),
                cells,
                total_cell,
                chart=False,
            )
        ],
    )


def _subject_section(by_kind):
    """Requests of the half-year by whom they are about (ADR 0154), from {subject kind:
    referrals}, suppressed below 5 as a group."""
    labels = {
        SubjectKind.CHILD: _("About a pupil"),
        SubjectKind.GROUP: _("About a group"),
        SubjectKind.SCHOOL_WIDE: _("About the whole school"),
    }
    rows = _grouped(by_kind, labels, order=SubjectKind.values)
    cells, total_cell = suppress_group(rows, total=sum(n for _key, _label, n in rows))
    return Section(
        key="subjects",
        title=_("Whom the questions are about"),
        intro=_("Referrals first submitted in the period: about one pupil, a group or the whole school."),
        tables=[
            _count_table(
                "subject_kinds",
                _("Questions about a pupil, a group or the whole school"),
                _("About"),
                cells,
                total_cell,
                chart=False,
            )
        ],
    )


def _network_section(period, scope):
    on = period.measured_on
    counts = coverage_counts(
        School.objects.filter(scope.school_q()), Municipality.objects.filter(scope.municipality_q()), on
    )
    rows_data = [
        (
            _("(v)so schools with a fixed contact person"),
            counts.special_schools_with_contact,
            counts.special_schools,
        ),
        (
            _("Municipalities with a fixed contact person"),
            counts.municipalities_with_contact,
            counts.municipalities,
        ),
        (_("Schools with a tandem"), counts.schools_with_tandem, counts.schools),
    ]
    rows = [
        [label, fmt_count(part), fmt_count(whole), fmt_percent(part, whole)]
        for label, part, whole in rows_data
    ]
    bars = [
        Bar(label, round(100 * part / whole) if whole else None, fmt_percent(part, whole))
        for label, part, whole in rows_data
    ]
    return Section(
        key="network",
        title=_("Network coverage"),
        intro=_("Fixed contact persons and tandems on %(date)s.")
        % {"date": date_format(on, "SHORT_DATE_FORMAT")},
        tables=[
            Table(
                key="coverage",
                caption=_("Coverage of fixed contact persons and tandems"),
                headers=[_("Measure"), _("Covered"), _("Of"), _("Share")],
                rows=rows,
                chart=Chart(_("Coverage in percent"), bars, unit="%", maximum=100),
            )
        ],
    )


def _agenda_figures(period, scope):
    """The work-agenda section: each goal's target, actual value and latest status, and the
    meetings held."""

    section = Section(key="agenda", title=_("Work agenda"))

    region = scope.region
    latest = ProgressUpdate.objects.filter(activity__goal=OuterRef("pk"), date__lte=period.last_day).order_by(
        "-date", "-id"
    )
    goals = (
        Goal.objects.filter(ambition__agenda__region=region)
        .select_related("ambition")
        .annotate(latest_status=Subquery(latest.values("status")[:1]))
        .order_by("ambition__number", "number")
    )
    status_labels = dict(ProgressUpdate._meta.get_field("status").choices)
    agenda_scope = indicators.Scope(period.first_day, period.last_day, region)
    rows = []
    for goal in goals:  # goals of one agenda: a few dozen rows, not referrals
        actual = "—"
        if goal.indicator:
            measurement = indicators.measure(goal.indicator, agenda_scope)
            if measurement.suppressed:
                actual = measurement.display  # fewer than 5 referrals (ADR 0070, 0099)
            elif measurement.available and measurement.value is not None:
                value = measurement.value
                actual = number_format(
                    round(value, 1) if isinstance(value, float) else value, force_grouping=True
                )
                if measurement.total is not None:
                    actual = _("%(value)s of %(total)s") % {"value": actual, "total": measurement.total}
        target = "—"
        if goal.target_value is not None:
            value = number_format(goal.target_value.normalize(), force_grouping=True)
            target = f"{value} {goal.target_unit}".strip()
        rows.append([goal.code, goal.text, target, actual, str(status_labels.get(goal.latest_status, "—"))])
    meetings = (
        Meeting.objects.filter(
            region=region, date__gte=period.first_day, date__lte=min(period.last_day, timezone.localdate())
        )
        .values("meeting_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    type_labels = dict(Meeting._meta.get_field("meeting_type").choices)
    meeting_rows = [
        (str(m["meeting_type"]), str(type_labels.get(m["meeting_type"], m["meeting_type"])), m["n"])
        for m in meetings
    ]
    section.tables = [
        Table(
            key="agenda_goals",
            caption=_("Goals of the work agenda"),
            headers=[_("Goal"), _("Description"), _("Target"), _("Actual"), _("Latest status")],
            rows=rows,
        ),
        Table(
            key="meetings",
            caption=_("Meetings held"),
            headers=[_("Type"), _("Number")],
            rows=[[label, fmt_count(n)] for _k, label, n in meeting_rows],
            footer=[_("Total"), fmt_count(sum(n for _k, _l, n in meeting_rows))],
            chart=Chart(_("Meetings held"), [Bar(label, n, fmt_count(n)) for _k, label, n in meeting_rows]),
        ),
    ]
    return section


# --- This half-year against the previous one (ADR 0146) ------------------------------------------
CHANGES_SHOWN = 3


# The key figure and its comparison row share the label (the comparison's "this half-year" is
# the key figure's own value).
def transitions_prepared_label():
    return _("Transitions to 18+ prepared in time")


def fmt_difference(difference, decimals=0):
    """+8, −3 (a real minus sign), 0; a whole number or days with one decimal."""
    if decimals:
        difference = round(difference, decimals)
    shown = number_format(abs(difference), decimal_pos=decimals, force_grouping=True)
    if difference > 0:
        return f"+{shown}"
    if difference < 0:
        return f"\u2212{shown}"
    return shown


def _count_difference(current, previous):
    """The difference of two cells, or "—" when either is hidden (it would give the number back)."""
    if current.hidden or previous.hidden:
        return "—"
    return fmt_difference(current.value - previous.value)


def _median(stats):
    """The median of (n, median, p90), or None when it is not shown (fewer than 5 measured)."""
    n, median, _p90 = stats
    return median if n >= THRESHOLD and median is not None else None


def comparison_table(current, previous, period, previous_period):
    """The key figures of this half-year, the previous one's and the difference."""
    rows = []
    for label, now, before in (
        (_("Referrals this half-year"), current.submitted, previous.submitted),
        (_("Accepted by the district team"), current.accepted, previous.accepted),
        (_("Joint deployments of education and youth care"), current.joint, previous.joint),
    ):
        rows.append([label, now.display, before.display, _count_difference(now, before)])
    now_days, before_days = _median(current.decision), _median(previous.decision)
    rows.append(
        [
            _("Median waiting time to a decision (working days)"),
            fmt_days(now_days),
            fmt_days(before_days),
            fmt_difference(now_days - before_days, 1) if None not in (now_days, before_days) else "—",
        ]
    )
    rows.append(
        [
            _("Escalations raised"),
            current.escalations.display,
            previous.escalations.display,
            _count_difference(current.escalations, previous.escalations),
        ]
    )
    rows.append(
        [
            transitions_prepared_label(),
            current.transition_prepared.display,
            previous.transition_prepared.display,
            _count_difference(current.transition_prepared, previous.transition_prepared),
        ]
    )
    return Table(
        key="comparison",
        caption=_("This half-year against the previous one"),
        headers=[
            _("Figure"),
            _("This half-year (%(period)s)") % {"period": period.label},
            _("Previous half-year (%(period)s)") % {"period": previous_period.label},
            _("Difference"),
        ],
        rows=rows,
        note=_(
            "“—”: no difference is given where a figure of either half-year is hidden (“<5”, “x”) "
            "or was measured over fewer than 5 referrals."
        ),
    )


@dataclass
class Change:
    subject: str  # "the number of referrals in the domain behaviour", translated
    value: int
    previous: int

    @property
    def difference(self):
        return self.value - self.previous

    def sentence(self):
        values = {
            "subject": self.subject,
            "previous": fmt_count(self.previous),
            "value": fmt_count(self.value),
        }
        if self.difference > 0:
            text = _("%(subject)s rose from %(previous)s to %(value)s.") % values
        else:
            text = _("%(subject)s fell from %(previous)s to %(value)s.") % values
        return text[:1].upper() + text[1:]


def _candidates(current, previous):
    """[(subject, current cell, previous cell)] in a fixed order: the order breaks ties."""
    yield _("the number of referrals"), current.submitted, previous.submitted
    yield _("the number of referrals accepted by the district team"), current.accepted, previous.accepted
    yield (
        _("the number of joint deployments of education and youth care"),
        current.joint,
        previous.joint,
    )
    yield _("the number of escalations raised"), current.escalations, previous.escalations
    yield (
        _("the number of transitions to 18+ prepared in time"),
        current.transition_prepared,
        previous.transition_prepared,
    )
    before_domain = {cell.key: cell for cell in previous.domains}
    for now in current.domains:
        if now.key in before_domain:
            subject = _("the number of referrals in the domain %(domain)s") % {"domain": now.label}
            yield subject, now, before_domain[now.key]
    before_type = {cell.key: cell for cell in previous.school_types}
    for now in current.school_types:
        if now.key in before_type:
            subject = _("the number of referrals from schools of the type %(type)s") % {"type": now.label}
            yield subject, now, before_type[now.key]


def largest_changes(current, previous, limit=CHANGES_SHOWN):
    """The counts that changed most, by absolute change; only counts shown on both sides and
    of at least 5 on both sides are described; ties keep the order of `_candidates`."""
    changes = []
    for subject, now, before in _candidates(current, previous):
        if now.hidden or before.hidden or now.value < THRESHOLD or before.value < THRESHOLD:
            continue
        if now.value != before.value:
            changes.append(Change(subject, now.value, before.value))
    # sorted() is stable: equal absolute changes stay in the candidates' order.
    return sorted(changes, key=lambda change: -abs(change.difference))[:limit]


# --- The one entry point ------------------------------------------------------------------------
def compute_figures(period, scope):
    """All figures for `period` (a Period or "2026-H1") and `scope` (reporting.scopes.Scope)."""
    if not isinstance(period, Period):
        period = Period.parse(period)
    previous_period = period.previous()
    # One pass over both half-years per kind of count (ADR 0167).
    counts, previous_counts = cohort_counts(period, scope)
    domains, previous_domains = domain_counts(period, scope)
    holidays = holiday_days()
    waiting, previous_waiting = waiting_times_of_both(period, scope, holidays)
    escalations, previous_escalations = escalation_counts(period, scope)
    transitions = transitions_by_period([previous_period, period], scope)

    referral_sections, key_figures, comparable = _referral_sections(period, scope, counts, domains, waiting)
    escalation_section, escalation_total = _escalation_section(period, scope, escalations, holidays)
    key_figures.append(
        KeyFigure(
            _("Escalations raised"),
            escalation_total.display,
            _("Referrals taken to the deciders (doorzettingsmacht) in this half-year."),
        )
    )
    transition_cells = _transition_cells(*transitions[period])
    prepared_cell = transition_cells[0][0]
    key_figures.append(
        KeyFigure(
            transitions_prepared_label(),
            prepared_cell.display,
            _(
                "Pupils who turned 18 in this half-year with an open referral and whose transition "
                "to adult services was marked prepared before the birthday."
            ),
        )
    )
    current = Comparable(escalations=escalation_total, transition_prepared=prepared_cell, **comparable)
    previous = _previous_comparable(
        previous_counts,
        previous_domains,
        previous_waiting[0],
        previous_escalations,
        _transition_cells(*transitions[previous_period]),
    )
    sections = [
        *referral_sections,
        escalation_section,
        _closed_section(period, scope),
        _cooperation_section(period, scope),
        _transition_section(transition_cells),
        _subject_section(counts.subject_kinds),
        _network_section(period, scope),
        _agenda_figures(period, scope),
    ]
    sections = [section for section in sections if section is not None]
    return Figures(
        period=period,
        scope=scope,
        generated_at=timezone.now(),
        key_figures=key_figures,
        sections=sections,
        previous_period=previous_period,
        comparison=comparison_table(current, previous, period, previous_period),
        changes=[change.sentence() for change in largest_changes(current, previous)],
    )


__all__ = [
    "Bar",
    "Cell",
    "Change",
    "Chart",
    "Comparable",
    "Figures",
    "KeyFigure",
    "Section",
    "Table",
    "compute_figures",
    "largest_changes",
]
