"""Who may do what with escalations and precedents (ADR 0060, 0061, 0062).

- Parties: who is a party to a referral is referrals' one definition
  (`referrals.permissions.party_condition` and friends): the school's coordinators, and the
  district workers of the routed team or of the team holding the school's tandem, once the
  referral is submitted and while the school shares it.
- Raise: a party, while the referral is submitted / in triage / returned / accepted, and only
  once escalating makes sense (ADR 0141): the district team has answered (returned it with a
  question, or decided on it) or let the decision norm pass. `escalation_offer` says which,
  and from when, for the referral page.
- See an escalation: its parties and its deciders (directors of the partnership and officers
  of the municipality fixed on the escalation when it was raised).
- Decide: a decider, while the escalation is open.
- Precedents: every professional role reads the published library; a draft is visible to and
  edited by the deciders of the escalation it came from.

- Mediation (ADR 0149): the registry administrator names and ends the mediators of the own
  region; a party asks one of them while escalating makes sense and no mediation is open (an
  open mediation holds the escalation back until its outcome is recorded); the parties and the
  mediator see the mediation, the mediator records its outcome. `MEDIATOR_GRANT` lets the
  mediator read the referral while the mediation is open, like a decider.

`DECIDER_GRANT`, registered with `referrals.permissions.register_reader` in apps.py, lets the
deciders read the referral itself only while an OPEN escalation names their partnership /
municipality (and, as for every grant, not after the sharing stopped).
"""

from dataclasses import dataclass

from django.db.models import Exists, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contacts.models import Membership, Region, Role, User
from contacts.norms import referral_region_id
from contacts.permissions import (
    PROFESSIONAL_ROLES,
    has_role,
    membership_region_id,
    memberships,
    memberships_in_regions_q,
    municipality_ids,
    partnership_ids,
    registry_admin_region_ids,
    user_flag,
)
from escalations.models import CarriedBy, Escalation, Mediation, Mediator, Precedent, Side
from portal.workdays import add_working_days
from referrals.models import Referral, Status
from referrals.permissions import ReadGrant, is_school_party, is_team_party, party_condition
from referrals.waiting import waiting_for

RAISABLE_STATUSES = (Status.SUBMITTED, Status.IN_TRIAGE, Status.RETURNED, Status.ACCEPTED, Status.DECLINED)
PARTY_ROLES = (Role.SCHOOL_COORDINATOR, Role.DISTRICT_WORKER)
DECIDER_ROLES = (Role.PARTNERSHIP_DIRECTOR, Role.MUNICIPAL_OFFICER)
INBOX_ROLES = (*DECIDER_ROLES, *PARTY_ROLES)
LIBRARY_ROLES = PROFESSIONAL_ROLES


# --- Referrals as seen by a party ------------------------------------------------------------


def party_referrals(user):
    """Referrals of which the user is a party (referrals' definition)."""
    return Referral.objects.filter(party_condition(user))


def party_sides(user, referral):
    """The sides (Side.SCHOOL, Side.DISTRICT_TEAM) the user belongs to for this referral."""
    sides = []
    if is_school_party(user, referral):
        sides.append(Side.SCHOOL)
    if is_team_party(user, referral):
        sides.append(Side.DISTRICT_TEAM)
    return sides


# The team answered: it returned the referral with a question (also once the school resubmitted
# it) or it decided (accepted; a declined referral is final and no longer escalated).
TEAM_ANSWER_ACTIONS = ("return", "accept")


@dataclass(frozen=True)
class EscalationOffer:
    """Whether escalating `referral` makes sense now (ADR 0141), and if not, when it will:
    `opens_on` is the day after the last working day within the decision norm."""

    offered: bool
    because: str = ""
    opens_on: object = None
    mediating: bool = False  # a mediator was asked and has not recorded the outcome (ADR 0149)

    @property
    def explanation(self):
        if self.offered:
            return self.because
        if self.mediating:
            return _(
                "A mediator has been asked. Escalating to the deciders is possible again once the "
                "mediator has recorded the outcome."
            )
        if self.opens_on is not None:
            return _(
                "Escalating to the deciders becomes possible once the district team has answered "
                "(returned the referral with a question, or decided), or when the decision norm has "
                "passed: from %(date)s."
            ) % {"date": date_format(self.opens_on, "DATE_FORMAT")}
        return _(
            "Escalating to the deciders is possible once the district team has answered "
            "(returned the referral with a question, or decided), or when the decision norm has passed."
        )


_UNKNOWN = object()


def escalation_offer(referral, today=None, waiting=_UNKNOWN, mediations=None):
    """Escalation makes sense when the district team has answered (returned, accepted or
    declined) or let the decision norm pass; not right after the submission, before the team
    has looked. `waiting` (referrals.waiting.waiting_for of today) saves its lookup when the
    caller has it, as the referral page does; so does `mediations`, all of the referral's
    mediations, for the question whether one is open."""
    if referral.status not in RAISABLE_STATUSES:
        return EscalationOffer(False)
    if mediations is not None:
        mediating = any(m.state == Mediation.State.OPEN for m in mediations)
    else:
        mediating = referral.mediations.filter(state=Mediation.State.OPEN).exists()
    if mediating:
        return EscalationOffer(False, mediating=True)
    if (
        referral.status in (Status.RETURNED, Status.ACCEPTED, Status.DECLINED)
        or referral.decided_at is not None
    ):
        return EscalationOffer(True, _("The district team has answered."))
    if referral.events.filter(action__in=TEAM_ANSWER_ACTIONS).exists():
        return EscalationOffer(True, _("The district team has answered."))
    if waiting is _UNKNOWN:
        waiting = waiting_for(referral, today)
    if waiting is not None and waiting.over:
        return EscalationOffer(True, _("The decision norm has passed."))
    opens_on = add_working_days(waiting.due, 1) if waiting is not None and waiting.due else None
    return EscalationOffer(False, opens_on=opens_on)


def may_raise_as_party(user, referral):
    """A party in a raisable state, whether or not escalating makes sense yet."""
    return referral.status in RAISABLE_STATUSES and bool(party_sides(user, referral))


def can_raise(user, referral):
    return may_raise_as_party(user, referral) and escalation_offer(referral).offered


# --- Escalations -------------------------------------------------------------------------------


def visible_escalations(user):
    """Escalations the user may see: as a decider (any state) or as a party to the referral."""
    condition = party_condition(user, prefix="referral__", literal=False)
    parts, municipalities = partnership_ids(user), municipality_ids(user)
    if parts:
        condition |= Q(partnership_id__in=parts)
    if municipalities:
        condition |= Q(municipality_id__in=municipalities)
    return Escalation.objects.filter(condition)


def referral_escalations(user, referral):
    """The escalations of `referral` the user may see, as visible_escalations says: a party
    sees all of them (asked without the party condition's joins), anyone else a decider's."""
    if party_sides(user, referral):
        return Escalation.objects.filter(referral=referral)
    return visible_escalations(user).filter(referral=referral)


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


def may_see_decision_record(user, escalation):
    """The whole decision record (what help, rationale) is for every party and every decider of
    the escalation, also after the decision: the deciders wrote it and answer for it (ADR 0116,
    superseding that part of ADR 0060). The positions and the referral stay closed to them."""
    return bool(party_sides(user, escalation.referral)) or is_decider(user, escalation)


def may_read_referral(user, escalation):
    """Deciders follow a link to the referral while the escalation is open and the school
    shares the referral (the link would answer 404 otherwise: DECIDER_GRANT)."""
    return (
        escalation.state == Escalation.State.OPEN
        and escalation.referral.sharing_stopped_at is None
        and is_decider(user, escalation)
    )


def decider_referral_q(user, prefix=""):
    """A Q on Referral (or, with `prefix`, on a model pointing at it) for the referrals the user
    may read as a decider: those with an OPEN escalation naming one of the user's partnerships
    (director) or municipalities (officer). Access ends with the decision."""
    parts, municipalities = partnership_ids(user), municipality_ids(user)
    condition = Q(pk__in=[])
    if parts or municipalities:
        open_ids = Escalation.objects.filter(state=Escalation.State.OPEN).filter(
            Q(partnership_id__in=parts) | Q(municipality_id__in=municipalities)
        )
        condition = Q(**{f"{prefix}pk__in": open_ids.values("referral_id")})
    return condition


def decider_membership(user, referral):
    """The director or officer membership through which `user` reads `referral` as a decider of
    an open escalation, or None (for the access log)."""
    open_escalations = Escalation.objects.filter(referral=referral, state=Escalation.State.OPEN)
    for m in memberships(user):
        if (
            m.role == Role.PARTNERSHIP_DIRECTOR
            and open_escalations.filter(partnership_id=m.partnership_id).exists()
        ):
            return m
        if (
            m.role == Role.MUNICIPAL_OFFICER
            and open_escalations.filter(municipality_id=m.municipality_id).exists()
        ):
            return m
    return None


DECIDER_GRANT = ReadGrant(referrals=decider_referral_q, membership=decider_membership)


# --- People ----------------------------------------------------------------------------------


def decider_users(escalation, side=None):
    """Active users who decide on this escalation: directors of its partnership (education)
    and officers of its municipality (youth care)."""
    condition = Q()
    if side in (None, CarriedBy.EDUCATION):
        condition |= Q(role=Role.PARTNERSHIP_DIRECTOR, partnership_id=escalation.partnership_id)
    if side in (None, CarriedBy.YOUTH_CARE):
        condition |= Q(role=Role.MUNICIPAL_OFFICER, municipality_id=escalation.municipality_id)
    user_ids = Membership.objects.current().filter(condition).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "pk")


def party_users(referral, side=None):
    """Active users told about an escalation on a side of the referral: the coordinators of its
    school, the workers of the team it is routed to (as referral notices go to that team). The
    team is no longer told once the school stopped sharing: it is no party any more."""
    condition = Q(pk__in=[])
    if side in (None, Side.SCHOOL):
        condition |= Q(role=Role.SCHOOL_COORDINATOR, school_id=referral.school_id)
    if side in (None, Side.DISTRICT_TEAM) and referral.routed_team_id and referral.sharing_stopped_at is None:
        condition |= Q(role=Role.DISTRICT_WORKER, district_team_id=referral.routed_team_id)
    user_ids = Membership.objects.current().filter(condition).values("user_id")
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


# --- Mediation before escalation (ADR 0149) ---------------------------------------------------


def admin_regions(user):
    """The top-level regions whose mediators the user names and ends: the registry
    administrator's own."""
    return Region.objects.filter(pk__in=registry_admin_region_ids(user)).order_by("name")


def managed_mediators(user):
    """The mediators the user manages; another region's answer 404."""
    return Mediator.objects.filter(region_id__in=registry_admin_region_ids(user))


def mediator_candidates(region_ids):
    """Who may be named mediator of the regions: active users holding a current membership of
    an organisation in them (ADR 0149); an ended membership is history and counts for nothing
    (ADR 0137)."""
    holders = Membership.objects.current().filter(memberships_in_regions_q(list(region_ids)))
    return User.objects.filter(pk__in=holders.values("user_id"), is_active=True).order_by("full_name", "pk")


def mediators_for(referral, user=None):
    """The active mediators of the referral's region a party may ask (not the party itself)."""
    qs = Mediator.objects.active().filter(region_id=referral_region_id(referral)).select_related("user")
    qs = qs.filter(user__is_active=True)
    if user is not None:
        qs = qs.exclude(user=user)
    return qs.order_by("user__full_name", "pk")


def is_or_was_mediator(user):
    """Named mediator of a region now or before (no query: a flag of the memberships)."""
    return user_flag(user, MEDIATOR_FLAG)


def own_mediations(user):
    """The mediations the user was asked for as mediator ("my mediations", ADR 0162)."""
    if not getattr(user, "is_authenticated", False):
        return Mediation.objects.none()
    return Mediation.objects.filter(mediator__user=user)


def visible_mediations(user):
    """Mediations the user may see: as a party to the referral, or as their mediator."""
    if not getattr(user, "is_authenticated", False):
        return Mediation.objects.none()
    return Mediation.objects.filter(
        party_condition(user, prefix="referral__", literal=False) | Q(mediator__user=user)
    )


def referral_mediations(user, referral):
    """The mediations of `referral` the user may see, as visible_mediations says: a party sees
    all of them (asked without the party condition's joins), a mediator their own."""
    if party_sides(user, referral):
        return Mediation.objects.filter(referral=referral)
    return visible_mediations(user).filter(referral=referral)


def is_mediator_of(user, mediation):
    return mediation.mediator.user_id == user.pk


def may_see_mediation_texts(user, mediation):
    """The disagreement and the note on the outcome are case text: the parties always (a
    district team stops being one when the school stops sharing); the mediator while the
    mediation is open and the school shares the referral, as the referral itself (ADR 0162)."""
    if party_sides(user, mediation.referral):
        return True
    return (
        mediation.state == Mediation.State.OPEN
        and mediation.referral.sharing_stopped_at is None
        and is_mediator_of(user, mediation)
    )


def can_record_outcome(user, mediation):
    return mediation.state == Mediation.State.OPEN and is_mediator_of(user, mediation)


# Whether a user is or was named mediator anywhere: a flag on the memberships query the user's
# pages make anyway (contacts.permissions.register_user_flag), so everybody else's referral
# queries carry no mediation subquery and no page makes a query more (ADR 0162).
MEDIATOR_FLAG = "is_or_was_mediator"


def mediator_flag(user_ref):
    """The flag's expression on the memberships query: is there a Mediator row for the user."""
    return Exists(Mediator.objects.filter(user=user_ref))


def mediator_referral_q(user, prefix=""):
    """A Q on Referral for the referrals the user reads as the mediator of an OPEN mediation;
    access ends with the outcome, as a decider's ends with the decision. For a user who never
    was a mediator, nothing (and no subquery)."""
    if not user_flag(user, MEDIATOR_FLAG):
        return Q(**{f"{prefix}pk__in": []})
    open_ids = Mediation.objects.filter(state=Mediation.State.OPEN, mediator__user=user)
    return Q(**{f"{prefix}pk__in": open_ids.values("referral_id")})


def mediator_region_membership(user, mediation):
    """The membership of the mediator in the mediator's region (for the access log), or None."""
    region_id = mediation.mediator.region_id
    for m in memberships(user):
        if membership_region_id(m) == region_id:
            return m
    return None


def mediator_membership(user, referral):
    """The membership through which `user` reads `referral` as the mediator of an open
    mediation, or None."""
    mediation = (
        Mediation.objects.filter(referral=referral, state=Mediation.State.OPEN, mediator__user=user)
        .select_related("mediator")
        .first()
    )
    return mediator_region_membership(user, mediation) if mediation else None


MEDIATOR_GRANT = ReadGrant(referrals=mediator_referral_q, membership=mediator_membership)


def visible_referrals_for_mediation(user, mediation):
    """Whether the mediation page links to the referral: for its parties, and for the mediator
    while the mediation is open and the school shares the referral (MEDIATOR_GRANT)."""
    referral = mediation.referral
    if party_sides(user, referral):
        return True
    return (
        mediation.state == Mediation.State.OPEN
        and referral.sharing_stopped_at is None
        and is_mediator_of(user, mediation)
    )
