"""Who may see and do what with referrals (ADR 0002, 0053), in one place.

- `party_condition(user)` / `school_party_membership` / `team_party_membership`: who is a party
  to a referral, the one definition that every app uses (escalations too, ADR 0062).
- `visible_referrals(user)`: the queryset scope; a referral outside it answers 404.
- `can_*` / `allowed_actions(user, referral)`: the actions; a visible referral with a
  forbidden action answers 403.
- `access_membership(user, referral)`: the membership that grants the access, for the
  access log (role + organisation).
- `register_reader(grant)`: the hook through which an app above referrals (escalations: the
  deciders of an open escalation) grants read access without referrals importing it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from contacts.models import (
    CURRENT_MEMBERSHIP,
    ContactAssignment,
    Municipality,
    Role,
    School,
    Tandem,
    User,
)
from contacts.permissions import (
    district_team_ids,
    has_role,
    memberships,
    registry_cached,
    registry_names,
    school_ids,
)
from referrals.models import FINAL_STATUSES, OPEN_STATUSES, Attachment, FeedbackReceipt, Referral, Status
from referrals.transition import is_due
from referrals.workflow import ACTIONS, SCHOOL, TEAM

S = Status
EDITABLE = (S.DRAFT, S.RETURNED)


def _tandem_schools(team_ids):
    """The ids of the schools where one of `team_ids` holds the tandem today (a subquery)."""
    return Tandem.objects.current().filter(district_team_id__in=team_ids).values_list("school_id", flat=True)


def _tandem_school_ids(team_ids):
    """The same as a list: a literal list lets PostgreSQL combine the two indexes of
    `routed_team OR school` (BitmapOr); a subquery there makes it scan every referral (3 s at a
    million, bench/FINDINGS.md). Cached with the registry (tandems move its generation on) for
    the day: no query on a page (ADR 0169)."""
    teams = sorted(team_ids)
    return registry_cached(
        "tandem_schools",
        lambda: list(_tandem_schools(teams)),
        ",".join(map(str, teams)),
        timezone.localdate(),
    )


# --- Who is a party to a referral -----------------------------------------------------------
# The school's coordinators, always (drafts too, and after the sharing stopped: the referral is
# theirs). The district workers of the team the referral is routed to, or of the team that holds
# the school's tandem today, once it is submitted and as long as the school shares it (a
# withdrawal of consent stops the sharing). The Q and the two functions on one referral say the
# same; tests/escalations/test_parties.py holds them to that for every role.


def party_condition(user, prefix="", literal=True):
    """A Q on Referral (or, with `prefix` such as "referral__", on a model pointing at one) for
    the referrals of which `user` is a party. `literal`: the tandem schools as a list (one query
    now, the fast plan on the referral table, see `_tandem_school_ids`); otherwise as a
    subquery (no query now; for a query on a smaller table joined to the referral)."""
    condition = Q(**{f"{prefix}pk__in": []})
    schools = school_ids(user)
    if schools:
        condition |= Q(**{f"{prefix}school_id__in": schools})
    teams = district_team_ids(user)
    if teams:
        tandem_schools = _tandem_school_ids if literal else _tandem_schools
        condition |= (
            ~Q(**{f"{prefix}status": S.DRAFT})
            & Q(**{f"{prefix}sharing_stopped_at__isnull": True})
            & (
                Q(**{f"{prefix}routed_team_id__in": teams})
                | Q(**{f"{prefix}school_id__in": tandem_schools(teams)})
            )
        )
    return condition


def school_party_membership(user, referral):
    """The school-coordinator membership that makes `user` a party to `referral`, or None."""
    for m in memberships(user):
        if m.role == Role.SCHOOL_COORDINATOR and m.school_id == referral.school_id:
            return m
    return None


def team_party_membership(user, referral):
    """The district-worker membership that makes `user` a party to `referral`, or None: the
    routed team first, then the team holding the school's tandem today."""
    if referral.status == S.DRAFT or referral.sharing_stopped_at is not None:
        return None
    workers = [m for m in memberships(user) if m.role == Role.DISTRICT_WORKER]
    for m in workers:
        if referral.routed_team_id is not None and m.district_team_id == referral.routed_team_id:
            return m
    if workers:
        holding = set(
            Tandem.objects.current()
            .filter(school_id=referral.school_id, district_team_id__in=[m.district_team_id for m in workers])
            .values_list("district_team_id", flat=True)
        )
        for m in workers:
            if m.district_team_id in holding:
                return m
    return None


def is_school_party(user, referral):
    return school_party_membership(user, referral) is not None


def is_team_party(user, referral):
    return team_party_membership(user, referral) is not None


# --- Read access granted by apps above referrals --------------------------------------------


@dataclass(frozen=True)
class ReadGrant:
    """Read access to referrals that an app above referrals grants (ADR 0062).

    `referrals(user)` is a Q on Referral for the extra referrals `user` may read;
    `membership(user, referral)` the membership that grants it, for the access log (None when
    none does). Referrals adds the stop on sharing itself: a grant never outlasts it."""

    referrals: Callable
    membership: Callable


_READ_GRANTS = []


def register_reader(grant):
    """Called from an AppConfig.ready(); registering the same grant twice changes nothing."""
    if grant not in _READ_GRANTS:
        _READ_GRANTS.append(grant)


def visible_referrals(user):
    """The referrals `user` may read: those of which the user is a party, plus those a
    registered grant adds (the deciders of an open escalation) while the school shares them.
    Nothing for roles that do not work on cases."""
    if not getattr(user, "is_authenticated", False) or not memberships(user):
        return Referral.objects.none()
    condition = party_condition(user)
    shared = Q(sharing_stopped_at__isnull=True)
    for grant in _READ_GRANTS:
        condition |= shared & grant.referrals(user)
    return Referral.objects.filter(condition)


def open_work_by_place(visible):
    """The open referrals of `visible` counted per (school id, home municipality id, status):
    one index scan over open work that gives the inbox both its filter options and, without
    other filters, its tab counts (ADR 0117)."""
    return list(
        visible.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values_list("school_id", "home_municipality_id", "status")
        .annotate(n=Count("pk"))
    )


def inbox_filter_choices(user, open_work):
    """The schools and home municipalities the triage inbox offers as filters: the schools where
    the user's teams hold the tandem and the teams' own municipalities, plus those of the open
    referrals in `open_work` (as `open_work_by_place` gives it). Closed and declined referrals
    are left out of the option lists, so the lists cost an index scan over open work instead of
    every referral a team ever had. Each list is [(id, name)] by name, read from the registry
    cache: no query on a page."""
    teams = district_team_ids(user)
    schools = {school for school, _m, _status, _n in open_work}
    municipalities = {m for _s, m, _status, _n in open_work if m}
    if teams:
        schools.update(_tandem_school_ids(teams))
        municipalities.update(
            m.district_team.municipality_id for m in memberships(user) if m.district_team_id in teams
        )
    return registry_names(School, schools), registry_names(Municipality, municipalities)


# --- The informed contact of the home municipality (ADR 0095) -------------------------------
# When the pupil lives in another municipality than the school's, that municipality's vaste
# contactpersoon (and the backup) is told about the submission. They are no party and read no
# case content: only the short summary (reference, school, status, routed team, whom to call).


def informed_municipality_ids(user):
    """The municipalities of which `user` is the vaste contactpersoon or backup today."""
    person_id = getattr(user, "person_id", None)
    if not getattr(user, "is_authenticated", False) or person_id is None:
        return []
    return list(
        ContactAssignment.objects.current()
        .filter(Q(person_id=person_id) | Q(backup_id=person_id), municipality__isnull=False)
        .values_list("municipality_id", flat=True)
    )


def informed_referrals(user):
    """The submitted referrals whose summary `user` may read as the informed contact of the
    pupil's home municipality (a municipality other than the school's)."""
    municipalities = informed_municipality_ids(user)
    if not municipalities:
        return Referral.objects.none()
    return (
        Referral.objects.exclude(status=S.DRAFT)
        .filter(home_municipality_id__in=municipalities)
        .exclude(home_municipality_id=F("school__municipality_id"))
    )


def summary_referrals(user):
    """The referrals whose summary page `user` may open: every referral the user may read, and
    those the user is informed about."""
    return Referral.objects.filter(
        Q(pk__in=visible_referrals(user).values("pk")) | Q(pk__in=informed_referrals(user).values("pk"))
    )


# --- Who acts for which side -----------------------------------------------------------------


def is_school_coordinator_of(user, referral):
    return referral.school_id in school_ids(user)


def is_routed_worker(user, referral):
    """A district worker of the team the referral is routed to."""
    return referral.routed_team_id is not None and referral.routed_team_id in district_team_ids(user)


def can_create(user):
    return bool(school_ids(user))


def can_edit(user, referral):
    return is_school_coordinator_of(user, referral) and referral.status in EDITABLE


def can_submit(user, referral):
    return may_perform(user, referral, "submit")


def can_resubmit(user, referral):
    return may_perform(user, referral, "resubmit")


def can_manage_consent(user, referral):
    """The school records consent and its withdrawal, at any stage until the referral ends."""
    return is_school_coordinator_of(user, referral) and referral.status not in FINAL_STATUSES


# The district team adds documents to a referral it handles (ADR 0163).
DOCUMENT_STATUSES = (S.IN_TRIAGE, S.ACCEPTED, S.HELP_STARTED)


def can_remove_attachment(user, attachment):
    """The school removes a file it added while it may still edit the referral (draft, or
    returned with a question); once submitted, what the team read stays (ADR 0163)."""
    return attachment.side == Attachment.Side.SCHOOL and can_edit(user, attachment.referral)


def can_add_document(user, referral):
    """The routed district worker adds documents while the team triages or handles the
    referral (ADR 0163)."""
    return referral.status in DOCUMENT_STATUSES and can_triage(user, referral)


def can_triage(user, referral):
    return is_routed_worker(user, referral) and referral.sharing_stopped_at is None


def can_post_message(user, referral):
    if referral.status == S.DRAFT or referral.anonymised_at is not None:
        return False  # an anonymised referral takes no new personal data (retention, ADR 0046)
    return is_school_coordinator_of(user, referral) or can_triage(user, referral)


def can_prepare_transition(user, referral):
    """The 18-/18+ checklist (ADR 0153): the school's coordinators and the routed team's
    workers, as for the referral's other actions today, while the task is due."""
    if not is_due(referral):
        return False
    return is_school_coordinator_of(user, referral) or can_triage(user, referral)


# Who acts for a side of the transition table (referrals/workflow.py ACTIONS). The moves of the
# ESCALATIONS side are the escalations app's, under its own rules: none of them here.
SIDE_CHECKS = {SCHOOL: is_school_coordinator_of, TEAM: can_triage}


def may_perform(user, referral, action):
    """The action exists from the referral's status and `user` acts for its side."""
    entry = ACTIONS.get(action)
    check = SIDE_CHECKS.get(entry.side) if entry else None
    return (
        check is not None
        and referral.status in entry.sources
        and check(user, referral)
        and entry.is_available(referral)
    )


def allowed_actions(user, referral):
    """The workflow actions `user` may perform on `referral` now (table ∩ side), in the
    table's order."""
    return [name for name in ACTIONS if may_perform(user, referral, name)]


def can_assign(user, referral):
    """Hand a referral to a colleague of the same team (or take it over) while it is open."""
    return may_perform(user, referral, "assign")


def team_colleagues(referral):
    """Users who may be assigned: district workers of the routed team."""
    if referral.routed_team_id is None:
        return User.objects.none()
    return (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.DISTRICT_WORKER,
            memberships__district_team_id=referral.routed_team_id,
            **CURRENT_MEMBERSHIP,
        )
        .distinct()
        .order_by("full_name")
    )


def access_membership(user, referral):
    """The membership through which `user` reads `referral` (for the access log): as a party
    (school first, then the district team), else through a registered grant while the school
    shares the referral; None when the user may not read it."""
    membership = school_party_membership(user, referral) or team_party_membership(user, referral)
    if referral.sharing_stopped_at is None:
        for grant in _READ_GRANTS:
            if membership is not None:
                break
            membership = grant.membership(user, referral)
    return membership


def is_district_worker(user):
    return has_role(user, Role.DISTRICT_WORKER)


def is_school_coordinator(user):
    return has_role(user, Role.SCHOOL_COORDINATOR)


__all__ = [
    "ReadGrant",
    "access_membership",
    "allowed_actions",
    "can_assign",
    "can_create",
    "can_edit",
    "can_manage_consent",
    "can_post_message",
    "can_prepare_transition",
    "can_resubmit",
    "can_submit",
    "can_triage",
    "informed_municipality_ids",
    "informed_referrals",
    "is_routed_worker",
    "is_school_coordinator_of",
    "is_school_party",
    "is_team_party",
    "may_perform",
    "party_condition",
    "register_reader",
    "school_party_membership",
    "summary_referrals",
    "team_colleagues",
    "team_party_membership",
    "visible_referrals",
]


# --- Cooperation feedback (ADR 0151) ---------------------------------------------------------
# When a referral has ended (closed, or lapsed), the IB-ers of its school and the workers of the
# team it was routed to (while it was shared with them) each answer two questions, once.
FEEDBACK_STATUSES = (S.CLOSED, S.LAPSED)


def feedback_party(user, referral):
    if referral.status not in FEEDBACK_STATUSES:
        return False
    if is_school_coordinator_of(user, referral):
        return True
    return is_routed_worker(user, referral) and referral.sharing_stopped_at is None


def has_given_feedback(user, referral):
    return FeedbackReceipt.objects.filter(referral=referral, user=user).exists()


def feedback_party_q(user):
    """Q on Referral: ended referrals `user` is asked about (same rule as feedback_party)."""
    return Q(status__in=FEEDBACK_STATUSES) & (
        Q(school_id__in=school_ids(user))
        | Q(routed_team_id__in=district_team_ids(user), sharing_stopped_at__isnull=True)
    )
