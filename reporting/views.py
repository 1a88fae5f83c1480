"""Dashboard, report archive, on-demand reports with live status, downloads and exports."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal import theme
from portal.audit import follows_action, log_access, log_action
from portal.models import AccessLog
from reporting import exports, services
from reporting.charts import attach_charts
from reporting.forms import FiguresForm
from reporting.models import ProgressReport
from reporting.periods import Period
from reporting.permissions import (
    acting_membership,
    can_freeze_startfoto,
    can_publish,
    published_reports,
    published_required,
    reading_membership,
    reports_required,
    startfoto_membership,
    startfoto_regions,
    visible_reports,
)
from reporting.scopes import allowed_scopes, scope_of_report
from reporting.startfoto import MAX_YEAR as MAX_SCHOOL_YEAR
from reporting.startfoto import MIN_YEAR as MIN_SCHOOL_YEAR
from reporting.startfoto import SchoolYear, comparison, frozen_pair
from reporting.summaries import figures_for


def _figures_form(request, scopes):
    """The picker: what the user chose, the current half-year and first scope for the rest."""
    data = {"period": Period.current().label, "scope": scopes[0].key if scopes else ""}
    data.update({key: request.GET[key] for key in ("period", "scope") if key in request.GET})
    return FiguresForm(data, scopes=scopes)


def _log(user, action, scope, object_type, object_id):
    membership = acting_membership(user, scope)
    log_access(
        user,
        action,
        role=membership.role if membership else "",
        organisation=str(scope.obj),
        object_type=object_type,
        object_id=object_id,
    )


def _refresh_minutes():
    """How often the dashboard's figures are recalculated; 0 when they are live."""
    return settings.TANDEM_FIGURES_REFRESH_MINUTES if settings.TANDEM_FIGURES_CACHE_SECONDS > 0 else 0


@require_GET
@reports_required
def dashboard(request):
    scopes = allowed_scopes(request.user)
    form = _figures_form(request, scopes)
    figures = None
    if form.is_valid():
        # The charts in the colours of the page they are on (ADR 0164).
        figures = attach_charts(
            figures_for(form.cleaned_data["period"], form.cleaned_data["scope"]),
            "chart",
            theme.theme_for_user(request.user),
        )
    return render(
        request,
        "reporting/dashboard.html",
        {"form": form, "figures": figures, "refresh_minutes": _refresh_minutes()},
    )


@require_GET
@reports_required
def export(request, fmt):
    scopes = allowed_scopes(request.user)
    form = FiguresForm(request.GET, scopes=scopes)
    if not form.is_valid():
        raise Http404
    period, scope = form.cleaned_data["period"], form.cleaned_data["scope"]
    figures = figures_for(period, scope)
    name = f"startfoto-{period.label}-{scope.code}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(figures), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(figures),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    _log(request.user, AccessLog.Action.EXPORT, scope, "reporting.figures", f"{period.label}:{scope.key}")
    return response


@require_GET
@reports_required
def report_list(request):
    scopes = allowed_scopes(request.user)
    reports = visible_reports(request.user).select_related(
        "region", "partnership", "municipality", "requested_by"
    )
    filter_form = FiguresForm(request.GET or None, scopes=scopes)
    filter_form.fields["period"].required = False
    filter_form.fields["scope"].required = False
    filter_form.fields["period"].choices = [("", _("All half-years")), *filter_form.fields["period"].choices]
    filter_form.fields["scope"].choices = [("", _("All scopes")), *filter_form.fields["scope"].choices]
    if request.GET and filter_form.is_valid():
        if filter_form.cleaned_data["period"]:
            reports = reports.filter(period=filter_form.cleaned_data["period"].label)
        if filter_form.cleaned_data["scope"]:
            reports = reports.filter(**filter_form.cleaned_data["scope"].report_fields())
    request_form = FiguresForm(
        initial={"period": Period.current().label, "scope": scopes[0].key if scopes else ""},
        scopes=scopes,
        auto_id="request_%s",
    )
    return render(
        request,
        "reporting/report_list.html",
        {"reports": reports[:200], "filter_form": filter_form, "request_form": request_form},
    )


@require_POST
@reports_required
def report_request(request):
    scopes = allowed_scopes(request.user)
    form = FiguresForm(request.POST, scopes=scopes, auto_id="request_%s")
    if not form.is_valid():
        reports = visible_reports(request.user).select_related(
            "region", "partnership", "municipality", "requested_by"
        )
        filter_form = FiguresForm(scopes=scopes)
        return render(
            request,
            "reporting/report_list.html",
            {"reports": reports[:200], "filter_form": filter_form, "request_form": form},
            status=400,
        )
    report, created = services.request_report(
        request.user, form.cleaned_data["period"], form.cleaned_data["scope"]
    )
    if created:
        messages.success(request, _("The report has been requested. This page shows when it is ready."))
    else:
        messages.info(request, _("This report was already requested and is being generated."))
    return redirect("reporting:report_detail", report.uuid)


def _get_report(request, uuid):
    return get_object_or_404(
        visible_reports(request.user).select_related(
            "region__parent", "partnership", "municipality", "requested_by"
        ),
        uuid=uuid,
    )


# Polling the status of a report being made: the first look after 2 seconds, then each wait
# half as long again, at most 30 seconds, and after 5 minutes no more: the page says the report
# takes longer than usual (a worker may be down; the page can be reloaded later).
POLL_FIRST_SECONDS = 2
POLL_FACTOR = 1.5
POLL_MAX_SECONDS = 30
POLL_GIVE_UP_SECONDS = 300


def poll_delay(attempt):
    """Seconds to wait before poll number `attempt` (0 = the first), or None to stop polling."""
    waited, delay = 0.0, float(POLL_FIRST_SECONDS)
    for _i in range(attempt):
        waited += delay
        delay = min(delay * POLL_FACTOR, POLL_MAX_SECONDS)
        if waited >= POLL_GIVE_UP_SECONDS:
            return None
    return round(delay, 1)


def _status_context(report, attempt):
    delay = poll_delay(attempt) if report.is_active else None
    return {
        "report": report,
        "poll_delay": delay,
        "next_poll": attempt + 1,
        "taking_long": report.is_active and delay is None,
    }


def _poll_attempt(request):
    value = request.GET.get("poll", "")
    return min(int(value), 1000) if value.isascii() and value.isdigit() and len(value) <= 4 else 0


@require_GET
@reports_required
def report_detail(request, uuid):
    report = _get_report(request, uuid)
    context = _status_context(report, 0)
    context["may_publish"] = can_publish(request.user, report)
    return render(request, "reporting/report_detail.html", context)


@never_cache
@require_GET
@reports_required
def report_status(request, uuid):
    report = _get_report(request, uuid)
    return render(request, "reporting/_report_status.html", _status_context(report, _poll_attempt(request)))


@require_POST
@reports_required
def report_retry(request, uuid):
    report = _get_report(request, uuid)
    if services.retry_report(report):
        messages.success(request, _("The report has been queued again."))
    else:
        messages.error(request, _("Only a failed report can be retried."))
    return redirect("reporting:report_detail", report.uuid)


@require_GET
@reports_required
def report_download(request, uuid):
    report = _get_report(request, uuid)
    if report.status != ProgressReport.Status.DONE or not report.file:
        raise Http404
    scope = scope_of_report(report)
    _log(request.user, AccessLog.Action.DOWNLOAD, scope, "reporting.progressreport", report.pk)
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.download_name,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    return response


def _publication_action(request, uuid, service, done_message, refused_message):
    """Publish or withdraw; the service records who and when (PublicationEvent, ADR 0150)."""
    report = _get_report(request, uuid)
    if not can_publish(request.user, report):
        raise PermissionDenied
    if service(request.user, report):
        messages.success(request, done_message)
    else:
        messages.error(request, refused_message)
    return redirect("reporting:report_detail", report.uuid)


@require_POST
@reports_required
def report_publish(request, uuid):
    return _publication_action(
        request,
        uuid,
        services.publish_report,
        _("The report has been published: the practitioners of the region can now read it."),
        _("Only a finished report that is not yet published can be published."),
    )


@require_POST
@reports_required
def report_withdraw(request, uuid):
    return _publication_action(
        request,
        uuid,
        services.withdraw_publication,
        _("The publication has been withdrawn: only the steering group sees the report again."),
        _("This report is not published."),
    )


@require_GET
@published_required
def published_list(request):
    reports = (
        published_reports(request.user)
        .select_related("region__parent")
        .order_by("-period", "-published_at", "-id")
    )
    return render(request, "reporting/published_list.html", {"reports": reports[:200]})


@require_GET
@published_required
def published_download(request, uuid):
    report = get_object_or_404(published_reports(request.user).select_related("region__parent"), uuid=uuid)
    if not report.file:
        raise Http404
    membership = reading_membership(request.user, report)
    log_access(
        request.user,
        AccessLog.Action.DOWNLOAD,
        role=membership.role if membership else "",
        organisation=report.scope_name,
        object_type="reporting.progressreport",
        object_id=report.pk,
    )
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.download_name,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    return response


# --- The startfoto (ADR 0155) -----------------------------------------------------------------
def _startfoto_choice(request, data):
    """(region, school year) chosen in `data`; a region the user does not read is a 404."""
    regions = list(startfoto_regions(request.user))
    code = data.get("regio", "")
    region = next((r for r in regions if r.code == code), None) if code else (regions[0] if regions else None)
    if region is None:
        raise Http404
    year = SchoolYear.current()
    raw = data.get("jaar", "")
    if raw:
        if not (raw.isascii() and raw.isdigit()) or not MIN_SCHOOL_YEAR <= int(raw) <= MAX_SCHOOL_YEAR:
            raise Http404
        year = SchoolYear(int(raw))
    return regions, region, year


def _startfoto_log(request, action, region, object_id):
    membership = startfoto_membership(request.user, region)
    log_access(
        request.user,
        action,
        role=membership.role if membership else "",
        organisation=str(region),
        object_type="reporting.startphoto",
        object_id=object_id,
    )


def _startfoto_page(request, regions, region, year, year_errors=()):
    current, previous = frozen_pair(region, year.year)
    # The page the freeze redirects to shows what was just frozen: the freeze was logged once.
    if current is not None and not follows_action(request):
        _startfoto_log(request, AccessLog.Action.VIEW, region, current.pk)
    this_year = SchoolYear.current()
    return render(
        request,
        "reporting/startfoto.html",
        {
            "regions": regions,
            "region": region,
            "year": year,
            "year_errors": year_errors,
            "years": [SchoolYear(this_year.year - i) for i in range(6)],
            "current": current,
            "previous": previous,
            "areas": comparison(current.data, previous.data if previous else None) if current else [],
            "can_freeze": can_freeze_startfoto(request.user, region)
            and not services.too_early_to_freeze(year),
        },
    )


@require_GET
@published_required
def startfoto(request):
    return _startfoto_page(request, *_startfoto_choice(request, request.GET))


@require_POST
@published_required
def startfoto_freeze(request):
    regions, region, year = _startfoto_choice(request, request.POST)
    to = f"{reverse('reporting:startfoto')}?regio={region.code}&jaar={year.year}"
    try:
        photo = services.freeze_startphoto(request.user, region, year)
    except ValidationError as refused:
        return _startfoto_page(request, regions, region, year, refused.message_dict.get("jaar", []))
    except services.StartPhotoFrozen:
        messages.error(
            request,
            _("The startfoto %(year)s has already been frozen; a frozen startfoto never changes.")
            % {"year": year.label},
        )
    else:
        membership = startfoto_membership(request.user, region)
        log_action(
            request,
            "freeze",
            photo,
            next_url=to,
            role=membership.role if membership else "",
            organisation=str(region),
        )
        messages.success(request, _("The startfoto %(year)s has been frozen.") % {"year": year.label})
    return redirect(to)


@require_GET
@published_required
def startfoto_xlsx(request):
    _regions, region, year = _startfoto_choice(request, request.GET)
    current, previous = frozen_pair(region, year.year)
    if current is None:
        raise Http404
    body = exports.startfoto_xlsx(current, previous)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="startfoto-{year.label}-{region.code}.xlsx"'
    response["Cache-Control"] = "no-store"
    _startfoto_log(request, AccessLog.Action.EXPORT, region, current.pk)
    return response
