"""Escalation inbox, raising, positions, decisions and the precedent library. Thin views:
permissions in escalations/permissions.py, rules in escalations/services.py, library queries
in escalations/selectors.py."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from contacts.models import Role
from contacts.permissions import member_required, role_required
from escalations import permissions as perms
from escalations import selectors, services
from escalations import tables as precedent_tables
from escalations.anonymity import PRECEDENT_TEXT_FIELDS, identifying_findings
from escalations.forms import (
    AskMediatorForm,
    DecideForm,
    MediationOutcomeForm,
    NameMediatorForm,
    PositionForm,
    PrecedentFilter,
    PrecedentForm,
    RaiseForm,
)
from escalations.models import Escalation, Mediation, Precedent, Side
from portal.audit import follows_action, log_access, log_action
from portal.models import AccessLog
from portal.paging import page_of
from referrals.permissions import access_membership
from referrals.workflow import TransitionNotAllowed

RECENTLY_DECIDED_DAYS = 90


def _escalations(user):
    return perms.visible_escalations(user).select_related(
        "referral__school", "referral__home_municipality", "partnership", "municipality"
    )


def _referral_url(referral):
    return reverse("referrals:detail", args=[referral.uuid])


def _acting_as(user, escalation):
    """(role, organisation) under which the user reads the escalation's case, for the access
    log: the party membership (referrals.permissions), else the decider's of this open
    escalation (deciders see the positions even after the school stopped sharing the referral
    itself)."""
    membership = access_membership(user, escalation.referral) or perms.decider_membership(
        user, escalation.referral
    )
    if membership is None:
        return "", ""
    return membership.role, membership.organisation


# What the inbox's two tables show, and only that: a referral has some sixty columns, and
# building 50 of them with their schools and municipalities was most of the page's model work
# (bench/FINDINGS.md).
INBOX_COLUMNS = (
    "reason",
    "raised_side",
    "raised_at",
    "decided_at",
    "referral__reference",
    "referral__school__name",
    "municipality__name",
)


@role_required(*perms.INBOX_ROLES)
def inbox(request):
    qs = perms.visible_escalations(request.user).select_related("referral__school", "municipality")
    since = timezone.now() - datetime.timedelta(days=RECENTLY_DECIDED_DAYS)
    open_page = page_of(
        qs.filter(state=Escalation.State.OPEN).only(*INBOX_COLUMNS).order_by("raised_at", "pk"),
        request,
        "open",
    )
    decided_page = page_of(
        qs.filter(state=Escalation.State.DECIDED, decided_at__gte=since)
        .select_related("decision")
        .only(*INBOX_COLUMNS, "decision__carried_by")
        .order_by("-decided_at", "-pk"),
        request,
        "besloten",
    )
    return render(
        request,
        "escalations/inbox.html",
        {
            "open_escalations": open_page.rows,
            "open_page": open_page,
            "decided_escalations": decided_page.rows,
            "decided_page": decided_page,
            "days": RECENTLY_DECIDED_DAYS,
        },
    )


@member_required
def detail(request, pk):
    escalation = get_object_or_404(_escalations(request.user), pk=pk)
    user = request.user
    role, organisation = _acting_as(user, escalation)
    show_positions = perms.may_see_positions(user, escalation)
    decision = getattr(escalation, "decision", None) if escalation.state == Escalation.State.DECIDED else None
    show_decision_record = decision is not None and perms.may_see_decision_record(user, escalation)
    after_action = follows_action(request)  # asked always, so the marker is used up here
    if (show_positions or show_decision_record) and not after_action:
        # The page after an action is not a read: the action was logged (portal/audit.py).
        # Positions and the decision's free text are case text: every view is logged (ADR 0116).
        log_access(user, AccessLog.Action.VIEW, escalation.referral, role=role, organisation=organisation)
    precedent = None
    if decision is not None:
        precedent = Precedent.objects.filter(decision=decision).first()
        if precedent and not (
            precedent.status == Precedent.Status.PUBLISHED or perms.can_edit_precedent(user, precedent)
        ):
            precedent = None
    return render(
        request,
        "escalations/detail.html",
        {
            "escalation": escalation,
            "referral": escalation.referral,
            "show_positions": show_positions,
            "show_decision_record": show_decision_record,
            "positions": _positions(escalation),
            "decision": decision,
            "precedent": precedent,
            "can_edit_precedent": precedent is not None and perms.can_edit_precedent(user, precedent),
            "can_decide": perms.can_decide(user, escalation),
            "position_side": perms.position_side(user, escalation),
            "referral_url": _referral_url(escalation.referral)
            if perms.may_read_referral(user, escalation)
            else None,
            "deciders": list(perms.decider_users(escalation)),
            "mediation": _mediation_tried(escalation),
        },
    )


def _mediation_tried(escalation):
    """The mediation that did not settle the disagreement before this escalation (ADR 0149)."""
    return (
        Mediation.objects.filter(
            referral_id=escalation.referral_id,
            state=Mediation.State.NOT_SETTLED,
            recorded_at__lte=escalation.raised_at,
        )
        .select_related("mediator__user")
        .order_by("-recorded_at", "-pk")
        .first()
    )


def _positions(escalation):
    """[(heading, text, note)] in a fixed order: school first, then district team."""
    school_text, team_text = escalation.raiser_position, escalation.other_position
    if escalation.raised_side == Side.DISTRICT_TEAM:
        school_text, team_text = escalation.other_position, escalation.raiser_position
    rows = [(_("Position of the school"), school_text), (_("Position of the district team"), team_text)]
    if escalation.raised_side == Side.SYSTEM:
        return [(h, t, "") for h, t in rows]
    other_note = "" if escalation.other_position_by_id else _("as described by the raising side")
    if escalation.raised_side == Side.SCHOOL:
        return [(rows[0][0], rows[0][1], ""), (rows[1][0], rows[1][1], other_note if team_text else "")]
    return [(rows[0][0], rows[0][1], other_note if school_text else ""), (rows[1][0], rows[1][1], "")]


def _acted(request, escalation, activity, acting_as):
    """Log the action on the escalated referral once (with the role and organisation that
    allowed it, taken before the action) and redirect to the escalation's page."""
    role, organisation = acting_as
    to = reverse("escalations:detail", args=[escalation.pk])
    log_action(request, activity, escalation.referral, next_url=to, role=role, organisation=organisation)
    return redirect(to)


@require_http_methods(["GET", "POST"])
@role_required(*perms.PARTY_ROLES)
def raise_escalation(request, referral_uuid):
    referral = get_object_or_404(
        perms.party_referrals(request.user).select_related("school").prefetch_related("domains"),
        uuid=referral_uuid,
    )
    if referral.status == "escalated":
        open_ = referral.escalations.filter(state=Escalation.State.OPEN).first()
        if open_ is not None:
            messages.info(request, _("This referral is already escalated."))
            return redirect("escalations:detail", open_.pk)
    if not perms.may_raise_as_party(request.user, referral):
        raise PermissionDenied
    offer = perms.escalation_offer(referral)
    if not offer.offered:
        # Not yet sensible (ADR 0141): back to the referral page, which says from when.
        messages.error(request, offer.explanation)
        return redirect("referrals:detail", uuid=referral.uuid)
    form = RaiseForm(request.POST or None, similar_url=request.path)
    if request.method == "POST" and form.is_valid():
        membership = access_membership(request.user, referral)
        acting_as = (membership.role, membership.organisation) if membership else ("", "")
        try:
            escalation = services.raise_escalation(
                request.user,
                referral,
                reason=form.cleaned_data["reason"],
                position=form.cleaned_data["position"],
                other_position=form.cleaned_data["other_position"],
            )
        except TransitionNotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The referral was escalated. The deciders have been notified."))
            return _acted(request, escalation, "escalation_raised", acting_as)
    reason = form.data.get("reason") if form.is_bound else request.GET.get("reason", "")
    similar = selectors.similar_to_referral(referral, reason=reason if isinstance(reason, str) else "")
    return render(request, "escalations/raise.html", {"form": form, "referral": referral, "similar": similar})


@require_http_methods(["GET", "POST"])
@member_required
def add_position(request, pk):
    escalation = get_object_or_404(_escalations(request.user), pk=pk)
    side = perms.position_side(request.user, escalation)
    if side is None:
        raise PermissionDenied
    current = (
        escalation.raiser_position if escalation.raised_side == Side.SYSTEM and side == Side.SCHOOL else ""
    )
    if not current and escalation.other_position_by_id:
        current = escalation.other_position
    form = PositionForm(request.POST or None, initial={"position": current})
    if request.method == "POST" and form.is_valid():
        acting_as = _acting_as(request.user, escalation)
        try:
            services.add_position(request.user, escalation, form.cleaned_data["position"])
        except TransitionNotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your position was added. The deciders have been notified."))
            return _acted(request, escalation, "escalation_position", acting_as)
    return render(
        request, "escalations/position.html", {"form": form, "escalation": escalation, "side": side}
    )


@require_http_methods(["GET", "POST"])
@member_required
def decide(request, pk):
    escalation = get_object_or_404(_escalations(request.user), pk=pk)
    if not perms.can_decide(request.user, escalation):
        raise PermissionDenied
    candidates = services.agreement_candidates(request.user, escalation)
    form = DecideForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        acting_as = _acting_as(request.user, escalation)
        try:
            services.decide(
                request.user,
                escalation,
                agreed_by=data["agreed_by"],
                help=data["help"],
                carried_by=data["carried_by"],
                split=data["split"],
                rationale=data["rationale"],
                carry_out_by=data["carry_out_by"],
                assign_help=data["next_step"] == DecideForm.ASSIGN,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except TransitionNotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The decision was recorded. Review the precedent before it is published.")
            )
            return _acted(request, escalation, "escalation_decided", acting_as)
    role, organisation = _acting_as(request.user, escalation)
    log_access(request.user, AccessLog.Action.VIEW, escalation.referral, role=role, organisation=organisation)
    return render(
        request,
        "escalations/decide.html",
        {"form": form, "escalation": escalation, "positions": _positions(escalation)},
    )


# --- Precedent library ----------------------------------------------------------------------


@role_required(*perms.LIBRARY_ROLES)
def precedents(request):
    filterset = PrecedentFilter(request.GET or None, queryset=precedent_tables.for_rows(selectors.library()))
    valid = not filterset.is_bound or filterset.is_valid()
    page = page_of(filterset.qs, request) if valid else None
    results = page.rows if page else []
    drafts = list(
        precedent_tables.for_rows(
            perms.reviewable_precedents(request.user)
            .select_related("partnership__region__parent", "municipality__region__parent")
            .prefetch_related(selectors.DOMAINS)
            .order_by("-created_at")
        )
    )
    return render(
        request,
        "escalations/precedents.html",
        {
            "filter": filterset,
            "precedents": results,
            "page": page,
            "drafts": drafts,
            "searched": bool(request.GET),
        },
    )


@role_required(*perms.LIBRARY_ROLES)
def precedent_detail(request, pk):
    precedent = get_object_or_404(
        perms.visible_precedents(request.user)
        .select_related("partnership__region__parent", "municipality__region__parent")
        .prefetch_related(selectors.DOMAINS),
        pk=pk,
    )
    similar = (
        selectors.similar_to_precedent(precedent) if precedent.status == Precedent.Status.PUBLISHED else []
    )
    return render(
        request,
        "escalations/precedent.html",
        {
            "precedent": precedent,
            "similar": similar,
            "can_edit": perms.can_edit_precedent(request.user, precedent),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*perms.LIBRARY_ROLES)
def precedent_edit(request, pk):
    precedent = get_object_or_404(
        perms.visible_precedents(request.user).select_related("decision__escalation"), pk=pk
    )
    if not perms.can_edit_precedent(request.user, precedent):
        raise PermissionDenied
    publishing = "publish" in request.POST
    initial = {
        "title": precedent.title,
        "reason": precedent.reason,
        "domains": list(precedent.domains.values_list("domain", flat=True)),
        "school_type": precedent.school_type,
        "age_band": precedent.age_band,
        "summary": precedent.summary,
        "outcome": precedent.outcome,
        "carried_by": precedent.carried_by,
        "split": precedent.split,
        "rationale": precedent.rationale,
    }
    form = PrecedentForm(request.POST or None, initial=initial, publishing=publishing)
    if request.method == "POST":
        valid = form.is_valid()
        # The identifying-text check runs even when other fields are wrong, and refuses saving
        # a draft too: nothing that names the child is stored in the library.
        texts = {f: form.cleaned_data[f] for f in PRECEDENT_TEXT_FIELDS if f in form.cleaned_data}
        findings = identifying_findings(precedent, texts)
        for field, message in findings.items():
            form.add_error(field, message)
        if valid and not findings:
            data = dict(form.cleaned_data)
            data.pop("reviewed")
            domains = data.pop("domains")
            try:
                precedent = services.update_precedent(request.user, precedent, domains=domains, **data)
                if publishing:
                    services.publish_precedent(request.user, precedent)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except TransitionNotAllowed as exc:
                form.add_error(None, str(exc))
            else:
                if publishing:
                    messages.success(request, _("The precedent was published in the library."))
                    return redirect("escalations:precedent", precedent.pk)
                messages.success(request, _("The draft was saved."))
                return redirect("escalations:precedent_edit", precedent.pk)
    decision = precedent.decision
    return render(
        request,
        "escalations/precedent_edit.html",
        {"form": form, "precedent": precedent, "decision": decision},
    )


# --- Mediation before escalation (ADR 0149) ---------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.REGISTRY_ADMIN)
def mediators(request):
    regions = list(perms.admin_regions(request.user))
    region_ids = [r.pk for r in regions]
    form = NameMediatorForm(
        request.POST or None,
        regions=perms.admin_regions(request.user),
        candidates=perms.mediator_candidates(region_ids),
    )
    if len(regions) == 1:
        form.fields["region"].initial = regions[0].pk
    if request.method == "POST" and form.is_valid():
        try:
            mediator = services.name_mediator(
                request.user, region=form.cleaned_data["region"], mediator_user=form.cleaned_data["user"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("%(name)s is now a mediator of the region.")
                % {"name": mediator.user.full_name or mediator.user.email},
            )
            return redirect("escalations:mediators")
    active = (
        perms.managed_mediators(request.user)
        .active()
        .select_related("user", "region")
        .order_by("region__name", "user__full_name", "pk")
    )
    return render(request, "escalations/mediators.html", {"form": form, "mediators": list(active)})


@require_http_methods(["POST"])
@role_required(Role.REGISTRY_ADMIN)
def mediator_end(request, pk):
    mediator = get_object_or_404(perms.managed_mediators(request.user).select_related("user"), pk=pk)
    try:
        services.end_mediator(request.user, mediator)
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(name)s is no longer a mediator of the region.")
            % {"name": mediator.user.full_name or mediator.user.email},
        )
    return redirect("escalations:mediators")


@require_http_methods(["GET", "POST"])
@role_required(*perms.PARTY_ROLES)
def ask_mediator(request, referral_uuid):
    referral = get_object_or_404(
        perms.party_referrals(request.user).select_related("school__municipality__region"), uuid=referral_uuid
    )
    open_ = referral.mediations.filter(state=Mediation.State.OPEN).first()
    if open_ is not None:
        messages.info(request, _("A mediator has been asked on this referral already."))
        return redirect("escalations:mediation", open_.pk)
    if not perms.may_raise_as_party(request.user, referral):
        raise PermissionDenied
    offer = perms.escalation_offer(referral)
    if not offer.offered:
        messages.error(request, offer.explanation)
        return redirect("referrals:detail", uuid=referral.uuid)
    choices = perms.mediators_for(referral, request.user)
    if not choices.exists():
        messages.error(
            request, _("Your region has not named any mediators yet. Ask the registry administrator.")
        )
        return redirect("referrals:detail", uuid=referral.uuid)
    form = AskMediatorForm(request.POST or None, mediators=choices)
    if request.method == "POST" and form.is_valid():
        membership = access_membership(request.user, referral)
        acting_as = (membership.role, membership.organisation) if membership else ("", "")
        try:
            mediation = services.ask_mediator(
                request.user,
                referral,
                mediator=form.cleaned_data["mediator"],
                question=form.cleaned_data["question"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except (TransitionNotAllowed, PermissionDenied) as exc:
            form.add_error(None, str(exc) or _("This is not possible now."))
        else:
            messages.success(request, _("The mediator was asked and has been notified."))
            to = reverse("escalations:mediation", args=[mediation.pk])
            role, organisation = acting_as
            log_action(
                request, "mediation_asked", referral, next_url=to, role=role, organisation=organisation
            )
            return redirect(to)
    return render(request, "escalations/ask_mediator.html", {"form": form, "referral": referral})


def _mediation_acting_as(user, mediation):
    membership = access_membership(user, mediation.referral) or perms.mediator_region_membership(
        user, mediation
    )
    if membership is None:
        return "", ""
    return membership.role, membership.organisation


@require_http_methods(["GET", "POST"])
@member_required
def mediation(request, pk):
    mediation = get_object_or_404(
        perms.visible_mediations(request.user).select_related(
            "referral__school", "mediator__user", "asked_by", "recorded_by"
        ),
        pk=pk,
    )
    user = request.user
    can_record = perms.can_record_outcome(user, mediation)
    if request.method == "POST" and not can_record:
        raise PermissionDenied
    form = MediationOutcomeForm(request.POST or None) if can_record else None
    acting_as = _mediation_acting_as(user, mediation)
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        settled = data["outcome"] == MediationOutcomeForm.SETTLED
        try:
            services.record_mediation_outcome(
                user,
                mediation,
                settled=settled,
                carried_by=data["carried_by"] if settled else "",
                assign_help=settled and data["next_step"] == MediationOutcomeForm.ASSIGN,
                note=data["note"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except TransitionNotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The outcome was recorded. School and district team have been notified.")
            )
            to = reverse("escalations:mediation", args=[mediation.pk])
            role, organisation = acting_as
            log_action(
                request,
                "mediation_recorded",
                mediation.referral,
                next_url=to,
                role=role,
                organisation=organisation,
            )
            return redirect(to)
    show_texts = perms.may_see_mediation_texts(user, mediation)
    if not follows_action(request) and show_texts:
        # The disagreement is case text: every view is logged, as an escalation's positions.
        role, organisation = acting_as
        log_access(user, AccessLog.Action.VIEW, mediation.referral, role=role, organisation=organisation)
    referral_url = None
    if perms.visible_referrals_for_mediation(user, mediation):
        referral_url = _referral_url(mediation.referral)
    return render(
        request,
        "escalations/mediation.html",
        {
            "mediation": mediation,
            "referral": mediation.referral,
            "form": form,
            "referral_url": referral_url,
            "show_texts": show_texts,
        },
    )


@member_required
def my_mediations(request):
    """The mediator's own list (ADR 0162): the mediations they were asked for, open and closed,
    by the referral's reference only; the texts stay on the mediation page under its rules."""
    if not perms.is_or_was_mediator(request.user):
        raise PermissionDenied
    page = page_of(selectors.own_mediation_list(perms.own_mediations(request.user)), request)
    return render(request, "escalations/my_mediations.html", {"mediations": page.rows, "page": page})
