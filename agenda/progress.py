"""Reading the agenda: goals with target vs actual and latest status, activities with their
latest update — in a fixed number of queries, whatever the number of rows."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda import indicators
from agenda.models import (
    OPEN_ACTIVITY_STATUSES,
    Activity,
    Agenda,
    Ambition,
    Goal,
    ProgressUpdate,
    UpdateStatus,
)
from contacts.permissions import region_q
from portal.home import WorkItem


def latest_update_annotations():
    """The status and date of each activity's latest progress update (what the activity tables
    show), each a subquery."""
    latest = ProgressUpdate.objects.filter(activity=OuterRef("pk")).order_by("-date", "-id")
    return {
        "latest_status": Subquery(latest.values("status")[:1]),
        "latest_date": Subquery(latest.values("date")[:1]),
    }


OWNERS = ("owner_partnership", "owner_municipality", "owner_region", "owner_person")


def activities_queryset(*, with_ambition=True):
    """Activities with their owners and latest update, in the agenda's order. with_ambition=False:
    for a caller that gives each activity its ambition itself (the agenda's overview fetches
    them per ambition), without the joins of the ambition, its agenda and the goal."""
    if not with_ambition:
        return (
            Activity.objects.select_related(*OWNERS)
            .annotate(**latest_update_annotations())
            .order_by("number")
        )
    return (
        Activity.objects.select_related("ambition__agenda", "goal", *OWNERS)
        .annotate(**latest_update_annotations())
        .order_by("ambition__number", "number")
    )


@dataclass
class GoalProgress:
    goal: Goal
    indicator: object  # indicators.Indicator or None
    measurement: object  # indicators.Measurement or None
    target: object  # Decimal/int or None
    latest_status: str | None
    latest_date: object

    @property
    def actual(self):
        return self.measurement.value if self.measurement else None

    @property
    def available(self):
        return bool(self.measurement and self.measurement.available)

    @property
    def met(self):
        if self.target is None or not self.available or self.actual is None:
            return None
        if self.indicator.higher_is_better:
            return Decimal(str(self.actual)) >= Decimal(str(self.target))
        return Decimal(str(self.actual)) <= Decimal(str(self.target))

    @property
    def latest_status_label(self):
        return UpdateStatus(self.latest_status).label if self.latest_status else ""


def display_number(value):
    """2.00 → 2, 2.50 → 2,5 (as the template localises)."""
    if value is None:
        return None
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def goal_progress(goal, activities, scope):
    indicator = indicators.INDICATORS.get(goal.indicator) if goal.indicator else None
    measurement = indicator.measure(scope) if indicator else None
    target = display_number(goal.target_value)
    if target is None and measurement is not None and measurement.total is not None:
        target = measurement.total  # "every (v)so school and municipality"
    dated = [a for a in activities if a.latest_status]
    latest = max(dated, key=lambda a: a.latest_date, default=None)
    return GoalProgress(
        goal=goal,
        indicator=indicator,
        measurement=measurement,
        target=target,
        latest_status=latest.latest_status if latest else None,
        latest_date=latest.latest_date if latest else None,
    )


def current_scope(agenda, on=None):
    on = on or timezone.localdate()
    return indicators.Scope.calendar_year(on.year, agenda.region)


def agenda_overview(agenda, scope=None, at_risk=False):
    """[(ambition, [GoalProgress], [activity])] for the agenda page. With `at_risk`, only the
    goals at risk (goal_at_risk_q) and their activities, and only the ambitions that have one."""
    scope = scope or current_scope(agenda)
    risky = set(Goal.objects.filter(goal_at_risk_q(), ambition__agenda=agenda).values_list("pk", flat=True))
    ambitions = list(
        Ambition.objects.filter(agenda=agenda)
        .order_by("number")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("number")),
            Prefetch("activities", queryset=activities_queryset(with_ambition=False)),
        )
    )
    overview = []
    for ambition in ambitions:
        activities = list(ambition.activities.all())
        for activity in activities:
            activity.ambition = ambition
        goals = []
        for goal in ambition.goals.all():
            if at_risk and goal.pk not in risky:
                continue
            goal.ambition = ambition
            goal.at_risk = goal.pk in risky
            goals.append(goal_progress(goal, [a for a in activities if a.goal_id == goal.pk], scope))
        if at_risk:
            if not goals:
                continue
            activities = [a for a in activities if a.goal_id in risky]
        overview.append((ambition, goals, activities))
    return overview


# --- Goals at risk (ADR 0140) -----------------------------------------------------------------

# A progress update with one of these statuses puts the activity's goal at risk.
RISK_UPDATE_STATUSES = (UpdateStatus.AT_RISK, UpdateStatus.OFF_TRACK)


def at_risk_activities(on=None):
    """Open activities (planned or in progress) that are past their due date ("past its due
    date" on every list) or whose latest progress update says at risk or off track."""
    on = on or timezone.localdate()
    return (
        Activity.objects.filter(status__in=OPEN_ACTIVITY_STATUSES)
        .annotate(latest_status=latest_update_annotations()["latest_status"])
        .filter(Q(due_date__lt=on) | Q(latest_status__in=RISK_UPDATE_STATUSES))
    )


def goal_at_risk_q(on=None):
    """Q on Goal: a goal is at risk when at least one of its activities is at risk (above).
    The home page's count and the agenda page's filter `?risico=1` both use this."""
    return Q(Exists(at_risk_activities(on).filter(goal=OuterRef("pk"))))


def steering_worklist(membership):
    """The steering group's home (ADR 0140): per work agenda of the region, the goals at risk,
    linking to the agenda page filtered to exactly those. One query."""
    region = membership.region
    top = region.parent_id or region.pk
    at_risk_goals = (
        Goal.objects.filter(goal_at_risk_q(), ambition__agenda=OuterRef("pk"))
        .order_by()
        .values("ambition__agenda")
        .annotate(n=Count("pk"))
        .values("n")
    )
    agendas = (
        Agenda.objects.filter(region_q("region", {top}))
        .annotate(at_risk=Coalesce(Subquery(at_risk_goals, output_field=IntegerField()), 0))
        .order_by("-period_start", "title")
    )
    return [
        WorkItem(
            _("goals at risk"),
            agenda.at_risk,
            reverse("agenda:detail", args=[agenda.slug]) + "?risico=1",
            agenda.title,
        )
        for agenda in agendas
    ]
