"""Views of the work agenda. Thin: permissions in agenda/permissions.py, actions in
agenda/services.py, reading in agenda/progress.py."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agenda import indicators, permissions, progress, selectors, services
from agenda.forms import ActivityForm, GoalForm, MeetingForm, OwnerActivityForm, ProgressUpdateForm
from agenda.models import Activity, Agenda, Goal, Meeting, MeetingType, ProgressUpdate
from contacts.permissions import (
    home_region_ids,
    member_required,
    municipality_ids,
    partnership_ids,
    region_q,
)

MEETING_INDICATORS = {
    MeetingType.PRACTITIONER: "practitioner_meetings",
    MeetingType.INSPIRATION: "inspiration_sessions",
}


def _own(user, path="region"):
    """Only the agendas (and their activities and meetings) of the user's region (ADR 0123)."""
    return region_q(path, home_region_ids(user))


def _agenda(request, slug):
    return get_object_or_404(Agenda.objects.filter(_own(request.user)).select_related("region"), slug=slug)


def _activity(request, pk):
    return get_object_or_404(
        progress.activities_queryset().filter(_own(request.user, "ambition__agenda__region")), pk=pk
    )


@member_required
def index(request):
    agendas = (
        Agenda.objects.filter(_own(request.user))
        .select_related("region")
        .annotate(
            ambition_count=Count("ambitions", distinct=True),
            activity_count=Count("ambitions__activities", distinct=True),
        )
    )
    return render(request, "agenda/index.html", {"agendas": agendas})


@member_required
def detail(request, slug):
    agenda = _agenda(request, slug)
    scope = progress.current_scope(agenda)
    at_risk = request.GET.get("risico") == "1"
    overview = progress.agenda_overview(agenda, scope, at_risk=at_risk)
    return render(
        request,
        "agenda/detail.html",
        {
            "agenda": agenda,
            "overview": overview,
            "at_risk": at_risk,
            "at_risk_count": sum(len(goals) for _ambition, goals, _activities in overview)
            if at_risk
            else None,
            "scope": scope,
            "can_edit": permissions.can_edit_agenda(request.user, agenda),
            "can_add_meeting": permissions.can_add_meeting(request.user, agenda),
        },
    )


# --- Quadrant -------------------------------------------------------------------------------

PLOT = {"left": 90, "top": 20, "size": 400}
CELL = PLOT["size"] / 5
OFFSETS = [(0, 0), (-22, -14), (22, -14), (-22, 14), (22, 14), (0, -26), (0, 26), (-26, 0), (26, 0)]


def _level(score):
    return "high" if score >= 4 else "low" if score <= 2 else "medium"


IMPACT_LEVELS = {
    "high": gettext_lazy("high impact"),
    "medium": gettext_lazy("medium impact"),
    "low": gettext_lazy("low impact"),
}
VALUE_LEVELS = {
    "high": gettext_lazy("high supra-regional added value"),
    "medium": gettext_lazy("medium supra-regional added value"),
    "low": gettext_lazy("low supra-regional added value"),
}


def _quadrant_name(activity):
    """Scores 4–5 are high, 1–2 low, and 3 lies on the dividing line (medium)."""
    return _("%(impact)s, %(value)s") % {
        "impact": IMPACT_LEVELS[_level(activity.impact)],
        "value": VALUE_LEVELS[_level(activity.added_value)],
    }


def quadrant_points(activities):
    """Positions in the SVG: added value on the x axis, impact on the y axis (1–5)."""
    by_cell = defaultdict(list)
    for activity in activities:
        by_cell[(activity.added_value, activity.impact)].append(activity)
    points = []
    for (value, impact), group in by_cell.items():
        cx = PLOT["left"] + (value - 0.5) * CELL
        cy = PLOT["top"] + (5.5 - impact) * CELL
        for i, activity in enumerate(group):
            dx, dy = OFFSETS[i % len(OFFSETS)]
            points.append({"activity": activity, "x": round(cx + dx, 1), "y": round(cy + dy, 1)})
    return points


@member_required
def quadrant(request, slug):
    agenda = _agenda(request, slug)
    activities = list(progress.activities_queryset().filter(ambition__agenda=agenda))
    scored = [a for a in activities if a.impact and a.added_value]
    for activity in scored:
        activity.quadrant_name = _quadrant_name(activity)
    left, top, size = PLOT["left"], PLOT["top"], PLOT["size"]
    ticks = [{"score": s, "x": left + (s - 0.5) * CELL, "y": top + (5.5 - s) * CELL} for s in range(1, 6)]
    geometry = {
        "left": left,
        "top": top,
        "size": size,
        "right": left + size,
        "bottom": top + size,
        "mid_x": left + size / 2,
        "mid_y": top + size / 2,
        "width": left + size + 20,
        "height": top + size + 70,
        "x_label_y": top + size + 55,
        "tick_label_y": top + size + 22,
        "tick_label_x": left - 12,
        "y_label_x": 24,
        "quarter_left": left + size / 4,
        "quarter_right": left + 3 * size / 4,
        "quarter_top": top + 22,
        "quarter_bottom": top + size - 12,
    }
    return render(
        request,
        "agenda/quadrant.html",
        {
            "agenda": agenda,
            "points": quadrant_points(scored),
            "scored": scored,
            "unscored": [a for a in activities if not (a.impact and a.added_value)],
            "ticks": ticks,
            "g": geometry,
        },
    )


# --- Activities -----------------------------------------------------------------------------


def _activity_context(request, activity, form=None):
    user = request.user
    can_post = permissions.can_post_update(user, activity)
    return {
        "activity": activity,
        "agenda": activity.ambition.agenda,
        "updates": ProgressUpdate.objects.filter(activity=activity).select_related("author"),
        "meetings": activity.meetings.order_by("-date"),
        "form": form if form is not None else (ProgressUpdateForm() if can_post else None),
        "can_post": can_post,
        "can_edit": permissions.can_edit_activity(user, activity),
    }


@member_required
def activity_detail(request, pk):
    activity = _activity(request, pk)
    return render(request, "agenda/activity.html", _activity_context(request, activity))


@member_required
@require_POST
def activity_update(request, pk):
    activity = _activity(request, pk)
    if not permissions.can_post_update(request.user, activity):
        raise PermissionDenied
    form = ProgressUpdateForm(request.POST)
    if not form.is_valid():
        return render(request, "agenda/activity.html", _activity_context(request, activity, form))
    services.post_update(request.user, activity, **form.cleaned_data)
    messages.success(request, _("Your progress update has been saved."))
    return redirect("agenda:activity", pk=activity.pk)


def _activity_form_view(request, agenda, activity, form_class, title):
    kwargs = {"agenda": agenda}
    if request.method == "POST":
        form = form_class(request.POST, instance=activity, **kwargs)
        if form.is_valid():
            try:
                saved = services.save_activity(request.user, agenda, form)
            except IntegrityError:  # a concurrent save took the same number first
                field = "number" if "number" in form.fields else None
                form.add_error(field, _("Another activity of this ambition already has this number."))
            else:
                messages.success(request, _("The activity has been saved."))
                return redirect("agenda:activity", pk=saved.pk)
    else:
        form = form_class(instance=activity, **kwargs)
    return render(
        request,
        "agenda/activity_form.html",
        {"form": form, "agenda": agenda, "activity": activity, "title": title},
    )


@member_required
def activity_create(request, slug):
    agenda = _agenda(request, slug)
    if not permissions.can_add_activity(request.user, agenda):
        raise PermissionDenied
    return _activity_form_view(request, agenda, Activity(), ActivityForm, _("New activity"))


@member_required
def activity_edit(request, pk):
    activity = _activity(request, pk)
    agenda = activity.ambition.agenda
    if permissions.can_edit_agenda(request.user, agenda):
        form_class = ActivityForm
    elif permissions.owns_activity(request.user, activity):
        form_class = OwnerActivityForm
    else:
        raise PermissionDenied
    return _activity_form_view(
        request, agenda, activity, form_class, _("Edit activity %(code)s") % {"code": activity.code}
    )


@member_required
def my_activities(request):
    user = request.user
    mine = Q(owner_partnership__in=partnership_ids(user)) | Q(owner_municipality__in=municipality_ids(user))
    mine |= Q(owner_region__in=permissions.editor_region_ids(user))
    if user.person_id:
        mine |= Q(owner_person=user.person_id)
    activities = progress.activities_queryset().filter(mine, _own(user, "ambition__agenda__region"))
    return render(request, "agenda/my_activities.html", {"activities": activities})


@member_required
def goal_edit(request, pk):
    goal = get_object_or_404(
        Goal.objects.filter(_own(request.user, "ambition__agenda__region")).select_related(
            "ambition__agenda__region"
        ),
        pk=pk,
    )
    agenda = goal.ambition.agenda
    if not permissions.can_edit_agenda(request.user, agenda):
        raise PermissionDenied
    if request.method == "POST":
        form = GoalForm(request.POST, instance=goal)
        if form.is_valid():
            services.save_goal(request.user, goal, form)
            messages.success(request, _("The goal has been saved."))
            return redirect(f"{agenda_url(agenda)}#goal-{goal.pk}")
    else:
        form = GoalForm(instance=goal)
    return render(request, "agenda/goal_form.html", {"form": form, "goal": goal, "agenda": agenda})


def agenda_url(agenda):
    return reverse("agenda:detail", args=[agenda.slug])


# --- Meetings -------------------------------------------------------------------------------


def _meeting_targets(agenda):
    """Target per meeting type: from the agenda's goal linked to the indicator, else the
    indicator's default."""
    linked = {
        g.indicator: g.target_value
        for g in Goal.objects.filter(ambition__agenda=agenda, indicator__in=MEETING_INDICATORS.values())
    }
    targets = {}
    for meeting_type, key in MEETING_INDICATORS.items():
        value = linked.get(key)
        targets[meeting_type] = (
            progress.display_number(value) if value is not None else indicators.get(key).default_target
        )
    return targets


@member_required
def meetings(request, slug, year=None):
    agenda = _agenda(request, slug)
    today = timezone.localdate()
    year = year or today.year
    if not 2000 <= year <= 2100:
        raise Http404
    scope = indicators.Scope.calendar_year(year, agenda.region)
    rows = list(
        Meeting.objects.filter(scope.region_q("region"), date__year=year)
        .select_related("region")
        .prefetch_related(
            Prefetch("follow_up_activities", queryset=Activity.objects.select_related("ambition")),
        )
    )
    selectors.name_organisations(rows)
    targets = _meeting_targets(agenda)
    summary = []
    for meeting_type in MeetingType:
        key = MEETING_INDICATORS.get(meeting_type)
        if key:
            held = indicators.measure(key, scope).value
        else:
            held = sum(1 for m in rows if m.meeting_type == meeting_type and m.date <= today)
        planned = sum(1 for m in rows if m.meeting_type == meeting_type and m.date > today)
        target = targets.get(meeting_type)
        summary.append(
            {
                "type": meeting_type,
                "held": held,
                "planned": planned,
                "target": target,
                "met": None if target is None else held >= target,
            }
        )
    user = request.user
    for meeting in rows:
        meeting.editable = permissions.can_edit_meeting(user, meeting)
    return render(
        request,
        "agenda/meetings.html",
        {
            "agenda": agenda,
            "year": year,
            "previous_year": year - 1 if year > 2000 else None,
            "next_year": year + 1 if year < 2100 else None,
            "meetings": rows,
            "summary": summary,
            "today": today,
            "can_add": permissions.can_add_meeting(user, agenda),
        },
    )


def _meeting_form_view(request, agenda, meeting, title):
    if request.method == "POST":
        form = MeetingForm(request.POST, instance=meeting, agenda=agenda)
        if form.is_valid():
            saved = services.save_meeting(request.user, agenda, form)
            messages.success(request, _("The meeting has been saved."))
            return redirect("agenda:meetings_year", slug=agenda.slug, year=saved.date.year)
    else:
        form = MeetingForm(
            instance=meeting,
            agenda=agenda,
            initial={"date": timezone.localdate()} if not meeting.pk else None,
        )
    return render(
        request,
        "agenda/meeting_form.html",
        {"form": form, "agenda": agenda, "meeting": meeting, "title": title},
    )


@member_required
def meeting_create(request, slug):
    agenda = _agenda(request, slug)
    if not permissions.can_add_meeting(request.user, agenda):
        raise PermissionDenied
    return _meeting_form_view(request, agenda, Meeting(region=agenda.region), _("Record a meeting"))


@member_required
def meeting_edit(request, pk):
    meeting = get_object_or_404(Meeting.objects.filter(_own(request.user)).select_related("region"), pk=pk)
    agenda = (
        Agenda.objects.filter(Q(region=meeting.region) | Q(region=meeting.region.parent_id))
        .select_related("region")
        .first()
    )
    if agenda is None:
        raise Http404
    if not permissions.can_edit_meeting(request.user, meeting):
        raise PermissionDenied
    return _meeting_form_view(request, agenda, meeting, _("Edit meeting"))
