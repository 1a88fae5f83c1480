"""The half-year figures in few passes (ADR 0167) against their definitions, over randomised data.

compute_figures counts both half-years in one pass per kind of count and counts the working days
in Python from dates grouped in SQL. Their definitions: SQL's WorkingDays with percentile_cont
(portal/workdays.py, `day_count_stats`) for the waiting times, and each half-year's figures
computed on their own for the previous half-year set against this one (ADR 0146)."""

import datetime
import random

import pytest
from django.db.models import Count, Q
from django.utils import translation

from contacts.models import SchoolType
from escalations.models import CarriedBy, Decision, Escalation, EscalationReason
from portal.workdays import WorkingDays, day_count_stats, local_date
from referrals.models import Domain, ReferralDomain, Status, SubjectKind, Transition
from reporting.figures import (
    _cohort,
    cohort_counts,
    compute_figures,
    day_stats,
    domain_counts,
    escalation_counts,
    holiday_days,
    transition_counts,
    transitions_by_period,
    waiting_times,
    waiting_times_of_both,
)
from reporting.periods import AMSTERDAM, Period
from reporting.scopes import Scope
from tests.contacts.factories import SchoolFactory
from tests.reporting.factories import add_domains, add_return, referral

pytestmark = pytest.mark.django_db

PERIOD = Period(2026, 1)
# Both half-years, a month either side, over Christmas, Easter, King's Day, 5 May, Ascension and
# Whit Monday 2026.
FIRST, LAST = datetime.date(2025, 6, 1), datetime.date(2026, 7, 31)


def _moment(rng, day):
    """A moment on `day` in Amsterdam, now and then late in the evening (another date in UTC)."""
    hour, minute = rng.choice([(0, 5), (9, 0), (13, 30), (23, 30)])
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=AMSTERDAM)


def _later(rng, moment):
    """None, or a moment some days after `moment` (now and then before it: a correction)."""
    if rng.random() < 0.25:
        return None
    days = rng.choice([0, 0, 1, 2, 3, 5, 8, 13, 21, 34, -1, -3])
    return _moment(rng, moment.astimezone(AMSTERDAM).date() + datetime.timedelta(days=days))


def _random_referrals(world, rng, n=80):
    actor = world.users["district_worker"]
    schools = [
        world.school,
        world.other_school,
        SchoolFactory(
            brin="93VS",
            school_type=SchoolType.VSO,
            partnership=world.partnership,
            municipality=world.municipality,
        ),
    ]
    statuses = [
        Status.SUBMITTED,
        Status.ACCEPTED,
        Status.DECLINED,
        Status.WITHDRAWN,
        Status.LAPSED,
        Status.CLOSED,
    ]
    refs = []
    for _i in range(n):
        submitted = _moment(rng, FIRST + datetime.timedelta(days=rng.randrange((LAST - FIRST).days)))
        decided = _later(rng, submitted)
        kind = rng.choice([SubjectKind.CHILD, SubjectKind.CHILD, SubjectKind.GROUP])
        child = {"child_date_of_birth": datetime.date(2008, rng.randrange(1, 13), rng.randrange(1, 29))}
        if kind != SubjectKind.CHILD:
            child = {
                "child_date_of_birth": None,
                "child_first_name": "",
                "child_last_name": "",
                "child_group": "",
                "home_municipality": None,
                "group_name": "groep 7",
            }
        ref = referral(
            rng.choice(schools),
            submitted=submitted,
            decided=decided,
            help_started=_later(rng, decided) if decided else None,
            status=rng.choice(statuses),
            joint_deployment=rng.random() < 0.3,
            subject_kind=kind,
            **child,
        )
        add_domains(ref, *rng.sample(Domain.values, rng.randrange(1, 3)))
        if rng.random() < 0.2:
            add_return(ref, actor)
        if kind == SubjectKind.CHILD and rng.random() < 0.3:
            Transition.objects.create(referral=ref, prepared_on=datetime.date(2026, rng.randrange(1, 7), 1))
        if rng.random() < 0.2:
            raised = _moment(
                rng, submitted.astimezone(AMSTERDAM).date() + datetime.timedelta(days=rng.randrange(40))
            )
            esc = Escalation.objects.create(
                referral=ref,
                reason=rng.choice(EscalationReason.values),
                raised_side="school",
                partnership=world.partnership,
                municipality=world.municipality,
            )
            decided_at = _later(rng, raised)
            Escalation.objects.filter(pk=esc.pk).update(raised_at=raised, decided_at=decided_at)
            if decided_at is not None:
                Escalation.objects.filter(pk=esc.pk).update(state="decided")
                Decision.objects.create(
                    escalation=esc,
                    decided_by=world.users["partnership_director"],
                    help="hulp",
                    carried_by=rng.choice(CarriedBy.values),
                    rationale="samen",
                    carry_out_by=datetime.date(2026, 9, 1),
                )
        refs.append(ref)
    return refs


def _sql_waiting_times(cohort):
    """The definition: WorkingDays in SQL and percentile_cont (day_count_stats)."""
    timed = cohort.annotate(
        decision_days=WorkingDays(local_date("first_submitted_at"), local_date("decided_at")),
        help_days=WorkingDays(local_date("first_submitted_at"), local_date("help_started_at")),
    )
    return tuple(day_count_stats(timed, "decision_days", "help_days"))


def _sql_escalation_days(period, scope):
    raised = Escalation.objects.filter(
        scope.escalation_q(), raised_at__gte=period.start, raised_at__lt=period.end
    ).annotate(days=WorkingDays(local_date("raised_at"), local_date("decided_at")))
    return day_count_stats(raised, "days")[0]


def _scopes(world):
    return [
        Scope.for_region(world.region),
        Scope.for_region(world.subregion),
        Scope.for_partnership(world.partnership),
        Scope.for_municipality(world.municipality),
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_waiting_times_equal_working_days_counted_in_sql(world, seed):
    _random_referrals(world, random.Random(seed))
    for scope in _scopes(world):
        now, before = waiting_times_of_both(PERIOD, scope, holiday_days())
        assert now == _sql_waiting_times(_cohort(PERIOD, scope)), scope.key
        assert before == _sql_waiting_times(_cohort(PERIOD.previous(), scope)), scope.key
        assert waiting_times(_cohort(PERIOD, scope)) == now
        escalations_now, escalations_before = escalation_counts(PERIOD, scope)
        assert day_stats(escalations_now.days, holiday_days()) == _sql_escalation_days(PERIOD, scope)
        assert day_stats(escalations_before.days, holiday_days()) == _sql_escalation_days(
            PERIOD.previous(), scope
        )


def _separately(period, scope):
    """The counts of one half-year, one query each (how they were counted before ADR 0167)."""
    cohort = _cohort(period, scope)
    accepted = Q(decided_at__isnull=False) & ~Q(status=Status.DECLINED)
    totals = cohort.aggregate(
        submitted=Count("id"),
        accepted=Count("id", filter=accepted),
        declined=Count("id", filter=Q(status=Status.DECLINED)),
        ended=Count("id", filter=Q(decided_at__isnull=True, status__in=[Status.WITHDRAWN, Status.LAPSED])),
        joint=Count("id", filter=accepted & Q(joint_deployment=True)),
        arrangement=Count("id", filter=accepted & Q(collective_arrangement__isnull=False)),
    )

    def grouped(queryset, field):
        return {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("id")).order_by()}

    domains = grouped(ReferralDomain.objects.filter(referral__in=cohort.values("id")), "domain")
    escalations = Escalation.objects.filter(
        scope.escalation_q(), raised_at__gte=period.start, raised_at__lt=period.end
    )
    return {
        "totals": totals,
        "returned": cohort.filter(events__action="return").distinct().count(),
        "school_types": grouped(cohort, "school__school_type"),
        "subject_kinds": grouped(cohort, "subject_kind"),
        "home_municipalities": grouped(cohort, "home_municipality__name"),
        "domains": domains,
        "escalations": escalations.count(),
        "escalation_reasons": grouped(escalations, "reason"),
        "escalation_outcomes": grouped(escalations, "decision__carried_by"),
    }


@pytest.mark.parametrize("seed", [4, 5])
def test_both_half_years_in_one_pass_equal_each_counted_on_its_own(world, seed):
    _random_referrals(world, random.Random(seed))
    for scope in _scopes(world):
        now, before = cohort_counts(PERIOD, scope)
        domains_now, domains_before = domain_counts(PERIOD, scope)
        escalations_now, escalations_before = escalation_counts(PERIOD, scope)
        for period, counts, domains, escalations in (
            (PERIOD, now, domains_now, escalations_now),
            (PERIOD.previous(), before, domains_before, escalations_before),
        ):
            alone = _separately(period, scope)
            assert {k: v for k, v in counts.totals.items() if k != "returned"} == alone["totals"]
            assert counts.school_types == alone["school_types"]
            assert counts.subject_kinds == alone["subject_kinds"]
            assert counts.home_municipalities == alone["home_municipalities"]
            assert domains == alone["domains"]
            assert escalations.total == alone["escalations"]
            assert escalations.reasons == alone["escalation_reasons"]
            assert escalations.outcomes == alone["escalation_outcomes"]
        assert now.totals["returned"] == _separately(PERIOD, scope)["returned"]
        both = transitions_by_period([PERIOD.previous(), PERIOD], scope)
        assert both == {p: transition_counts(p, scope) for p in (PERIOD.previous(), PERIOD)}


def test_the_previous_half_year_in_the_comparison_is_its_own_figures(world):
    _random_referrals(world, random.Random(6), n=160)
    scope = Scope.for_region(world.region)
    with translation.override("nl"):
        figures = compute_figures(PERIOD, scope)
        previous = compute_figures(PERIOD.previous(), scope)
    # The comparison's "previous half-year" column is the previous half-year's "this half-year".
    assert [row[2] for row in figures.comparison.rows] == [row[1] for row in previous.comparison.rows]
