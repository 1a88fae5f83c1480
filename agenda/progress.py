"""Reading the agenda: goals with target vs actual and latest status, activities with their
latest update — in a fixed number of queries, whatever the number of rows."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from agenda import indicators
from agenda.models import Activity, Ambition, Goal, ProgressUpdate, UpdateStatus


def latest_update_annotations():
    latest = ProgressUpdate.objects.filter(activity=OuterRef("pk")).order_by("-date", "-id")
    return {
        "latest_status": Subquery(latest.values("status")[:1]),
        "latest_date": Subquery(latest.values("date")[:1]),
        "latest_note": Subquery(latest.values("note")[:1]),
    }


def activities_queryset():
    return (
        Activity.objects.select_related(
            "ambition__agenda",
            "goal",
            "owner_partnership",
            "owner_municipality",
            "owner_region",
            "owner_person",
        )
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


def agenda_overview(agenda, scope=None):
    """[(ambition, [GoalProgress], [activity])] for the agenda page."""
    scope = scope or current_scope(agenda)
    ambitions = list(
        Ambition.objects.filter(agenda=agenda)
        .order_by("number")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("number")),
            Prefetch("activities", queryset=activities_queryset()),
        )
    )
    overview = []
    for ambition in ambitions:
        activities = list(ambition.activities.all())
        for activity in activities:
            activity.ambition = ambition
        goals = []
        for goal in ambition.goals.all():
            goal.ambition = ambition
            goals.append(goal_progress(goal, [a for a in activities if a.goal_id == goal.pk], scope))
        overview.append((ambition, goals, activities))
    return overview
