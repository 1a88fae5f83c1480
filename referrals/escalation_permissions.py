"""Who may do what with escalations and precedents (DESIGN §2, §5).

- Raise: the school coordinator of the referral's school, or a district worker of the team the
  referral is routed to, while the referral is submitted / in triage / returned / accepted.
- See an escalation: its parties (those same people) and its deciders (directors of the
  partnership and officers of the municipality fixed on the escalation when it was raised).
- Decide: a decider, while the escalation is open.
- Precedents: every professional role reads the published library; a draft is visible to and
  edited by the deciders of the escalation it came from.

The referrals app's `visible_referrals(user)` grants deciders read access to the referral
itself only while an OPEN escalation names their partnership / municipality.
"""

from django.db.models import Q

from contacts.models import Membership, Role, User
from contacts.permissions import (
    PROFESSIONAL_ROLES,
    district_team_ids,
    has_role,
    municipality_ids,
    partnership_ids,
    school_ids,
)
from referrals.models import CarriedBy, Escalation, Precedent, Referral, Side, Status

RAISABLE_STATUSES = (Status.SUBMITTED, Status.IN_TRIAGE, Status.RETURNED, Status.ACCEPTED)
PARTY_ROLES = (Role.SCHOOL_COORDINATOR, Role.DISTRICT_WORKER)
DECIDER_ROLES = (Role.PARTNERSHIP_DIRECTOR, Role.MUNICIPAL_OFFICER)
INBOX_ROLES = (*DECIDER_ROLES, *PARTY_ROLES)
LIBRARY_ROLES = PROFESSIONAL_ROLES


# --- Referrals as seen by a party ------------------------------------------------------------


def party_referrals(user):
    """Referrals of which the user is a party: own school (coordinator) or routed to own team."""
    schools, teams = school_ids(user), district_team_ids(user)
    if not schools and not teams:
        return Referral.objects.none()
    return Referral.objects.filter(Q(school_id__in=schools) | Q(routed_team_id__in=teams)).exclude(
        status=Status.DRAFT
    )


def party_sides(user, referral):
    """The sides (Side.SCHOOL, Side.DISTRICT_TEAM) the user belongs to for this referral."""
    sides = []
    if referral.school_id in school_ids(user):
        sides.append(Side.SCHOOL)
    if referral.routed_team_id and referral.routed_team_id in district_team_ids(user):
        sides.append(Side.DISTRICT_TEAM)
    return sides


def can_raise(user, referral):
    return referral.status in RAISABLE_STATUSES and bool(party_sides(user, referral))


# --- Escalations -------------------------------------------------------------------------------


def visible_escalations(user):
    """Escalations the user may see: as a decider (any state) or as a party."""
    condition = Q()
    any_condition = False
    for ids, lookup in (
        (partnership_ids(user), "partnership_id__in"),
        (municipality_ids(user), "municipality_id__in"),
        (school_ids(user), "referral__school_id__in"),
        (district_team_ids(user), "referral__routed_team_id__in"),
    ):
        if ids:
            condition |= Q(**{lookup: ids})
            any_condition = True
    if not any_condition:
        return Escalation.objects.none()
    return Escalation.objects.filter(condition)


def decider_sides(user, escalation):
    """The carrying sides the user decides for on this escalation: education (director of the
    escalation's partnership) and/or youth care (officer of its municipality)."""
    sides = []
    if escalation.partnership_id in partnership_ids(user):
        sides.append(CarriedBy.EDUCATION)
    if escalation.municipality_id in municipality_ids(user):
        sides.append(CarriedBy.YOUTH_CARE)
    return sides


def is_decider(user, escalation):
    return bool(decider_sides(user, escalation))


def can_decide(user, escalation):
    return escalation.state == Escalation.State.OPEN and is_decider(user, escalation)


def position_side(user, escalation):
    """The side whose position the user may add or update, or None.

    Raised by the school: the district team adds the other position; raised by the district
    team: the school. Raised automatically: the school's position is `raiser_position`, the
    district team's `other_position` (ADR 0060), and each side fills its own."""
    if escalation.state != Escalation.State.OPEN:
        return None
    sides = party_sides(user, escalation.referral)
    if escalation.raised_side == Side.SCHOOL and Side.DISTRICT_TEAM in sides:
        return Side.DISTRICT_TEAM
    if escalation.raised_side == Side.DISTRICT_TEAM and Side.SCHOOL in sides:
        return Side.SCHOOL
    if escalation.raised_side == Side.SYSTEM and sides:
        return sides[0]
    return None


def may_see_positions(user, escalation):
    """Positions are case text: parties always; deciders only while the escalation is open
    (their access to the case ends with the decision)."""
    if party_sides(user, escalation.referral):
        return True
    return escalation.state == Escalation.State.OPEN and is_decider(user, escalation)


def may_read_referral(user, escalation):
    """Deciders follow a link to the referral while the escalation is open."""
    return escalation.state == Escalation.State.OPEN and is_decider(user, escalation)


def decider_referral_q(user, prefix=""):
    """A Q on Referral (or, with `prefix`, on a model pointing at it) for the referrals the user
    may read as a decider: those with an OPEN escalation naming one of the user's partnerships
    (director) or municipalities (officer). For `referrals/permissions.py` to OR into
    `visible_referrals(user)`; access ends with the decision."""
    parts, municipalities = partnership_ids(user), municipality_ids(user)
    condition = Q(pk__in=[])
    if parts or municipalities:
        open_ids = Escalation.objects.filter(state=Escalation.State.OPEN).filter(
            Q(partnership_id__in=parts) | Q(municipality_id__in=municipalities)
        )
        condition = Q(**{f"{prefix}pk__in": open_ids.values("referral_id")})
    return condition


# --- People ----------------------------------------------------------------------------------


def decider_users(escalation, side=None):
    """Active users who decide on this escalation: directors of its partnership (education)
    and officers of its municipality (youth care)."""
    condition = Q()
    if side in (None, CarriedBy.EDUCATION):
        condition |= Q(role=Role.PARTNERSHIP_DIRECTOR, partnership_id=escalation.partnership_id)
    if side in (None, CarriedBy.YOUTH_CARE):
        condition |= Q(role=Role.MUNICIPAL_OFFICER, municipality_id=escalation.municipality_id)
    user_ids = Membership.objects.filter(condition).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "pk")


def party_users(referral, side=None):
    """Active users on a side of the referral: coordinators of its school, workers of its team."""
    condition = Q(pk__in=[])
    if side in (None, Side.SCHOOL):
        condition |= Q(role=Role.SCHOOL_COORDINATOR, school_id=referral.school_id)
    if side in (None, Side.DISTRICT_TEAM) and referral.routed_team_id:
        condition |= Q(role=Role.DISTRICT_WORKER, district_team_id=referral.routed_team_id)
    user_ids = Membership.objects.filter(condition).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "pk")


# --- Precedents ------------------------------------------------------------------------------


def can_use_library(user):
    return has_role(user, *LIBRARY_ROLES)


def visible_precedents(user):
    """Published precedents for every professional role, plus drafts the user may review."""
    if not can_use_library(user):
        return Precedent.objects.none()
    return Precedent.objects.filter(Q(status=Precedent.Status.PUBLISHED) | reviewable_condition(user))


def reviewable_condition(user):
    parts, municipalities = partnership_ids(user), municipality_ids(user)
    condition = Q(pk__in=[])
    if parts:
        condition |= Q(status=Precedent.Status.DRAFT, partnership_id__in=parts)
    if municipalities:
        condition |= Q(status=Precedent.Status.DRAFT, municipality_id__in=municipalities)
    return condition


def reviewable_precedents(user):
    return Precedent.objects.filter(reviewable_condition(user))


def can_edit_precedent(user, precedent):
    return precedent.status == Precedent.Status.DRAFT and (
        precedent.partnership_id in partnership_ids(user)
        or precedent.municipality_id in municipality_ids(user)
    )
