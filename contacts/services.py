"""Registry actions: one function per user action. Each checks permission, then changes state
inside one transaction. Assignments and tandems are never edited away: replacing one closes the
open one (valid_to) and opens a new one, so the history stays answerable.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts import permissions
from contacts.models import (
    ContactAssignment,
    DistrictTeam,
    Municipality,
    Partnership,
    Person,
    RegionNorm,
    School,
    Tandem,
)
from contacts.models import norms as limits
from portal import outbox

TARGET_MODELS = {
    "school": School,
    "municipality": Municipality,
    "partnership": Partnership,
    "district_team": DistrictTeam,
}
PERSON_AFFILIATIONS = {
    "school": "schools",
    "municipality": "municipalities",
    "partnership": "partnerships",
    "district_team": "district_teams",
}


def target_kind(target):
    for kind, model in TARGET_MODELS.items():
        if isinstance(target, model):
            return kind
    raise ValueError(f"not an assignment target: {target!r}")


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _replace_open(model, of, valid_from, too_early, concurrent, **fields):
    """Close the open period of `model` for `of` (e.g. {"school": school}) on the day before
    `valid_from` and open a new one with `fields`, in one transaction (ADR 0011). A new period
    may not start before the open one did (`too_early`, with %(date)s); a concurrent
    replacement loses on the one-open-per-target constraint (`concurrent`)."""
    try:
        with transaction.atomic():
            current = model.objects.select_for_update().open().filter(**of).first()
            if current is not None:
                if valid_from < current.valid_from:
                    raise ValidationError(
                        {"valid_from": too_early % {"date": current.valid_from.strftime("%d-%m-%Y")}}
                    )
                current.valid_to = current.closing_date(valid_from)
                current.save(update_fields=["valid_to"])
            return model.objects.create(valid_from=valid_from, **of, **fields)
    except IntegrityError as exc:
        raise ValidationError(concurrent) from exc


def _end_open(period, valid_to, already_ended):
    """Give an open period its last day `valid_to` (no successor)."""
    with transaction.atomic():
        locked = type(period).objects.select_for_update().get(pk=period.pk)
        if locked.valid_to is not None:
            raise ValidationError(already_ended)
        if valid_to < locked.valid_from:
            raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})
        locked.valid_to = valid_to
        locked.save(update_fields=["valid_to"])
        return locked


def replace_contact_assignment(actor, target, person, backup=None, valid_from=None):
    """Make `person` the fixed contact of `target` from `valid_from` (default today); the open
    assignment, if any, is closed and kept as history."""
    kind = target_kind(target)
    if not permissions.can_edit_assignment(actor, kind, target.pk):
        raise PermissionDenied
    valid_from = valid_from or timezone.localdate()
    if backup is not None and backup.pk == person.pk:
        raise ValidationError({"backup": _("The backup must be someone other than the contact person.")})
    return _replace_open(
        ContactAssignment,
        {kind: target},
        valid_from,
        _("The new contact cannot start before the current one started (%(date)s)."),
        _("Someone else changed this contact at the same moment. Reload the page and try again."),
        person=person,
        backup=backup,
        created_by=_user(actor),
    )


def end_contact_assignment(actor, assignment, valid_to=None):
    """Close an open assignment without a successor (the gap shows on the coverage page)."""
    kind = target_kind(assignment.target)
    if not permissions.can_edit_assignment(actor, kind, assignment.target.pk):
        raise PermissionDenied
    return _end_open(assignment, valid_to or timezone.localdate(), _("This assignment has already ended."))


def replace_tandem(actor, school, school_coordinator, district_worker, district_team, valid_from=None):
    """Start a new tandem for `school`; the open tandem, if any, is closed and kept as history."""
    current = Tandem.objects.open().filter(school=school).first()
    current_team = current.district_team_id if current else None
    if not permissions.can_edit_tandem(actor, school, current_team, district_team.pk):
        raise PermissionDenied
    valid_from = valid_from or timezone.localdate()
    if school_coordinator.pk == district_worker.pk:
        raise ValidationError(
            {
                "district_worker": _(
                    "The district-team worker must be someone other than the school coordinator."
                )
            }
        )
    return _replace_open(
        Tandem,
        {"school": school},
        valid_from,
        _("The new tandem cannot start before the current one started (%(date)s)."),
        _("Someone else changed this tandem at the same moment. Reload the page and try again."),
        school_coordinator=school_coordinator,
        district_worker=district_worker,
        district_team=district_team,
        created_by=_user(actor),
    )


def end_tandem(actor, tandem, valid_to=None):
    if not permissions.can_edit_tandem(actor, tandem.school, tandem.district_team_id):
        raise PermissionDenied
    return _end_open(tandem, valid_to or timezone.localdate(), _("This tandem has already ended."))


PERSON_FIELDS = ("name", "email", "phone", "function")


def create_person(actor, data, organisation=None, affiliations=None):
    """Add a contact person. Members add people to one of their own organisations
    (`organisation` is (kind, instance)); the registry admin may instead give any
    `affiliations` ({"schools": [...], ...}) or none."""
    if not permissions.can_create_person(actor):
        raise PermissionDenied
    is_admin = permissions.can_admin_registry(actor)
    if (organisation is None or affiliations is not None) and not is_admin:
        raise PermissionDenied
    if organisation is not None:
        kind, org = organisation
        if not permissions.can_edit_assignment(actor, kind, org.pk):
            raise PermissionDenied
    with transaction.atomic():
        person = Person(**{f: data.get(f, "") for f in PERSON_FIELDS})
        person.email = (person.email or "").strip().lower()
        person.full_clean()
        person.save()
        if organisation is not None:
            kind, org = organisation
            getattr(person, PERSON_AFFILIATIONS[kind]).add(org)
        _set_affiliations(actor, person, affiliations)
        return person


AFFILIATIONS = ("schools", "district_teams", "municipalities", "partnerships", "care_providers")


def update_person(actor, person, data, affiliations=None):
    """Edit a person's details; only the registry admin changes `affiliations`
    ({"schools": [...], ...}: whom the person works for)."""
    if not permissions.can_edit_person(actor, person):
        raise PermissionDenied
    if affiliations is not None and not permissions.can_admin_registry(actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        for field in PERSON_FIELDS:
            if field in data:
                setattr(locked, field, data[field])
        locked.email = locked.email.strip().lower()
        locked.full_clean()
        locked.save()
        _set_affiliations(actor, locked, affiliations)
        return locked


def _set_affiliations(actor, person, affiliations):
    """Set whom the person works for inside the actor's regions; links to organisations of
    another region are not the actor's to change and stay (ADR 0147)."""
    allowed = permissions.affiliation_querysets(actor)
    for name, objects in (affiliations or {}).items():
        if name not in AFFILIATIONS:
            continue
        chosen = {o.pk for o in objects}
        if chosen - set(allowed[name].filter(pk__in=chosen).values_list("pk", flat=True)):
            raise PermissionDenied
        kept = getattr(person, name).exclude(pk__in=allowed[name].values("pk")).values_list("pk", flat=True)
        getattr(person, name).set([*chosen, *kept])


# --- Region norms (ADR 0091) -----------------------------------------------------------------


def set_region_norms(actor, region, valid_from, decision_days, help_started_days, escalation_margin_days):
    """Set the region's own waiting-time norms from `valid_from` on (a new, append-only row).
    Refused (PermissionDenied) unless the actor is the region's steering member or registry
    administrator; ValidationError per field for a start before tomorrow (the norms of days that
    began stay as they were: referrals submitted then keep them) or numbers out of range."""
    if not permissions.can_set_norms(actor, region):
        raise PermissionDenied
    errors = {}
    if valid_from is None or valid_from <= timezone.localdate():
        errors["valid_from"] = limits.PAST_START_MESSAGE
    bounds = {
        "decision_days": (decision_days, limits.DECISION_DAYS_MAX),
        "help_started_days": (help_started_days, limits.HELP_STARTED_DAYS_MAX),
        "escalation_margin_days": (escalation_margin_days, limits.MARGIN_DAYS_MAX),
    }
    for name, (value, maximum) in bounds.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= maximum:
            errors[name] = limits.DAYS_RANGE_MESSAGE % {"max": maximum}
    if (
        "decision_days" not in errors
        and "help_started_days" not in errors
        and help_started_days < decision_days
    ):
        errors["help_started_days"] = limits.HELP_BEFORE_DECISION_MESSAGE % {"n": decision_days}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return RegionNorm.objects.create(
            region=region,
            valid_from=valid_from,
            decision_days=decision_days,
            help_started_days=help_started_days,
            escalation_margin_days=escalation_margin_days,
            set_by=actor,
        )


# --- The outbox (ADR 0130) -----------------------------------------------------------------


def retry_outbox_message(user, pk):
    """The registry administrator puts one failed outbox row back to pending ("retry now").
    Returns False when the row is not failed (any more)."""
    if not permissions.can_admin_registry(user):
        raise PermissionDenied
    return outbox.retry(pk)
