"""Thin views over referrals/services.py; scoping and rules in referrals/permissions.py."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Value, When
from django.http import FileResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from contacts.models import ContactAssignment, Role
from contacts.norms import NormBook
from contacts.permissions import memberships, role_required
from portal.audit import follows_action, log_access, log_action
from portal.models import AccessLog
from portal.paging import page_of
from referrals import forms as rf
from referrals import permissions as perms
from referrals import selectors, services
from referrals import tables as referral_tables
from referrals import transition as transition_rules
from referrals.consent import age_on, consent_summary, required_givers
from referrals.models import (
    TRANSITION_STEPS,
    Attachment,
    Consent,
    Guardian,
    ListedReference,
    Referral,
    Status,
    Transition,
)
from referrals.waiting import waiting_for, waiting_for_school
from referrals.workflow import ACTIONS, TEAM, TransitionNotAllowed

PAGE_SIZE = 25
# The access-log object type of a list page view; its referrals are its ListedReference rows.
LIST_OBJECT_TYPE = "referrals.referral_list"

EVENT_LABELS = {
    "draft_created": gettext_lazy("draft created"),
    "draft_saved": gettext_lazy("draft saved"),
    "guardian_added": gettext_lazy("parent or guardian added"),
    "guardian_removed": gettext_lazy("parent or guardian removed"),
    "consent_recorded": gettext_lazy("consent recorded"),
    "consent_withdrawn": gettext_lazy("consent withdrawn"),
    "sharing_stopped": gettext_lazy("sharing stopped: no valid consent"),
    "sharing_resumed": gettext_lazy("sharing resumed: consent valid again"),
    "attachment_added": gettext_lazy("attachment added"),
    "attachment_removed": gettext_lazy("attachment removed"),
    "document_added": gettext_lazy("document added by the district team"),
    "assigned": gettext_lazy("assigned"),
    "anonymised": gettext_lazy("personal data removed (retention period)"),
    "auto_escalation_withheld": gettext_lazy("not escalated automatically: sharing stopped"),
    "lapse_reminder": gettext_lazy("reminder: the referral is about to lapse"),
    # Mediation before escalation (escalations, ADR 0149).
    "mediation_asked": gettext_lazy("a mediator was asked"),
    "mediation_not_settled": gettext_lazy("mediation: not settled"),
    "mediation_overtaken": gettext_lazy("mediation closed without an outcome (overtaken)"),
    "transition_adult_services": gettext_lazy("18-/18+ transition: adult services contacted"),
    "transition_municipality_contact": gettext_lazy(
        "18-/18+ transition: Wmo/Wlz contact of the home municipality informed"
    ),
    "transition_adult_consent": gettext_lazy("18-/18+ transition: consent of the young adult recorded"),
    "transition_prepared": gettext_lazy("18-/18+ transition prepared"),
}


def event_label(action):
    if action in ACTIONS:
        return ACTIONS[action].label
    return EVENT_LABELS.get(action, action)


def _scoped(request, uuid):
    return get_object_or_404(
        visible_qs(request.user).select_related(
            # The region too: the norms and the school holidays of the page read it.
            "school__municipality__region",
            "home_municipality",
            "routed_team",
            "assigned_to",
            "care_provider",
            "collective_arrangement",
            "created_by",
        ),
        uuid=uuid,
    )


def visible_qs(user):
    return perms.visible_referrals(user)


def _log(request, action, obj, referral):
    if action == AccessLog.Action.VIEW and follows_action(request):
        return  # the page after an action, which was logged with its kind (portal/audit.py)
    membership = perms.access_membership(request.user, referral)
    log_access(
        request.user,
        action,
        obj,
        role=membership.role if membership else "",
        organisation=membership.organisation if membership else "",
        reference=referral.reference or "",
    )


def _acted(request, referral, activity, to):
    """Log the action `activity` on the referral once, and redirect to `to` (a URL) without
    logging that page as a read."""
    membership = perms.access_membership(request.user, referral)
    log_action(
        request,
        activity,
        referral,
        next_url=to,
        role=membership.role if membership else "",
        organisation=membership.organisation if membership else "",
        reference=referral.reference or "",
    )
    return redirect(to)


def _log_list(request, page_name, referrals, role):
    """One access-log entry for a list page view, naming every referral the page shows
    (NEN 7513, ADR 0098): SEARCH when the list was filtered, else VIEW. The membership is the
    user's first of `role` (the list shows what all of them grant)."""
    membership = next((m for m in memberships(request.user) if m.role == role), None)
    filtered = any(value for key, value in request.GET.items() if key != "page")
    entry = log_access(
        request.user,
        AccessLog.Action.SEARCH if filtered else AccessLog.Action.VIEW,
        role=membership.role if membership else "",
        organisation=membership.organisation if membership else "",
        object_type=LIST_OBJECT_TYPE,
        object_id=page_name,
    )
    ListedReference.objects.bulk_create(
        [ListedReference(entry=entry, referral_pk=r.pk, reference=r.reference or "") for r in referrals]
    )
    return entry


# --- School: list, create, edit --------------------------------------------------------------


@login_required
@role_required(Role.SCHOOL_COORDINATOR)
def school_list(request):
    form = rf.SchoolListFilterForm(request.GET or None)
    qs = referral_tables.for_rows(
        Referral.objects.filter(school_id__in=perms.school_ids(request.user))
    ).order_by("-created_at", "-pk")
    if form.is_valid() and form.cleaned_data.get("status"):
        qs = qs.filter(status=form.cleaned_data["status"])
    if form.is_valid() and form.cleaned_data.get("decided") == "recent":
        qs = qs.filter(decided_at__gte=selectors.decided_since())
    page = page_of(qs, request, param="page", size=PAGE_SIZE)
    book = NormBook()
    rows = [
        {"referral": r, "waiting": waiting_for(r, norms=book.for_referral(r), with_due=False)}
        for r in page.rows
    ]
    _log_list(request, "school_list", page.rows, Role.SCHOOL_COORDINATOR)
    return render(
        request,
        "referrals/school_list.html",
        {"page": page, "rows": rows, "filter_form": form, "can_create": perms.can_create(request.user)},
    )


@never_cache
@login_required
@role_required(Role.SCHOOL_COORDINATOR)
def create(request):
    """The one-page form for a new draft (ADR 0163)."""
    school_ids = perms.school_ids(request.user)
    page = rf.OnePageForm(
        request.POST if request.method == "POST" else None, request.FILES or None, user_school_ids=school_ids
    )
    if request.method == "POST":
        saved = _save(request, None, page)
        if saved is not None:
            messages.success(request, _("The draft was saved."))
            return redirect("referrals:edit", uuid=saved.uuid)
    return render(request, "referrals/form.html", _edit_context(request, None, page=page))


def _save(request, referral, page):
    """The one save of the one-page form: every part valid, then one service call (all or
    nothing); a refusal of the service (a full disk) is shown at its field. None when nothing
    was saved."""
    if not page.is_valid():
        return None
    try:
        return services.save_referral_form(
            request.user,
            referral,
            page.form.cleaned_data,
            page.form.cleaned_data["domains"],
            page.part(services.FormPart),
        )
    except ValidationError as exc:
        target = next((f for f in page.attachments.forms if f.has_changed()), None)
        (target or page.form).add_error("file" if target else None, exc.messages)
        return None


def _edit_context(request, referral, page=None, **overrides):
    """The one-page form (ADR 0163): the draft's sections, the parents, consent and files in
    one <form>, and what is recorded already."""
    school_ids = perms.school_ids(request.user)
    if page is None:
        page = rf.OnePageForm(referral=referral, user_school_ids=school_ids)
    age = age_on(referral.child_date_of_birth) if referral else None
    context = {
        "referral": referral,
        "page": page,
        "form": page.form,
        "guardians": list(referral.guardians.listed()) if referral else [],
        "consents": list(referral.consents.select_related("guardian", "recorded_by", "withdrawn_by"))
        if referral
        else [],
        "attachments": list(referral.attachments.select_related("uploaded_by")) if referral else [],
        "age": age,
        "consent_summary": consent_summary(age),
        "consent_needed": required_givers(age),
        "problems": None,
        "problem_links": page.error_links() if page.has_errors() else [],
        "uploads_lost": page.uploads_lost(),
        "can_submit": bool(referral) and perms.can_submit(request.user, referral),
        "can_manage_consent": referral is None or perms.can_manage_consent(request.user, referral),
        "removable": {
            a.pk for a in referral.attachments.all() if perms.can_remove_attachment(request.user, a)
        }
        if referral
        else set(),
    }
    context.update(overrides)
    _place_problems(context)
    return context


def _place_problems(context):
    """Submit problems go where the eye is (ADR 0118): each field's message at that field (on
    the unbound edit form), the consent problems in the consent section, and the summary at the
    top links to both."""
    problems = context.get("problems") or []
    context["consent_problems"] = [p.message for p in problems if p.field is None]
    if not problems:
        return
    form = context["form"]
    by_field = {}
    for problem in problems:
        if problem.field is not None and problem.field in form.fields:
            by_field.setdefault(problem.field, []).append(problem.message)
    form.show_errors(by_field)
    context["problem_links"] = (
        form.error_links()
        + [("section-consent", _("Consent"), message) for message in context["consent_problems"]]
        + [(None, None, p.message) for p in problems if p.field is not None and p.field not in form.fields]
    )


@never_cache
@login_required
def edit(request, uuid):
    """The one-page form of a draft (or a returned referral): one "Save draft" for every
    section (ADR 0163)."""
    referral = _scoped(request, uuid)
    if not perms.can_edit(request.user, referral):
        raise PermissionDenied
    if request.method == "POST":
        page = rf.OnePageForm(
            request.POST, request.FILES, referral=referral, user_school_ids=perms.school_ids(request.user)
        )
        if _save(request, referral, page) is not None:
            messages.success(request, _("The draft was saved."))
            return _acted(request, referral, "draft_saved", _edit_url(referral))
        referral.refresh_from_db()
        return render(request, "referrals/form.html", _edit_context(request, referral, page=page))
    _log(request, AccessLog.Action.VIEW, referral, referral)
    return render(request, "referrals/form.html", _edit_context(request, referral))


@never_cache
@login_required
def check(request, uuid):
    """Check your answers (ADR 0163): every section with its answers and a link to change it
    on the one-page form, what submission still misses, and the submit button."""
    referral = _scoped(request, uuid)
    if not perms.can_edit(request.user, referral):
        raise PermissionDenied
    _log(request, AccessLog.Action.VIEW, referral, referral)
    form = rf.ReferralForm(instance=referral, user_school_ids=perms.school_ids(request.user))
    edit_url = _edit_url(referral)
    problems = services.submit_problems(referral)
    missing = {p.field for p in problems if p.field}
    sections = []
    for key, title, fields in form.sections():
        rows = [
            {
                "label": bound.label,
                "value": _answer(referral, bound.name),
                "change": f"{edit_url}#{_anchor(bound)}",
                "missing": bound.name in missing,
            }
            for bound, _only_for, shown in fields
            if shown
        ]
        sections.append({"key": key, "title": title, "rows": rows})
    return render(
        request,
        "referrals/check.html",
        {
            "referral": referral,
            "sections": sections,
            "guardians": list(referral.guardians.listed()),
            "consents": list(referral.consents.select_related("guardian")),
            "attachments": list(referral.attachments.select_related("uploaded_by")),
            "problems": [
                {
                    "message": p.message,
                    "href": f"{edit_url}#{_problem_anchor(form, p)}",
                }
                for p in problems
            ],
            "can_submit": perms.can_submit(request.user, referral),
            "edit_url": edit_url,
        },
    )


def _anchor(bound):
    """The id a link to the field goes to; a group of options: its first option."""
    if isinstance(bound.field.widget, (rf.forms.RadioSelect, rf.forms.CheckboxSelectMultiple)):
        return f"{bound.auto_id}_0"
    return bound.auto_id


def _problem_anchor(form, problem):
    if problem.field and problem.field in form.fields:
        return _anchor(form[problem.field])
    return f"section-{problem.section}"


def _answer(referral, name):
    """The answer to the field `name` as the check page shows it (a date stays a date)."""
    if name == "domains":
        return ", ".join(str(d.get_domain_display()) for d in referral.domains.all())
    display = getattr(referral, f"get_{name}_display", None)
    value = getattr(referral, name)
    if display is not None and value:
        return display()
    if value is None:
        return ""
    return value


def _add(request, uuid, *, allowed, bind, service, done, section, context_name, activity):
    """The separate add-steps of before the one-page form (a page still open in a tab, the
    consent ledger on the referral page): the scoped referral, the permission, the form bound by
    `bind(referral)`; valid → `service(user, referral, **cleaned_data)`, the message `done` and
    back to `section`; invalid → the page again with the form's messages. A GET (a bookmark)
    goes to the section (ADR 0163)."""
    referral = _scoped(request, uuid)
    if not allowed(request.user, referral):
        raise PermissionDenied
    if request.method != "POST":
        return redirect(_section_url(request, referral, section))
    form = bind(referral)
    if form.is_valid():
        try:
            service(request.user, referral, **form.cleaned_data)
        except ValidationError as exc:  # refused by the service (a full disk): shown at the field
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return _acted(request, referral, activity, _section_url(request, referral, section))
    if not perms.can_edit(request.user, referral):
        return _render_detail(request, referral, **{context_name: form})
    links = [(section, None, message) for message in form.non_field_errors()] + [
        (section, label, message) for _anchor_id, label, message in form.error_links()
    ]
    return render(request, "referrals/form.html", _edit_context(request, referral, problem_links=links))


@login_required
def guardian_add(request, uuid):
    return _add(
        request,
        uuid,
        allowed=perms.can_edit,
        bind=lambda referral: rf.GuardianForm(request.POST),
        service=services.add_guardian,
        done=_("The parent or guardian was added."),
        section="section-guardians",
        context_name="guardian_form",
        activity="guardian_added",
    )


@login_required
@require_POST
def guardian_remove(request, uuid, pk):
    referral = _scoped(request, uuid)
    guardian = get_object_or_404(Guardian.objects.listed(), referral=referral, pk=pk)
    services.remove_guardian(request.user, guardian)
    messages.success(request, _("The parent or guardian was removed."))
    return _acted(request, referral, "guardian_removed", f"{_edit_url(referral)}#section-guardians")


@login_required
def consent_add(request, uuid):
    return _add(
        request,
        uuid,
        allowed=perms.can_manage_consent,
        bind=lambda referral: rf.ConsentForm(request.POST, referral=referral),
        service=services.record_consent,
        done=_("The consent was recorded."),
        section="section-consent",
        context_name="consent_form",
        activity="consent_recorded",
    )


@login_required
@require_POST
def consent_withdraw(request, uuid, pk):
    referral = _scoped(request, uuid)
    consent = get_object_or_404(Consent, referral=referral, pk=pk)
    services.withdraw_consent(request.user, consent)
    messages.success(request, _("The withdrawal of consent was recorded."))
    return _acted(request, referral, "consent_withdrawn", _section_url(request, referral, "section-consent"))


@login_required
def attachment_upload(request, uuid):
    return _add(
        request,
        uuid,
        allowed=perms.can_edit,
        bind=lambda referral: rf.AttachmentForm(request.POST, request.FILES),
        service=services.upload_attachment,
        done=_("The attachment was added."),
        section="section-attachments",
        context_name="attachment_form",
        activity="attachment_added",
    )


@never_cache
@login_required
def attachment_remove(request, uuid, pk):
    """Remove a file the school added (ADR 0163): a GET asks to confirm, the POST removes."""
    referral = _scoped(request, uuid)
    attachment = get_object_or_404(Attachment, referral=referral, pk=pk)
    if not perms.can_remove_attachment(request.user, attachment):
        raise PermissionDenied
    if request.method == "POST":
        services.remove_attachment(request.user, attachment)
        messages.success(
            request, _("The attachment %(name)s was removed.") % {"name": attachment.original_name}
        )
        return _acted(request, referral, "attachment_removed", f"{_edit_url(referral)}#section-attachments")
    _log(request, AccessLog.Action.VIEW, referral, referral)
    return render(
        request, "referrals/attachment_remove.html", {"referral": referral, "attachment": attachment}
    )


@login_required
@require_POST
def document_add(request, uuid):
    """The district team adds a document to a referral it handles (ADR 0163)."""
    referral = _scoped(request, uuid)
    if not perms.can_add_document(request.user, referral):
        raise PermissionDenied
    form = rf.AttachmentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        try:
            services.add_team_document(request.user, referral, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            messages.success(request, _("The document was added."))
            return _acted(request, referral, "document_added", f"{_detail_url(referral)}#attachments")
    return _render_detail(request, referral, document_form=form)


def _edit_url(referral):
    return reverse("referrals:edit", args=[referral.uuid])


def _detail_url(referral):
    return reverse("referrals:detail", args=[referral.uuid])


def _section_url(request, referral, section):
    """A section of the edit page while the user may edit, else of the referral page."""
    if perms.can_edit(request.user, referral):
        return f"{_edit_url(referral)}#{section}"
    return f"{_detail_url(referral)}#{section}"


@login_required
def attachment_download(request, uuid, pk):
    referral = _scoped(request, uuid)
    attachment = get_object_or_404(Attachment, referral=referral, pk=pk)
    _log(request, AccessLog.Action.DOWNLOAD, attachment, referral)
    extension = mimetypes.guess_extension(attachment.content_type) or ""
    name = (
        attachment.original_name
        if attachment.original_name.lower().endswith(extension)
        else (f"{attachment.original_name}{extension}")
    )
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=name, content_type=attachment.content_type
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def submit(request, uuid):
    referral = _scoped(request, uuid)
    if not perms.can_submit(request.user, referral):
        raise PermissionDenied
    try:
        referral = services.submit(request.user, referral)
    except services.SubmitRefused as refused:
        return render(
            request, "referrals/form.html", _edit_context(request, referral, problems=refused.problems)
        )
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("referrals:detail", uuid=referral.uuid)
    messages.success(
        request, _("The referral was submitted as %(reference)s.") % {"reference": referral.reference}
    )
    return _acted(request, referral, "submit", _detail_url(referral))


# --- Detail, timeline and actions -------------------------------------------------------------


def timeline(referral):
    events = [
        {
            "kind": "event",
            "at": e.at,
            "who": e.actor,
            "label": event_label(e.action),
            "event": e,
            "note": e.note,
        }
        for e in referral.events.select_related("actor").exclude(action="draft_saved")
    ]
    notes = [
        {"kind": "message", "at": m.at, "who": m.author, "label": _("message"), "note": m.body}
        for m in referral.messages.select_related("author")
    ]
    return sorted(events + notes, key=lambda item: item["at"])


def _action_form(action, request, referral, data=None):
    return action.form(data, colleagues=perms.team_colleagues(referral), user=request.user, referral=referral)


def _render_detail(request, referral, bound=None, status=200, **extra):
    forms = []
    for name in perms.allowed_actions(request.user, referral):
        action = ACTIONS[name]
        if action.form is None:
            continue
        form = bound[1] if bound and bound[0] == name else _action_form(action, request, referral)
        forms.append({"action": name, "form": form, "label": action.button, "open": action.open})
    guardians = list(referral.guardians.listed())
    context = {
        "referral": referral,
        "timeline": timeline(referral),
        "domains": list(referral.domains.all()),
        "guardians": guardians,
        "consents": list(referral.consents.select_related("guardian", "recorded_by", "withdrawn_by")),
        "attachments": list(referral.attachments.select_related("uploaded_by")),
        "age": age_on(referral.child_date_of_birth),
        "action_forms": forms,
        "waiting": waiting_for(referral),
        "school_wait": waiting_for_school(referral),
        "can_edit": perms.can_edit(request.user, referral),
        "can_manage_consent": perms.can_manage_consent(request.user, referral),
        "message_form": rf.MessageForm() if perms.can_post_message(request.user, referral) else None,
        "consent_form": rf.ConsentForm(referral=referral, guardians=guardians),
        "feedback": _feedback_state(request.user, referral),
        "document_form": rf.AttachmentForm(prefix="document")
        if perms.can_add_document(request.user, referral)
        else None,
    }
    context["transition"] = _transition_context(request, referral, extra.pop("transition_form", None))
    context.update(extra)
    return render(request, "referrals/detail.html", context, status=status)


def _transition_context(request, referral, form=None):
    """The 18-/18+ block of the referral page (ADR 0153): shown while the task is due, or once
    a checklist exists; the form only to those who may tick it, until it is prepared."""
    record = (
        Transition.objects.filter(referral=referral)
        .select_related("adult_services_by", "municipality_contact_by", "adult_consent_by", "prepared_by")
        .first()
    )
    due = transition_rules.is_due(referral)
    if not due and record is None:
        return None
    contact = transition_rules.registry_contact(referral.home_municipality) if due else None
    if form is None and _record_open(record) and perms.can_prepare_transition(request.user, referral):
        form = rf.TransitionForm(transition=record, registry_contact=contact)
    steps = [
        {
            "label": label,
            "at": getattr(record, f"{step}_at", None),
            "by": getattr(record, f"{step}_by", None),
        }
        for step, label in TRANSITION_STEPS
    ]
    return {
        "record": record,
        "due": due,
        "birthday": transition_rules.eighteenth_birthday(referral.child_date_of_birth),
        "days_left": transition_rules.days_left(referral),
        "registry_contact": contact,
        "municipality": referral.home_municipality,
        "steps": steps,
        "form": form,
    }


def _record_open(record):
    return record is None or record.prepared_on is None


@login_required
@require_POST
def transition(request, uuid):
    """Tick the 18-/18+ checklist or mark it prepared (ADR 0153)."""
    referral = _scoped(request, uuid)
    if not perms.can_prepare_transition(request.user, referral):
        raise PermissionDenied
    record = Transition.objects.filter(referral=referral).first()
    contact = transition_rules.registry_contact(referral.home_municipality)
    form = rf.TransitionForm(request.POST, transition=record, registry_contact=contact)
    if not form.is_valid():
        return _render_detail(request, referral, transition_form=form)
    try:
        services.update_transition(request.user, referral, **form.cleaned_data)
    except services.TransitionRefused as refused:
        for field, message in refused.errors.items():
            form.add_error(field if field in form.fields else None, message)
        return _render_detail(request, referral, transition_form=form)
    messages.success(request, _("The transition checklist was saved."))
    return _acted(request, referral, "transition_updated", f"{_detail_url(referral)}#transition")


@never_cache
@login_required
def summary(request, uuid):
    """The short view for whoever is told about a referral without being a party to it: the
    home municipality's vaste contactpersoon (ADR 0095). Reference, school, status, routed team
    and whom to call; no case content. Parties see the same page. Every view is access-logged."""
    referral = get_object_or_404(
        perms.summary_referrals(request.user).select_related(
            "school__municipality", "home_municipality", "routed_team"
        ),
        uuid=uuid,
    )
    membership = perms.access_membership(request.user, referral)
    if membership is None:
        membership = next(
            (
                m
                for m in memberships(request.user)
                if m.role == Role.MUNICIPAL_OFFICER and m.municipality_id == referral.home_municipality_id
            ),
            None,
        )
    log_access(
        request.user,
        AccessLog.Action.VIEW,
        referral,
        role=membership.role if membership else "",
        organisation=membership.organisation if membership else referral.home_municipality or "",
        reference=referral.reference or "",
    )
    shared = referral.sharing_stopped_at is None
    team_contact = None
    if shared and referral.routed_team_id:
        team_contact = (
            ContactAssignment.objects.current()
            .filter(district_team_id=referral.routed_team_id)
            .select_related("person", "backup")
            .first()
        )
    return render(
        request,
        "referrals/summary.html",
        {
            "referral": referral,
            "shared": shared,
            "team_contact": team_contact,
            "is_party": perms.visible_referrals(request.user).filter(pk=referral.pk).exists(),
        },
    )


@never_cache
@login_required
def detail(request, uuid):
    referral = _scoped(request, uuid)
    _log(request, AccessLog.Action.VIEW, referral, referral)
    return _render_detail(request, referral)


@login_required
@require_POST
def act(request, uuid, action):
    """Perform a workflow action from the referral page: everything about it is its entry in
    referrals/workflow.py ACTIONS (ADR 0054)."""
    referral = _scoped(request, uuid)
    entry = ACTIONS.get(action)
    if entry is None or entry.form is None:
        raise PermissionDenied
    if not perms.may_perform(request.user, referral, action):
        return _not_possible(request, referral, entry)
    form = _action_form(entry, request, referral, request.POST)
    if not form.is_valid():
        return _render_detail(request, referral, bound=(action, form))
    try:
        entry.service(request.user, referral, **form.cleaned_data)
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("referrals:detail", uuid=referral.uuid)
    except services.SubmitRefused as refused:
        if perms.can_edit(request.user, referral):
            return render(
                request, "referrals/form.html", _edit_context(request, referral, problems=refused.problems)
            )
        raise PermissionDenied from None
    messages.success(request, _("Done: %(action)s.") % {"action": entry.button})
    return _acted(request, referral, action, _detail_url(referral))


def _not_possible(request, referral, entry):
    """A district team action the routed worker may no longer perform: someone else was first,
    so a clear message, not an error page. Anyone else: 403."""
    if entry.side != TEAM or not perms.is_routed_worker(request.user, referral):
        raise PermissionDenied
    current = Referral.objects.filter(pk=referral.pk).values_list("status", flat=True).first()
    messages.error(
        request,
        _(
            "This action is not possible: the referral is now “%(status)s”. "
            "Someone may have acted on it just before you."
        )
        % {"status": Status(current).label},
    )
    return redirect("referrals:detail", uuid=referral.uuid)


@login_required
@require_POST
def message(request, uuid):
    referral = _scoped(request, uuid)
    if not perms.can_post_message(request.user, referral):
        raise PermissionDenied
    form = rf.MessageForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, referral, message_form=form)
    services.post_message(request.user, referral, form.cleaned_data["body"])
    messages.success(request, _("The message was sent."))
    return _acted(request, referral, "message_posted", f"{_detail_url(referral)}#timeline")


# --- Triage inbox ---------------------------------------------------------------------------


@login_required
@role_required(Role.DISTRICT_WORKER)
def inbox(request):
    base = perms.visible_referrals(request.user)
    open_work = perms.open_work_by_place(base)
    schools, municipalities = perms.inbox_filter_choices(request.user, open_work)
    form = rf.InboxFilterForm(request.GET or None, schools=schools, municipalities=municipalities)
    qs = referral_tables.for_rows(base, show_municipality=True, show_assigned=True)
    data = form.cleaned_data if form.is_valid() else {}
    view = data.get("view") or ""
    if data.get("school"):
        qs = qs.filter(school_id=data["school"])
    if data.get("municipality"):
        qs = qs.filter(home_municipality_id=data["municipality"])
    if data.get("urgency"):
        qs = qs.filter(urgency=data["urgency"])
    if data.get("mine"):
        qs = qs.filter(assigned_to=request.user)
    book = NormBook()
    if data.get("over_norm"):
        # Each referral against its region's norm valid at its submission (ADR 0091).
        qs = qs.filter(selectors.over_the_norm_q(book))
    if data.get("answered"):
        qs = qs.filter(selectors.answered_q())
    if data.get("transition"):
        qs = qs.filter(transition_rules.pending_q())
    # Each work tab's count under the other filters, over open work only, so it reads the
    # index's open rows and not the team's whole history; "All" (the history too) shows no
    # count (ADR 0117). Filtered by place alone, from the open work the options were read from.
    counts = selectors.inbox_tab_counts(
        qs,
        {view_name: rf.InboxFilterForm.VIEWS[view_name] for view_name in rf.InboxFilterForm.COUNTED_VIEWS},
        open_work,
        school_id=data.get("school"),
        municipality_id=data.get("municipality"),
        by_place_only=not any(data.get(name) for name in rf.InboxFilterForm.COUNTED_FILTERS),
    )
    # The tab (ADR 0117): by default what still needs the team's decision, so that new work is
    # not mixed with accepted and running cases; then the status within the tab.
    qs = qs.filter(status__in=rf.InboxFilterForm.VIEWS[view])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    # Longest running wait first: awaiting a decision, then awaiting the start of help, then
    # the rest (declined, closed, help started).
    awaiting = Case(
        When(decided_at__isnull=True, then=Value(0)),
        When(status=Status.ACCEPTED, help_started_at__isnull=True, then=Value(1)),
        default=Value(2),
    )
    qs = qs.order_by(awaiting, "first_submitted_at", "pk")
    page = page_of(qs, request, param="page", size=PAGE_SIZE, narrow=True)
    today = timezone.localdate()
    rows = [
        {"referral": r, "waiting": waiting_for(r, today, norms=book.for_referral(r), with_due=False)}
        for r in page.rows
    ]
    _log_list(request, "inbox", page.rows, Role.DISTRICT_WORKER)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/inbox.html",
        {
            "page": page,
            "rows": rows,
            "filter_form": form,
            "query": query.urlencode(),
            "tabs": _inbox_tabs(request.GET if data else QueryDict(), view, counts),
        },
    )


def _inbox_tabs(params, current, counts):
    """The tab links keep the other filters; a status belongs to its tab and is dropped. Each
    tab shows its number of referrals under those filters."""
    tabs = []
    for view, label in rf.InboxFilterForm.VIEW_LABELS.items():
        query = QueryDict(mutable=True)
        for key, values in params.lists():
            if key not in ("view", "status", "page"):
                query.setlist(key, values)
        if view:
            query["view"] = view
        tabs.append(
            {
                "label": label,
                "query": query.urlencode(),
                "current": view == current,
                "count": counts.get(f"tab_{view}"),
            }
        )
    return tabs


# --- Cooperation feedback (ADR 0151) ---------------------------------------------------------


def _feedback_state(user, referral):
    """ "ask", "given" or None: what the referral page says about the cooperation check."""
    if not perms.feedback_party(user, referral):
        return None
    return "given" if perms.has_given_feedback(user, referral) else "ask"


@login_required
def feedback(request, uuid):
    """The two questions after a referral ended; a foreign referral is 404, a visible one the
    user was no party to (or that has not ended) 403."""
    referral = _scoped(request, uuid)
    if not perms.feedback_party(request.user, referral):
        raise PermissionDenied
    given = perms.has_given_feedback(request.user, referral)
    form = rf.CooperationFeedbackForm(request.POST if request.method == "POST" and not given else None)
    status = 200
    if request.method == "POST" and not given:
        if form.is_valid():
            try:
                services.give_feedback(request.user, referral, **form.cleaned_data)
            except services.FeedbackAlreadyGiven:
                given = True
            else:
                messages.success(request, _("Thank you: your answers have been counted, without your name."))
                return redirect("referrals:detail", uuid=referral.uuid)
        else:
            status = 400
    return render(
        request,
        "referrals/feedback.html",
        {"referral": referral, "form": form, "given": given},
        status=status,
    )


@login_required
def feedback_pending(request):
    """The ended referrals that still wait for the user's answers (the worklist's link)."""
    if not (perms.school_ids(request.user) or perms.district_team_ids(request.user)):
        raise PermissionDenied
    referrals = list(selectors.feedback_pending(request.user).select_related("school")[:200])
    role = Role.SCHOOL_COORDINATOR if perms.school_ids(request.user) else Role.DISTRICT_WORKER
    _log_list(request, "feedback_pending", referrals, role)
    rows = [{"referral": r} for r in referrals]
    return render(request, "referrals/feedback_pending.html", {"rows": rows})
