"""The access-log viewer (NEN 7513): only the privacy officer reads the log, and every read
or export of the log is itself written to the log (ADR 0045)."""

import datetime

from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from contacts.models import Role, User
from contacts.permissions import privacy_officer_region_ids, registry_cached, users_in_regions_q
from portal.audit import log_access
from portal.models import AccessLog
from referrals.models import ListedReference
from referrals.views import LIST_OBJECT_TYPE, event_label
from security.models import StepKind

OBJECT_TYPE = "portal.accesslog"


def region_users(officer):
    """The users whose log rows the officer reads: those holding a membership in a region the
    officer is privacy officer of (ADR 0123; another role elsewhere adds no region). A row of
    another region's user does not exist for them."""
    regions = sorted(privacy_officer_region_ids(officer))
    # A list, not a subquery: PostgreSQL then walks the log newest first and checks each row's
    # user against it, instead of a semi-join per row (21 ms at a million rows; bench/FINDINGS.md).
    # Cached with the registry: a new member of the region counts from the next request.

    def load():
        return list(User.objects.filter(users_in_regions_q(regions, prefix="")).values_list("pk", flat=True))

    return registry_cached("region-users", load, *regions)


def filtered_entries(cleaned, officer):
    """The log entries of the officer's region matching a valid AccessLogFilterForm's cleaned
    data, newest first."""
    qs = AccessLog.objects.filter(user__any_of=region_users(officer)).select_related("user")
    if cleaned.get("reference"):
        # A read of the referral itself, or a list page that showed it (ADR 0098).
        reference = cleaned["reference"].strip()
        listed = ListedReference.objects.filter(reference__iexact=reference).values("entry_id")
        qs = qs.filter(Q(object_reference__iexact=reference) | Q(pk__in=listed))
    if cleaned.get("user"):
        qs = qs.filter(user__email__iexact=cleaned["user"].strip())
    tz = timezone.get_current_timezone()
    if cleaned.get("date_from"):
        qs = qs.filter(at__gte=datetime.datetime.combine(cleaned["date_from"], datetime.time.min, tz))
    if cleaned.get("date_to"):
        end = cleaned["date_to"] + datetime.timedelta(days=1)
        qs = qs.filter(at__lt=datetime.datetime.combine(end, datetime.time.min, tz))
    return qs.order_by("-at", "-id")


# Object types that are not a model of their own, and the pages a list entry names.
KINDS = {
    OBJECT_TYPE: _("Access log"),
    LIST_OBJECT_TYPE: _("List of referrals"),
    "reporting.figures": _("Figures"),
}
LIST_PAGES = {
    "school_list": _("the school's referrals"),
    "inbox": _("triage inbox"),
    "list": _("list"),
    "feedback_pending": _("cooperation checks to answer"),
}
# What was done (AccessLog.activity, and the step after a data-subject request's or a breach's
# object type): the referral's actions and events speak the timeline's words.
ACTIVITIES = {
    "message_posted": _("message sent"),
    "escalation_raised": _("escalated to the deciders"),
    "escalation_position": _("position added"),
    "escalation_decided": _("decision recorded"),
    "mediation_asked": _("a mediator was asked"),
    "mediation_recorded": _("outcome of the mediation recorded"),
    "two_factor_reset": _("two-step verification reset"),
    "invitation_sent": _("invitation sent"),
    "invitation_resent": _("invitation sent again"),
    "invitation_accepted": _("invitation accepted"),
    "transition_updated": _("18+ transition checklist saved"),
    "freeze": _("startfoto frozen"),
}
STEPS = {
    **{kind.value: kind.label for kind in StepKind},
    "recorded": _("recorded"),
    "named": _("reference number named"),
    "decided": _("decided"),
    "notification": _("notification recorded"),
    "scope": _("scope looked up in the access log"),
}


def role_label(code, labels=None):
    """`labels`: `role_labels()`, when the caller describes many entries."""
    labels = labels if labels is not None else role_labels()
    return labels.get(code, code)


def role_labels():
    """{value: label} of the roles in the current language, capitalised as the viewer shows them."""
    return {value: capfirst(label) for value, label in Role.choices}


def activity_label(code):
    return ACTIVITIES.get(code) or event_label(code)


def object_label(entry):
    """The object's kind in words and what names it: "Aanmelding AJS-2026-00042", "Bijlage
    AJS-2026-00042", "Verzoek van betrokkene 12 (antwoord verstuurd)". From the row alone, no
    query: a referral's reference number is stored with every row about it."""
    object_type, step = entry.object_type, ""
    kind = KINDS.get(object_type)
    if kind is None:
        app_label, _dot, rest = object_type.partition(".")
        model_name, _dot, step = rest.partition(".")
        try:
            kind = capfirst(apps.get_model(app_label, model_name)._meta.verbose_name)
        except (LookupError, ValueError):
            kind, step = object_type, ""
    if object_type == LIST_OBJECT_TYPE:
        name = LIST_PAGES.get(entry.object_id, entry.object_id)
    elif entry.object_id in ("log", "list"):
        name = LIST_PAGES["list"] if entry.object_id == "list" else ""
    else:
        name = entry.object_reference or entry.object_id
    label = f"{kind} {name}".strip()
    return f"{label} ({STEPS.get(step, step)})" if step else label


def action_labels():
    """{value: label} of AccessLog.Action in the current language, for describing many entries
    (`get_action_display` looks each one up anew)."""
    return {value: str(label) for value, label in AccessLog.Action.choices}


def action_label(entry, actions=None):
    """`actions`: `action_labels()`, when the caller describes many entries."""
    action = actions[entry.action] if actions is not None else entry.get_action_display()
    if entry.action == AccessLog.Action.CHANGE and entry.activity:
        return f"{action}: {activity_label(entry.activity)}"
    return action


def describe(entries):
    """Give every entry of a page of the viewer its role, action and object in words, and its
    `references` (shown_references). The references a list page showed come in one query of
    (entry, reference, id) rows for all entries: a page of 50 list views names about a
    thousand, too many to build a model object for each (bench/FINDINGS.md)."""
    actions, roles = action_labels(), role_labels()
    listed = {}
    rows = ListedReference.objects.filter(entry__in=[entry.pk for entry in entries]).order_by("pk")
    for entry_id, reference, referral_pk in rows.values_list("entry_id", "reference", "referral_pk"):
        listed.setdefault(entry_id, []).append(ListedReference.label(reference, referral_pk))
    for entry in entries:
        entry.role_label = role_label(entry.role, roles)
        entry.action_label = action_label(entry, actions)
        entry.object_label = object_label(entry)
        references = listed.get(entry.pk)
        entry.references = ", ".join(references) if references else entry.object_reference
    return entries


def with_listed_references(entries):
    """`entries` (filtered_entries) with their listed references, for shown_references."""
    return entries.prefetch_related("listed_references")


def shown_references(entry):
    """The reference numbers an entry is about: its own, or those a list page showed (drafts,
    which have none, as their id). The entry comes from with_listed_references."""
    listed = [str(item) for item in entry.listed_references.all()]
    return ", ".join(listed) if listed else entry.object_reference


def record_log_read(user, action, cleaned):
    """Log that `user` read (VIEW) or exported (EXPORT) the access log. The child filter is
    kept as the reference, so reads about one child show up when that child is looked up."""
    return log_access(
        user,
        action,
        role="privacy_officer",
        object_type=OBJECT_TYPE,
        object_id="log",
        reference=(cleaned.get("reference") or "").strip()[:64],
    )
