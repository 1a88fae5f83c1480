"""Two-factor pages, the session keep-alive, and the public privacy and accessibility pages."""

import csv
import logging
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView
from requests import RequestException

from contacts.models import Role
from contacts.permissions import role_required
from portal.audit import log_access
from portal.models import AccessLog
from portal.paging import page_of
from portal.pdf import write_pdf
from security import (
    accesslog,
    account_records,
    breaches,
    data_subject,
    register,
    services,
    sso,
    subject_access,
)
from security.decorators import shows_child_data
from security.forms import (
    AccessLogFilterForm,
    AccountRecordFilterForm,
    AddressScopeForm,
    AnswerForm,
    BreachDecisionForm,
    BreachForm,
    BreachNotificationForm,
    DataSubjectRequestForm,
    ExtendForm,
    NoteForm,
    ReadersScopeForm,
    RefuseForm,
    SetupForm,
    SubjectAccessExportForm,
    SubjectAccessForm,
    VerifyForm,
)
from security.lockout import lockout_response
from security.models import RequestKind, RequestStatus, StepKind
from security.session_keys import SSO_STATES_SESSION_KEY

logger = logging.getLogger("tandem.security")


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
    """Any request restarts the idle timeout (security.middleware.SessionMiddleware, ADR 0172)."""
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
    entries = accesslog.filtered_entries(cleaned, request.user) if valid else AccessLog.objects.none()
    # The page is read (page_of returns a list) before this very read is logged. No total: at a
    # million rows counting a region's entries cost 77 ms on every page (bench/FINDINGS.md); the
    # pager's next link and the filters are how the officer moves through the log.
    page = page_of(entries, request, param="page", size=ACCESS_LOG_PAGE_SIZE)
    accesslog.describe(page.rows)
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
            _("object"),
            _("object type"),
            _("object id"),
            _("reference"),
        ]
    )
    actions, roles = accesslog.action_labels(), accesslog.role_labels()
    entries = accesslog.with_listed_references(accesslog.filtered_entries(cleaned, request.user))
    for entry in entries.iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(entry.at).isoformat(timespec="seconds"),
                entry.user.email,
                accesslog.role_label(entry.role, roles),
                _csv_safe(entry.organisation),
                accesslog.action_label(entry, actions),
                _csv_safe(accesslog.object_label(entry)),
                entry.object_type,
                entry.object_id,
                _csv_safe(accesslog.shown_references(entry)),
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
                user=request.user,
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
    # A data-subject request's page links here with its reference and date of receipt.
    initial = {
        "received_on": request.GET.get("received_on") or timezone.localdate().isoformat(),
        "reference": request.GET.get("reference", ""),
    }
    form = SubjectAccessForm(request.POST or None, initial=initial, user=request.user)
    return _subject_access_page(request, form)


@shows_child_data
@role_required(Role.PRIVACY_OFFICER)
@require_POST
def subject_access_pdf(request):
    """The export as a PDF download; invalid input shows the page again with the errors."""
    export_form = SubjectAccessExportForm(request.POST, user=request.user)
    if not export_form.is_valid():
        lookup = SubjectAccessForm(request.POST, user=request.user)
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


# --- Data-subject requests (AVG art. 15-21), privacy officer only (ADR 0106) -------------------

REQUEST_PAGE_SIZE = 50


def _request_or_404(request, pk):
    return get_object_or_404(data_subject.visible_requests(request.user).select_related("region"), pk=pk)


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def request_list(request):
    visible = data_subject.visible_requests(request.user).select_related("region")
    open_requests = sorted(
        visible.filter(status=RequestStatus.OPEN), key=lambda r: (r.current_deadline, r.pk)
    )
    answered = page_of(
        visible.filter(status=RequestStatus.ANSWERED).order_by("-answered_on", "-id"),
        request,
        param="page",
        size=REQUEST_PAGE_SIZE,
        count=True,
    )
    today = timezone.localdate()
    for item in open_requests:
        item.days_left = data_subject.days_left(item, today)
        item.days_overdue = -item.days_left
    log_access(
        request.user,
        AccessLog.Action.VIEW,
        role=Role.PRIVACY_OFFICER.value,
        organisation=str(data_subject.officer_region(request.user) or ""),
        object_type=data_subject.OBJECT_TYPE,
        object_id="list",
    )
    return render(
        request,
        "security/request_list.html",
        {"open_requests": open_requests, "page": answered, "remind_days": data_subject.REMIND_DAYS_BEFORE},
    )


@role_required(Role.PRIVACY_OFFICER)
@require_http_methods(["GET", "POST"])
def request_create(request):
    form = DataSubjectRequestForm(
        request.POST or None,
        initial={"received_on": timezone.localdate().isoformat()},
        region=data_subject.officer_region(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = data_subject.register_request(request.user, **form.cleaned_data)
        except data_subject.RequestError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The request has been registered."))
            return redirect("security:request_detail", pk=created.pk)
    return render(request, "security/request_form.html", {"form": form})


# URL slug -> (service action, form class or None for a button)
REQUEST_ACTIONS = {
    "verlengen": ("extend", ExtendForm),
    "export": ("export", None),
    "rectificatie": ("rectification", NoteForm),
    "bezwaar": ("objection", NoteForm),
    "notitie": ("note", NoteForm),
    "wissen": ("erase", None),
    "weigeren": ("refuse", RefuseForm),
    "beperken": ("restrict", None),
    "antwoord": ("answer", AnswerForm),
}
NOTE_LABELS = {
    "rectification": (
        _("What must be corrected, and by whom"),
        _(
            "Tandem does not change the referral itself: the school or the district team that "
            "wrote it corrects it. Record what you asked of which organisation."
        ),
    ),
    "objection": (
        _("How the objection was weighed"),
        _("The interests weighed (AVG art. 21) and what follows: stop, or continue with the reason."),
    ),
    "note": (_("Note"), ""),
}


def available_actions(item, referral):
    """The steps the detail page offers for this request, in the order of the page."""
    if not item.is_open:
        return []
    actions = []
    kind = item.kind
    if kind == RequestKind.ACCESS and item.reference:
        actions.append("export")
    if kind == RequestKind.RECTIFICATION:
        actions.append("rectification")
    if kind == RequestKind.ERASURE:
        if referral is not None and not data_subject.erasure_blocker(referral):
            actions.append("erase")
        actions.append("refuse")
    if kind == RequestKind.RESTRICTION and item.restricted_at is None:
        actions.append("restrict")
    if kind == RequestKind.OBJECTION:
        actions.append("objection")
    actions.append("note")
    if item.extended_until is None:
        actions.append("extend")
    actions.append("answer")
    return actions


def _action_form(action, data=None):
    slug = next(s for s, (a, _form) in REQUEST_ACTIONS.items() if a == action)
    form_class = REQUEST_ACTIONS[slug][1]
    if form_class is None:
        return None
    if form_class is NoteForm:
        label, help_text = NOTE_LABELS[action]
        return NoteForm(data, prefix=action, label=label, help_text=help_text)
    initial = {}
    if form_class is AnswerForm:
        initial = {"answered_on": timezone.localdate().isoformat()}
    return form_class(data, initial=initial)


def _request_page(request, item, bound_action=None, bound_form=None, action_error="", status=200):
    referral = data_subject.find_referral(item.region, item.reference)
    actions = []
    for action in available_actions(item, referral):
        form = bound_form if action == bound_action and bound_form is not None else _action_form(action)
        slug = next(s for s, (a, _form) in REQUEST_ACTIONS.items() if a == action)
        actions.append(
            {
                "name": action,
                "url": reverse("security:request_act", args=[item.pk, slug]),
                "form": form,
                "error": action_error if action == bound_action else "",
            }
        )
    return render(
        request,
        "security/request_detail.html",
        {
            "item": item,
            "referral": referral,
            "erasure_blocker": (
                data_subject.erasure_blocker(referral) if item.kind == RequestKind.ERASURE else ""
            ),
            "steps": item.steps.select_related("by"),
            "actions": {a["name"]: a for a in actions},
            "days_left": data_subject.days_left(item),
            "latest_extension": data_subject.latest_extension(item.received_on),
            "page_error": action_error if bound_action is None else "",
        },
        status=status,
    )


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def request_detail(request, pk):
    item = _request_or_404(request, pk)
    data_subject.read_request(request.user, item)
    return _request_page(request, item)


@role_required(Role.PRIVACY_OFFICER)
@require_POST
def request_act(request, pk, action):
    item = _request_or_404(request, pk)
    if action not in REQUEST_ACTIONS:
        raise Http404
    name, form_class = REQUEST_ACTIONS[action]
    referral = data_subject.find_referral(item.region, item.reference)
    # Erasure blocked by the referral's state answers with the reason, not a 403.
    blocked_erasure = name == "erase" and item.is_open and item.kind == RequestKind.ERASURE
    if name not in available_actions(item, referral) and not blocked_erasure:
        raise PermissionDenied
    form = _action_form(name, request.POST)
    if form is not None and not form.is_valid():
        return _request_page(request, item, name, form)
    data = form.cleaned_data if form is not None else {}
    user = request.user
    try:
        if name == "extend":
            data_subject.extend_deadline(user, item, until=data["until"], reason=data["reason"])
        elif name == "export":
            data_subject.record_export(user, item)
        elif name in ("rectification", "objection", "note"):
            data_subject.record_note(user, item, kind=StepKind(name), text=data["text"])
        elif name == "erase":
            data_subject.erase(user, item)
        elif name == "refuse":
            data_subject.refuse_erasure(user, item, reason=data["reason"])
        elif name == "restrict":
            data_subject.restrict(user, item)
        elif name == "answer":
            data_subject.answer(
                user, item, answered_on=data["answered_on"], outcome=data["outcome"], summary=data["summary"]
            )
    except data_subject.RequestError as error:
        item.refresh_from_db()
        if form is not None and error.field in form.fields:
            form.add_error(error.field, error.message)
            return _request_page(request, item, name, form)
        return _request_page(request, item, name, form, action_error=error.message)
    messages.success(request, _("The step has been recorded."))
    return redirect("security:request_detail", pk=item.pk)


# --- The breach register (AVG art. 33/34), privacy officer only (ADR 0108) --------------------


def _breach_or_404(request, pk):
    return get_object_or_404(breaches.visible_breaches(request.user).select_related("region"), pk=pk)


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def breach_list(request):
    now = timezone.now()
    rows = list(breaches.visible_breaches(request.user).select_related("region"))
    for breach in rows:
        breach.hours_left = breaches.hours_left(breach, now)
        breach.hours_over = -breach.hours_left
        breach.deadline = breaches.authority_deadline(breach)
    log_access(
        request.user,
        AccessLog.Action.VIEW,
        role=Role.PRIVACY_OFFICER.value,
        organisation=str(data_subject.officer_region(request.user) or ""),
        object_type=breaches.OBJECT_TYPE,
        object_id="list",
    )
    return render(
        request,
        "security/breach_list.html",
        {
            "open_breaches": [b for b in rows if not b.closed],
            "closed_breaches": [b for b in rows if b.closed],
        },
    )


@role_required(Role.PRIVACY_OFFICER)
@require_http_methods(["GET", "POST"])
def breach_create(request):
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            breach = breaches.record_breach(request.user, **form.cleaned_data)
        except data_subject.RequestError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request, _("The breach has been recorded. The 72 hours run from the moment it was found.")
            )
            return redirect("security:breach_detail", pk=breach.pk)
    return render(request, "security/breach_form.html", {"form": form})


def _scope(request, breach):
    """The two look-ups of the detail page, each a GET form bound only when it was submitted."""
    readers_form = ReadersScopeForm(
        request.GET if "readers-references" in request.GET else None,
        initial={
            "references": "\n".join(breach.references),
            "start": breach.occurred_from,
            "end": breach.occurred_until,
        },
    )
    address_form = AddressScopeForm(
        request.GET if "address-address" in request.GET else None,
        initial={"start": breach.occurred_from, "end": breach.occurred_until},
    )
    readers = accounts = None
    for form, run in (
        (
            readers_form,
            lambda d: breaches.readers(
                request.user, breach, breaches.parse_lines(d["references"]), d.get("start"), d.get("end")
            ),
        ),
        (
            address_form,
            lambda d: breaches.accounts_from_address(
                request.user, breach, d["address"], d.get("start"), d.get("end")
            ),
        ),
    ):
        if form.is_bound and form.is_valid():
            try:
                result = run(form.cleaned_data)
            except data_subject.RequestError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                continue
            if form is readers_form:
                readers = result
            else:
                accounts = result
    return readers_form, address_form, readers, accounts


def _breach_page(request, breach, decision_form=None, notification_form=None, action_error=""):
    readers_form, address_form, readers, accounts = _scope(request, breach)
    return render(
        request,
        "security/breach_detail.html",
        {
            "breach": breach,
            "deadline": breaches.authority_deadline(breach),
            "hours_left": breaches.hours_left(breach),
            "hours_over": -breaches.hours_left(breach),
            "readers_form": readers_form,
            "address_form": address_form,
            "readers": readers,
            "accounts": accounts,
            "decision_form": decision_form or BreachDecisionForm(),
            "notification_form": notification_form or BreachNotificationForm(),
            "action_error": action_error,
            "has_errors": bool(
                action_error
                or (decision_form is not None and decision_form.errors)
                or (notification_form is not None and notification_form.errors)
                or readers_form.errors
                or address_form.errors
            ),
        },
    )


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def breach_detail(request, pk):
    breach = _breach_or_404(request, pk)
    breaches.read_breach(request.user, breach)
    return _breach_page(request, breach)


@role_required(Role.PRIVACY_OFFICER)
@require_POST
def breach_act(request, pk, action):
    breach = _breach_or_404(request, pk)
    forms_by_action = {"besluit": BreachDecisionForm, "melding": BreachNotificationForm}
    if action not in forms_by_action:
        raise Http404
    form = forms_by_action[action](request.POST)
    context = {"decision_form": form} if action == "besluit" else {"notification_form": form}
    if not form.is_valid():
        return _breach_page(request, breach, **context)
    try:
        if action == "besluit":
            breaches.decide(request.user, breach, **form.cleaned_data)
        else:
            breaches.record_notification(request.user, breach, **form.cleaned_data)
    except data_subject.RequestError as error:
        breach.refresh_from_db()
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _breach_page(request, breach, **context)
    messages.success(request, _("The step has been recorded."))
    return redirect("security:breach_detail", pk=breach.pk)


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def processing_register_pdf(request):
    groups = [g for g in register.grouped() if g.rows]
    with translation.override("nl"):
        html = render_to_string(
            "security/register_pdf.html",
            {
                "groups": groups,
                "produced_at": timezone.now(),
                "special_exception": register.SPECIAL_EXCEPTION,
            },
        )
        pdf = write_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="verwerkingsregister.pdf"'
    return response


# --- Single sign-on (ADR 0138) -----------------------------------------------------------------


def sso_refused(request, reason, email="", provider=None):
    """The refusal page: what went wrong in words, nothing created, a way back (ADR 0138)."""
    return render(
        request,
        "security/sso_refused.html",
        {"reason": reason, "email": email, "provider": provider},
        status=403,
    )


class SSOStartView(OIDCAuthenticationRequestView):
    """ "Inloggen met <naam>": off to the organisation's identity provider."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the parent reads one global configuration here
        self.provider = None

    def get_settings(self, attr, *args):
        return sso.settings_for(self.provider, attr, *args)

    def get(self, request, slug):
        self.provider = sso.provider(slug)
        if self.provider is None:
            raise Http404
        if request.user.is_authenticated:
            return redirect(settings.LOGIN_REDIRECT_URL)
        self.OIDC_OP_AUTH_ENDPOINT = self.provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = self.provider.client_id
        response = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        states = request.session.get(SSO_STATES_SESSION_KEY, {})
        states[state] = self.provider.slug
        request.session[SSO_STATES_SESSION_KEY] = dict(list(states.items())[-10:])
        return response


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """Back from the identity provider: log in, or the refusal page (never a 500)."""

    provider = None

    def get_settings(self, attr, *args):
        return sso.settings_for(self.provider, attr, *args)

    def get(self, request):
        state = request.GET.get("state", "")
        states = request.session.get(SSO_STATES_SESSION_KEY, {})
        slug = states.pop(state, None) if isinstance(state, str) else None
        request.session[SSO_STATES_SESSION_KEY] = states
        self.provider = sso.provider(slug) if slug else None
        if self.provider is None:
            return sso_refused(request, "failed")
        setattr(request, sso.REQUEST_PROVIDER_ATTRIBUTE, self.provider)
        try:
            return super().get(request)
        except (SuspiciousOperation, RequestException, jwt.InvalidTokenError, ValueError, KeyError) as exc:
            logger.warning("single sign-on failed provider=%s: %s", self.provider.slug, type(exc).__name__)
            return sso_refused(request, "failed", provider=self.provider)

    def login_failure(self):
        refusal = getattr(self.request, sso.REQUEST_REFUSAL_ATTRIBUTE, None)
        if refusal is None:
            return sso_refused(self.request, "failed", provider=self.provider)
        return sso_refused(self.request, refusal.reason, refusal.email, self.provider)

    def login_success(self):
        response = super().login_success()
        services.complete_sso_login(self.request, self.user, self.provider)
        return response


# --- Account records (ADR 0137) --------------------------------------------------------------

ACCOUNT_RECORDS_PAGE_SIZE = 50


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def account_record_list(request):
    form = AccountRecordFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    cleaned = form.cleaned_data if form.is_bound and valid else {}
    records = account_records.filtered_records(cleaned, request.user)
    if not valid:
        records = records.none()
    page = page_of(records, request, param="page", size=ACCOUNT_RECORDS_PAGE_SIZE, count=True)
    roles = accesslog.role_labels()
    for record in page.rows:
        record.role_label = accesslog.role_label(record.role, roles) if record.role else ""
    account_records.record_read(request.user)
    return render(request, "security/account_records.html", {"form": form, "page": page})
