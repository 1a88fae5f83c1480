"""Two-factor pages, the session keep-alive, and the public privacy and accessibility pages."""

import csv
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contacts.models import Role
from contacts.permissions import role_required
from portal.models import AccessLog
from portal.paging import page_of
from security import accesslog, register, services, subject_access
from security.decorators import shows_child_data
from security.forms import (
    AccessLogFilterForm,
    SetupForm,
    SubjectAccessExportForm,
    SubjectAccessForm,
    VerifyForm,
)
from security.lockout import lockout_response


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _is_locked(request):
    return not AxesProxyHandler.is_allowed(request, {"username": request.user.get_username()})


@login_required
def overview(request):
    enrolled = services.is_enrolled(request)
    return render(
        request,
        "security/two_factor.html",
        {
            "enrolled": enrolled,
            "required": services.requires_two_factor(request.user),
            "codes_left": len(services.recovery_codes(request.user)) if enrolled else 0,
        },
    )


@login_required
def setup(request):
    # Asked of the database, not the session: a device confirmed in another session counts.
    if services.has_two_factor(request.user):
        services.remember_enrolment(request, request.user)
        if request.user.is_verified():
            return redirect("security:two_factor")
        return redirect(f"{reverse('security:two_factor_verify')}?{request.GET.urlencode()}")
    device = services.start_enrolment(request.user)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_enrolment(request, device, form.cleaned_data["otp_token"]):
            messages.success(request, _("Two-step verification is on."))
            query = urlencode({"next": _next_url(request)})
            return redirect(f"{reverse('security:recovery_codes')}?{query}")
        form.add_error(
            "otp_token",
            _("This code is not correct. Check that the time on your phone is right, and try the new code."),
        )
    return render(
        request,
        "security/two_factor_setup.html",
        {
            "form": form,
            "qr_code": services.qr_code_svg(device),
            "secret": services.secret_for_display(device),
            "next": _next_url(request),
            "required": services.requires_two_factor(request.user),
        },
    )


@login_required
def verify(request):
    if not services.is_enrolled(request):
        return redirect(f"{reverse('security:two_factor_setup')}?{request.GET.urlencode()}")
    if request.user.is_verified():
        return redirect(_next_url(request))
    if _is_locked(request):
        return lockout_response(request)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_code(request, form.cleaned_data["otp_token"]):
            return redirect(_next_url(request))
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request)
        form.add_error("otp_token", _("This code is not correct. Try the new code your app shows."))
    return render(request, "security/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def recovery_codes(request):
    if not services.is_enrolled(request) or not request.user.is_verified():
        return redirect("security:two_factor")
    if request.method == "POST":
        services.regenerate_recovery_codes(request.user)
        messages.success(request, _("New recovery codes have been made; the old ones no longer work."))
        return redirect("security:recovery_codes")
    codes = [services.format_recovery_code(c) for c in services.recovery_codes(request.user)]
    return render(request, "security/recovery_codes.html", {"codes": codes, "next": _next_url(request)})


@login_required
@require_POST
def disable(request):
    if not services.is_enrolled(request):
        return redirect("security:two_factor")
    services.disable_two_factor(request)
    messages.success(request, _("Two-step verification is off."))
    return redirect("security:two_factor")


@require_GET
def session_keepalive(request):
    """Touching the session restarts the idle timeout (SESSION_SAVE_EVERY_REQUEST)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    return HttpResponse(status=204)


def privacy_statement(request):
    return render(
        request, "security/privacy_statement.html", {"contact_email": settings.TANDEM_PRIVACY_CONTACT_EMAIL}
    )


def accessibility_statement(request):
    return render(
        request,
        "security/accessibility_statement.html",
        {"contact_email": settings.TANDEM_ACCESSIBILITY_CONTACT_EMAIL},
    )


# --- Access-log viewer (privacy officer only) -------------------------------------------------

ACCESS_LOG_PAGE_SIZE = 50


def _access_log_filter(request):
    form = AccessLogFilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, cleaned


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def access_log(request):
    form, cleaned = _access_log_filter(request)
    valid = not form.is_bound or form.is_valid()
    entries = accesslog.filtered_entries(cleaned) if valid else AccessLog.objects.none()
    # The page is read (page_of returns a list) before this very read is logged.
    page = page_of(entries, request, param="page", size=ACCESS_LOG_PAGE_SIZE, count=True)
    accesslog.record_log_read(request.user, AccessLog.Action.VIEW, cleaned)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "security/access_log.html",
        {"form": form, "page": page, "query": query.urlencode(), "valid": valid},
    )


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def access_log_export(request):
    form, cleaned = _access_log_filter(request)
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse('security:access_log')}?{request.GET.urlencode()}")
    accesslog.record_log_read(request.user, AccessLog.Action.EXPORT, cleaned)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="toegangslog.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("time"),
            _("user"),
            _("role"),
            _("organisation"),
            _("action"),
            _("object type"),
            _("object id"),
            _("reference"),
        ]
    )
    for entry in accesslog.filtered_entries(cleaned).iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(entry.at).isoformat(timespec="seconds"),
                entry.user.email,
                entry.role,
                _csv_safe(entry.organisation),
                entry.get_action_display(),
                entry.object_type,
                entry.object_id,
                _csv_safe(entry.object_reference),
            ]
        )
    return response


def _csv_safe(value):
    """Neutralise spreadsheet formulas (CSV injection)."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- Right of access (AVG art. 15), privacy officer only --------------------------------------


def _subject_access_page(request, form, export_form=None):
    preview = None
    if form.is_bound and form.is_valid():
        preview = subject_access.preview(request.user, form.referral)
        if export_form is None:
            export_form = SubjectAccessExportForm(
                initial={
                    "reference": form.cleaned_data["reference"],
                    "received_on": form.cleaned_data["received_on"].isoformat(),
                },
                candidates=[d.referral for d in preview.others],
            )
        else:
            export_form.set_candidates([d.referral for d in preview.others])
    return render(
        request,
        "security/subject_access.html",
        {"form": form, "preview": preview, "export_form": export_form},
    )


@shows_child_data
@role_required(Role.PRIVACY_OFFICER)
@require_http_methods(["GET", "POST"])
def subject_access_request(request):
    """Enter the reference number of a request; see what the export will hold."""
    initial = {"received_on": timezone.localdate().isoformat()}
    form = SubjectAccessForm(request.POST or None, initial=initial)
    return _subject_access_page(request, form)


@shows_child_data
@role_required(Role.PRIVACY_OFFICER)
@require_POST
def subject_access_pdf(request):
    """The export as a PDF download; invalid input shows the page again with the errors."""
    export_form = SubjectAccessExportForm(request.POST)
    if not export_form.is_valid():
        lookup = SubjectAccessForm(request.POST)
        return _subject_access_page(request, lookup, export_form if lookup.is_valid() else None)
    name, pdf = subject_access.export_pdf(
        request.user,
        export_form.referral,
        export_form.others,
        received_on=export_form.cleaned_data["received_on"],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# --- The processing register (AVG art. 30), privacy officer only (ADR 0105) -----------------


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def processing_register(request):
    groups = register.grouped()
    return render(
        request,
        "security/register.html",
        {
            "groups": [g for g in groups if g.rows],
            "without_personal_data": [g for g in groups if not g.rows],
            "field_count": sum(len(g.rows) for g in groups),
            "special_count": sum(1 for g in groups for r in g.rows if r.special),
            "special_exception": register.SPECIAL_EXCEPTION,
        },
    )


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def processing_register_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verwerkingsregister.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("app"),
            _("model"),
            _("field"),
            _("field name"),
            _("purpose"),
            _("legal basis"),
            _("citation"),
            _("special category"),
            _("exception art. 9"),
            _("who may see it"),
            _("retention"),
            _("e-mail"),
            _("report"),
            _("export"),
        ]
    )
    for row in register.rows():
        writer.writerow(
            [
                row.app,
                row.model,
                row.field,
                f"{row.model_label}.{row.field_name}",
                row.purpose,
                row.basis,
                row.basis_citation,
                _("yes") if row.special else _("no"),
                row.special_exception,
                ", ".join(row.roles),
                row.retention,
                row.email,
                row.report,
                row.export,
            ]
        )
    return response
