"""Registry actions: one function per user action. Each checks permission, then changes state
inside one transaction. Assignments and tandems are never edited away: replacing one closes the
open one (valid_to) and opens a new one, so the history stays answerable.
"""

import logging
from datetime import timedelta
from importlib import import_module

from axes.utils import reset as reset_axes
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from contacts import permissions
from contacts.models import (
    ContactAssignment,
    DistrictTeam,
    Invitation,
    Membership,
    MembershipRecord,
    Municipality,
    Partnership,
    Person,
    Region,
    RegionNorm,
    Role,
    School,
    Tandem,
    User,
)
from contacts.models import norms as limits
from contacts.models.accounts import ROLE_ORGANISATION_FIELD
from contacts.models.invitations import split_token
from portal import outbox, theme
from portal.audit import log_access
from portal.models import AccessLog, RegionTheme

logger = logging.getLogger(__name__)

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
                        {
                            "valid_from": too_early
                            % {"date": date_format(current.valid_from, "SHORT_DATE_FORMAT")}
                        }
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


# --- Accounts and memberships (ADR 0137) -----------------------------------------------------

ORGANISATION_MODELS = {**TARGET_MODELS, "region": Region}
ORGANISATION_LABELS = {
    "school": _("a school"),
    "district_team": _("a district team"),
    "partnership": _("a partnership"),
    "municipality": _("a municipality"),
    "region": _("a region"),
}


def organisation_kind(organisation):
    for kind, model in ORGANISATION_MODELS.items():
        if isinstance(organisation, model):
            return kind
    raise ValueError(f"not an organisation: {organisation!r}")


def end_sessions(user):
    """Delete every session of the user (they are logged out on their next request), through
    the session store, so that a cached copy goes too (SESSION_ENGINE cached_db); returns how
    many were ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store().delete(session.session_key)
            ended += 1
    return ended


def remove_two_factor(user):
    """Remove the user's two-step verification devices and recovery codes, end their sessions
    and clear their failed attempts: at the next login a user who must use it enrols again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    end_sessions(user)
    reset_axes(username=user.get_username().lower())


def _check_manager(actor):
    if not permissions.can_manage_accounts(actor):
        raise PermissionDenied


def _managed_account(actor, user):
    """The account as the actor may manage it, locked; a foreign region's account is a 404."""
    _check_manager(actor)
    account = permissions.manageable_accounts(actor).select_for_update().filter(pk=user.pk).first()
    if account is None:
        raise Http404
    return account


def _account_region(actor, user):
    """The actor's region in which `user` holds (or held) a membership: the record's region."""
    ids = permissions.home_region_ids(actor)
    for m in Membership.objects.filter(user=user).select_related(
        "school__municipality__region",
        "district_team__municipality__region",
        "partnership__region",
        "municipality__region",
        "region",
    ):
        region_id = permissions.membership_region_id(m)
        if region_id in ids:
            return region_id
    return min(ids)


def _record(actor, kind, user, region_id, membership=None, ended_on=None):
    return MembershipRecord.objects.create(
        kind=kind,
        actor=_user(actor),
        user=user,
        user_name=f"{user.full_name} ({user.email})"[:250],
        membership=membership,
        role=membership.role if membership else "",
        organisation=str(membership.organisation)[:250] if membership else "",
        region_id=region_id,
        ended_on=ended_on,
    )


def _has_foreign_memberships(actor, user):
    """True when the user holds a current membership outside the actor's region: the account
    is then shared with another region's administrator, who keeps their part (ADR 0137)."""
    own = permissions.manageable_memberships(actor).values("pk")
    return Membership.objects.current().filter(user=user).exclude(pk__in=own).exists()


def add_membership(actor, user, role, organisation):
    """Give `user` the `role` in `organisation` (of the actor's region). ValidationError at
    "role" for a role the organisation cannot hold, at "organisation" for a foreign
    organisation or a current membership that already exists."""
    kind = organisation_kind(organisation)
    try:
        role = Role(role)
    except ValueError as exc:
        raise ValidationError({"role": _("Choose a role from the list.")}) from exc
    if ROLE_ORGANISATION_FIELD[role] != kind:
        raise ValidationError(
            {
                "role": _("%(organisation)s cannot hold the role %(role)s; choose %(kind)s for it.")
                % {
                    "organisation": organisation,
                    "role": role.label,
                    "kind": ORGANISATION_LABELS[ROLE_ORGANISATION_FIELD[role]],
                }
            }
        )
    try:
        with transaction.atomic():
            account = _managed_account(actor, user)
            model = ORGANISATION_MODELS[kind]
            in_region = model.objects.filter(permissions.admin_region_q(actor, kind), pk=organisation.pk)
            if not in_region.exists():
                raise ValidationError({"organisation": _("Choose an organisation of your own region.")})
            if Membership.objects.current().filter(user=account, role=role, **{kind: organisation}).exists():
                raise ValidationError(
                    {"organisation": _("This person already holds this role in this organisation.")}
                )
            membership = Membership.objects.create(user=account, role=role, **{kind: organisation})
            _record(
                actor,
                MembershipRecord.Kind.ADDED,
                account,
                permissions.membership_region_id(membership),
                membership,
            )
            return membership
    except IntegrityError as exc:
        raise ValidationError(
            {"organisation": _("This person already holds this role in this organisation.")}
        ) from exc


def end_membership(actor, membership, ended_on):
    """End a current membership on `ended_on` (today or earlier, not before it began); it is
    kept as history and grants nothing from then on (ADR 0137)."""
    _check_manager(actor)
    with transaction.atomic():
        locked = (
            permissions.manageable_memberships(actor)
            .select_for_update(of=("self",))
            .filter(pk=membership.pk)
            .first()
        )
        if locked is None:
            raise Http404
        if locked.ended_on is not None:
            raise ValidationError(_("This membership has already ended."))
        if ended_on is None:
            raise ValidationError({"ended_on": _("Enter the last day of the membership.")})
        if ended_on > timezone.localdate():
            raise ValidationError(
                {"ended_on": _("Choose today or an earlier day: a membership ends at once.")}
            )
        started = timezone.localdate(locked.created_at)
        if ended_on < started:
            raise ValidationError(
                {
                    "ended_on": _("The membership cannot end before it began (%(date)s).")
                    % {"date": date_format(started, "SHORT_DATE_FORMAT")}
                }
            )
        if locked.user_id == actor.pk and locked.role == Role.REGISTRY_ADMIN:
            raise ValidationError(_("You cannot end your own administrator role; ask another administrator."))
        locked.ended_on = ended_on
        locked.save(update_fields=["ended_on"])
        _record(
            actor,
            MembershipRecord.Kind.ENDED,
            locked.user,
            permissions.membership_region_id(locked),
            locked,
            ended_on=ended_on,
        )
        return locked


def deactivate_account(actor, user):
    """The account can no longer log in and all its sessions end at once."""
    with transaction.atomic():
        account = _managed_account(actor, user)
        if account.pk == actor.pk:
            raise ValidationError(_("You cannot deactivate your own account."))
        if not account.is_active:
            raise ValidationError(_("This account has already been deactivated."))
        if _has_foreign_memberships(actor, account):
            raise ValidationError(
                _(
                    "This person also holds roles in another region; end the memberships of "
                    "your region instead."
                )
            )
        account.is_active = False
        account.save(update_fields=["is_active"])
        _record(actor, MembershipRecord.Kind.DEACTIVATED, account, _account_region(actor, account))
        end_sessions(account)
    logger.info("account deactivated by an administrator user=%s", account.pk)
    return account


def reactivate_account(actor, user):
    with transaction.atomic():
        account = _managed_account(actor, user)
        if account.is_active:
            raise ValidationError(_("This account is active."))
        if _has_foreign_memberships(actor, account):
            raise ValidationError(_("This person also holds roles in another region."))
        account.is_active = True
        account.save(update_fields=["is_active"])
        _record(actor, MembershipRecord.Kind.REACTIVATED, account, _account_region(actor, account))
    return account


def reset_account_two_factor(actor, user):
    """Remove the person's two-step verification: they enrol again at their next login."""
    with transaction.atomic():
        account = _managed_account(actor, user)
        if account.pk == actor.pk:
            raise ValidationError(
                _("You cannot reset your own two-step verification; ask another administrator.")
            )
        _record(actor, MembershipRecord.Kind.TWO_FACTOR_RESET, account, _account_region(actor, account))
        remove_two_factor(account)
    logger.warning("two-factor authentication reset by an administrator user=%s", account.pk)
    return account


# --- Invitations (ADR 0135) ------------------------------------------------------------------

INVITATION_EMAIL_TASK = "contacts.send_invitation_email"
ORGANISATION_MODELS = {
    "school": School,
    "district_team": DistrictTeam,
    "partnership": Partnership,
    "municipality": Municipality,
    "region": Region,
}
ORGANISATION_KIND_LABELS = {
    "school": gettext_lazy("a school"),
    "district_team": gettext_lazy("a district team"),
    "partnership": gettext_lazy("a partnership"),
    "municipality": gettext_lazy("a municipality"),
    "region": gettext_lazy("the region"),
}


class InvitationInvalid(Exception):
    """The link of an invitation cannot be used; `reason` says why ("invalid", "used", "expired")."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _organisation_field(organisation):
    for field, model in ORGANISATION_MODELS.items():
        if isinstance(organisation, model):
            return field
    return None


def _clean_text(value):
    return value.strip() if isinstance(value, str) else ""


def _invitation_errors(email, full_name, organisation, role):
    """Field-keyed messages for the invitation's input, and the cleaned (email, full_name, role)."""
    errors = {}
    email, full_name = _clean_text(email).lower(), _clean_text(full_name)
    if not email:
        errors["email"] = _("Enter the e-mail address.")
    elif "\x00" in email or len(email) > 254:
        errors["email"] = _("Enter a valid e-mail address.")
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    if not full_name:
        errors["full_name"] = _("Enter the name.")
    elif "\x00" in full_name or len(full_name) > 200:
        errors["full_name"] = _("Enter a name of at most 200 characters, without special characters.")
    try:
        role = Role(role)
    except ValueError:
        errors["role"] = _("Choose one of the roles.")
        role = None
    field = _organisation_field(organisation)
    if field is None:
        errors["organisation"] = _("Choose an organisation.")
    elif role is not None and ROLE_ORGANISATION_FIELD[role] != field:
        errors["role"] = _("This role is held for %(kind)s; choose another role or organisation.") % {
            "kind": ORGANISATION_KIND_LABELS[ROLE_ORGANISATION_FIELD[role]]
        }
    return errors, email, full_name, role


def _audit(user, activity, invitation, organisation):
    role = Role.REGISTRY_ADMIN if activity != "invitation_accepted" else invitation.membership.role
    log_access(
        user,
        AccessLog.Action.CHANGE,
        invitation,
        role=role,
        organisation=organisation,
        activity=activity,
    )


def _queue_invitation_email(invitation):
    outbox.enqueue(INVITATION_EMAIL_TASK, f"invitation:{invitation.pk}", invitation_id=invitation.pk)


def _expiry(now):
    return now + timedelta(days=settings.TANDEM_INVITATION_DAYS)


def invite_person(actor, *, email, full_name, organisation, role):
    """Invite a person into `role` at `organisation` (a school, district team, partnership,
    municipality or region): the membership is created now, for a new inactive account without
    a usable password or for the existing account of that e-mail address (a person may work in
    two regions), and the e-mail with the one-time link is queued in the outbox. Refused
    (PermissionDenied) unless the actor administers the registry of the organisation's region;
    ValidationError with a message per field (email, full_name, organisation, role) for bad
    input. Returns the Invitation."""
    if not permissions.can_invite(actor):
        raise PermissionDenied
    if _organisation_field(organisation) is not None and not permissions.can_invite(actor, organisation):
        raise PermissionDenied
    errors, email, full_name, role = _invitation_errors(email, full_name, organisation, role)
    if errors:
        raise ValidationError(errors)
    field = ROLE_ORGANISATION_FIELD[role]
    now = timezone.now()
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().filter(email__iexact=email).first()
            if user is not None and not user.is_active and user.has_usable_password():
                raise ValidationError(
                    {
                        "email": _(
                            "The account of this e-mail address is switched off; switch it on again "
                            "on its account page first."
                        )
                    }
                )
            if user is not None:
                existing = (
                    Membership.objects.current().filter(user=user, role=role, **{field: organisation}).first()
                )
                if existing is not None:
                    if existing.invitations.filter(accepted_at__isnull=True).exists():
                        message = _(
                            "This person has already been invited for this role here; send the "
                            "invitation again instead."
                        )
                    else:
                        message = _("This person already holds this role at this organisation.")
                    raise ValidationError({"email": message})
            if user is None:
                user = User.objects.create_user(email, password=None, full_name=full_name, is_active=False)
            membership = Membership.objects.create(user=user, role=role, **{field: organisation})
            invitation = Invitation.objects.create(
                user=user,
                membership=membership,
                invited_by=actor,
                created_at=now,
                expires_at=_expiry(now),
            )
            _record(
                actor,
                MembershipRecord.Kind.INVITED,
                user,
                permissions.membership_region_id(membership),
                membership,
            )
            _queue_invitation_email(invitation)
            _audit(actor, "invitation_sent", invitation, organisation)
            return invitation
    except IntegrityError as exc:  # the same person invited at the same moment
        raise ValidationError(
            {"email": _("This person has just been invited for this role. Reload the page.")}
        ) from exc


def resend_invitation(actor, invitation):
    """Send an open or expired invitation again: the old link stops working at once, the new
    one (made when the e-mail goes out) is valid TANDEM_INVITATION_DAYS from now."""
    if not permissions.can_manage_invitation(actor, invitation):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise ValidationError(_("This invitation has already been accepted."))
        locked.selector = ""
        locked.token_hash = ""
        locked.emailed_at = None
        locked.expires_at = _expiry(now)
        locked.times_sent += 1
        locked.save(update_fields=["selector", "token_hash", "emailed_at", "expires_at", "times_sent"])
        _queue_invitation_email(locked)
        _audit(actor, "invitation_resent", locked, invitation.membership.organisation)
        return locked


def invitation_for_token(token, *, lock=False):
    """The invitation a link's token belongs to, or InvitationInvalid: "invalid" (forged, or
    replaced by a resend), "used" or "expired"."""
    parts = split_token(token)
    if parts is None or "\x00" in token:
        raise InvitationInvalid("invalid")
    selector, verifier = parts
    queryset = Invitation.objects.select_related("user", "membership")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(selector=selector).first()
    if invitation is None or not invitation.matches(verifier):
        raise InvitationInvalid("invalid")
    state = invitation.state()
    if state == Invitation.State.ACCEPTED:
        raise InvitationInvalid("used")
    if state == Invitation.State.EXPIRED:
        raise InvitationInvalid("expired")
    return invitation


def invitation_needs_password(invitation):
    """A new account sets its password on acceptance; an existing one keeps its own."""
    return not invitation.user.has_usable_password()


def accept_invitations_by_sso(user):
    """The first single sign-on of an invited person (ADR 0138): with an open invitation (not
    accepted, not expired) the inactive account is switched on and its open invitations count
    as accepted, so their links stop working. Returns False, changing nothing, for an account
    without one: an account an administrator switched off stays off. Call inside a
    transaction that holds the user's row."""
    now = timezone.now()
    invitations = list(
        Invitation.objects.select_for_update()
        .select_related("membership")
        .filter(user=user, accepted_at__isnull=True, expires_at__gt=now)
    )
    if not invitations:
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    for invitation in invitations:
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
        _audit(user, "invitation_accepted", invitation, invitation.membership.organisation)
    return True


def accept_invitation(token, password=None):
    """Accept the invitation of a link: a new account sets `password` (checked with
    AUTH_PASSWORD_VALIDATORS, ValidationError {"password": [...]}) and becomes active; an
    existing account keeps its password (`password` is not used). The link then no longer
    works. InvitationInvalid for a forged, replaced, used or expired link. Returns the user."""
    with transaction.atomic():
        invitation = invitation_for_token(token, lock=True)
        user = User.objects.select_for_update().get(pk=invitation.user_id)
        if not user.has_usable_password():
            if not isinstance(password, str) or not password or "\x00" in password:
                raise ValidationError({"password": [_("Enter a password.")]})
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise ValidationError({"password": exc.messages}) from exc
            user.set_password(password)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
        # The selector and hash stay, so the link, used again, says "already used".
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        _audit(user, "invitation_accepted", invitation, invitation.membership.organisation)
        return user


# --- The region's house style (ADR 0164) ----------------------------------------------------


def set_region_theme(
    actor,
    region,
    *,
    display_name,
    primary_color,
    primary_text_color,
    link_color="",
    logo=None,
    remove_logo=False,
    favicon=None,
    remove_favicon=False,
):
    """Save the region's theme. Refused (PermissionDenied) unless the actor is the region's
    registry administrator; ValidationError per field for colours that are not "#rrggbb" or
    below WCAG AA contrast (nothing is saved then). `logo`/`favicon`: (bytes, content type) as
    portal.theme_images.validate_image returns it, or None to keep the current one."""
    if not permissions.can_edit_theme(actor, region):
        raise PermissionDenied
    colours = {
        "primary_color": primary_color,
        "primary_text_color": primary_text_color,
        "link_color": link_color,
    }
    errors = {
        name: _("Enter a colour as # and six hexadecimal digits, e.g. #0b4f6c.")
        for name, value in colours.items()
        if (value or name != "link_color") and not theme.HEX_COLOUR.match(value or "")
    }
    if not display_name or not display_name.strip():
        errors["display_name"] = _("This field is required.")
    if not errors:
        for name, (ratio, background) in theme.contrast_problems(
            primary_color, primary_text_color, link_color
        ).items():
            errors[name] = theme.contrast_message(name, ratio, background)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = RegionTheme.objects.select_for_update().filter(region=region).first()
        row = row or RegionTheme(region=region)
        row.display_name = display_name.strip()
        row.primary_color = primary_color
        row.primary_text_color = primary_text_color
        row.link_color = link_color or ""
        if remove_logo:
            row.logo, row.logo_type = b"", ""
        elif logo is not None:
            row.logo, row.logo_type = logo
        if remove_favicon:
            row.favicon, row.favicon_type = b"", ""
        elif favicon is not None:
            row.favicon, row.favicon_type = favicon
        row.version = theme.version_of(
            row.display_name,
            row.primary_color,
            row.primary_text_color,
            row.link_color,
            row.logo_type,
            bytes(row.logo),
            row.favicon_type,
            bytes(row.favicon),
        )
        row.updated_by = actor
        row.save()
        # The cached theme goes now; once committed, the new one takes its place.
        theme.forget(region.pk)
        transaction.on_commit(lambda: theme.remember(region.pk, row))
    logger.info("region theme saved", extra={"region_id": region.pk, "version": row.version})
    return row
