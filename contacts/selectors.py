"""Read-side questions about the network, shared by the pages and the reports.

`coverage()` is the figure the progress report and the work agenda's live goals use; the
coverage page renders the same object.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from contacts import permissions
from contacts.models import (
    ORGANISATION_FIELDS,
    SPECIAL_SCHOOL_TYPES,
    ContactAssignment,
    DistrictTeam,
    Invitation,
    Membership,
    Municipality,
    Partnership,
    Person,
    Region,
    Role,
    School,
    Tandem,
    User,
)
from contacts.permissions import invitations_q, region_q
from portal.home import WorkItem

ENDING_WITHIN_DAYS = 30


def in_region_q(region, path):
    """Objects whose subregion (at `path`, e.g. "municipality__region") is `region` or lies in it."""
    if region is None:
        return Q()
    return Q(**{path: region}) | Q(**{f"{path}__parent": region})


def current_assignments(on=None):
    on = on or timezone.localdate()
    return ContactAssignment.objects.current(on).select_related("person", "backup")


def current_tandems(on=None):
    on = on or timezone.localdate()
    return Tandem.objects.current(on).select_related("school_coordinator", "district_worker", "district_team")


def with_current_contact(queryset, on=None):
    """Prefetch the current fixed contact(s) into `.current_contacts` (one query)."""
    return queryset.prefetch_related(
        Prefetch("contact_assignments", queryset=current_assignments(on), to_attr="current_contacts")
    )


def with_current_tandem(queryset, on=None):
    return queryset.prefetch_related(
        Prefetch("tandems", queryset=current_tandems(on), to_attr="current_tandems")
    )


def has_current_contact(on, **outer):
    return Exists(ContactAssignment.objects.current(on).filter(**outer))


@dataclass(frozen=True)
class CoverageCounts:
    """How much of the network is covered: the one definition the work agenda's live
    indicators, the coverage page and the progress report all count with."""

    special_schools: int
    special_schools_with_contact: int
    schools: int
    schools_with_tandem: int
    municipalities: int
    municipalities_with_contact: int


def coverage_counts(schools=None, municipalities=None, on=None):
    """SQL aggregates (two queries) over the given school and municipality querysets (default:
    all) on date `on` (default today)."""
    on = on or timezone.localdate()
    schools = School.objects.all() if schools is None else schools
    municipalities = Municipality.objects.all() if municipalities is None else municipalities
    school_counts = (
        schools.annotate(
            has_contact=has_current_contact(on, school=OuterRef("pk")),
            has_tandem=Exists(Tandem.objects.current(on).filter(school=OuterRef("pk"))),
        )
        .order_by()
        .aggregate(
            schools=Count("id"),
            special=Count("id", filter=Q(school_type__in=SPECIAL_SCHOOL_TYPES)),
            special_covered=Count("id", filter=Q(school_type__in=SPECIAL_SCHOOL_TYPES, has_contact=True)),
            with_tandem=Count("id", filter=Q(has_tandem=True)),
        )
    )
    municipality_counts = (
        municipalities.annotate(has_contact=has_current_contact(on, municipality=OuterRef("pk")))
        .order_by()
        .aggregate(total=Count("id"), covered=Count("id", filter=Q(has_contact=True)))
    )
    return CoverageCounts(
        special_schools=school_counts["special"],
        special_schools_with_contact=school_counts["special_covered"],
        schools=school_counts["schools"],
        schools_with_tandem=school_counts["with_tandem"],
        municipalities=municipality_counts["total"],
        municipalities_with_contact=municipality_counts["covered"],
    )


@dataclass
class Coverage:
    on: datetime.date
    region: object
    special_schools_total: int = 0
    municipalities_total: int = 0
    schools_total: int = 0
    special_schools_without_contact: list = field(default_factory=list)
    municipalities_without_contact: list = field(default_factory=list)
    schools_without_tandem: list = field(default_factory=list)
    assignments_ending: list = field(default_factory=list)
    tandems_ending: list = field(default_factory=list)

    @property
    def special_schools_covered(self):
        return self.special_schools_total - len(self.special_schools_without_contact)

    @property
    def municipalities_covered(self):
        return self.municipalities_total - len(self.municipalities_without_contact)

    @property
    def schools_with_tandem(self):
        return self.schools_total - len(self.schools_without_tandem)

    @property
    def ending_count(self):
        return len(self.assignments_ending) + len(self.tandems_ending)

    @property
    def gap_count(self):
        return (
            len(self.special_schools_without_contact)
            + len(self.municipalities_without_contact)
            + len(self.schools_without_tandem)
        )


def coverage(region=None, on=None):
    """Counts and gap lists of the network on `on` (default today), for the whole registry or
    one (sub)region: (v)so schools without a current fixed contact, municipalities without one,
    schools without an active tandem, assignments and tandems ending within 30 days."""
    on = on or timezone.localdate()
    until = on + datetime.timedelta(days=ENDING_WITHIN_DAYS)
    schools = (
        School.objects.filter(in_region_q(region, "municipality__region"))
        .select_related("municipality", "municipality__region", "partnership")
        .annotate(
            has_contact=has_current_contact(on, school=OuterRef("pk")),
            has_tandem=Exists(Tandem.objects.current(on).filter(school=OuterRef("pk"))),
        )
        .order_by("name", "brin", "vestiging")
    )
    school_rows = list(schools)
    municipalities = list(
        Municipality.objects.filter(in_region_q(region, "region"))
        .select_related("region")
        .annotate(has_contact=has_current_contact(on, municipality=OuterRef("pk")))
        .order_by("name")
    )
    special = [s for s in school_rows if s.school_type in SPECIAL_SCHOOL_TYPES]
    region_assignments = (
        in_region_q(region, "school__municipality__region")
        | in_region_q(region, "municipality__region")
        | in_region_q(region, "district_team__municipality__region")
        | in_region_q(region, "partnership__region")
    )
    ending = list(
        current_assignments(on)
        .filter(valid_to__isnull=False, valid_to__lte=until)
        .filter(region_assignments)
        .select_related("school", "municipality", "district_team", "partnership")
        .order_by("valid_to", "id")
    )
    tandems_ending = list(
        current_tandems(on)
        .filter(valid_to__isnull=False, valid_to__lte=until)
        .filter(in_region_q(region, "school__municipality__region"))
        .select_related("school")
        .order_by("valid_to", "id")
    )
    return Coverage(
        on=on,
        region=region,
        special_schools_total=len(special),
        municipalities_total=len(municipalities),
        schools_total=len(school_rows),
        special_schools_without_contact=[s for s in special if not s.has_contact],
        municipalities_without_contact=[m for m in municipalities if not m.has_contact],
        schools_without_tandem=[s for s in school_rows if not s.has_tandem],
        assignments_ending=ending,
        tandems_ending=tandems_ending,
    )


def cached_coverage(region):
    """Today's `coverage` of the region (or of the whole registry), cached with the registry
    generation (ADR 0169): schools, municipalities, assignments, tandems and persons move it on."""
    on = timezone.localdate()
    key = region.pk if region is not None else "all"
    return permissions.registry_cached(
        "coverage", lambda: coverage(region=region, on=on), key, on.isoformat()
    )


def _members(role, **org):
    return Person.objects.filter(
        user__memberships__role=role,
        user__memberships__ended_on__isnull=True,
        **{f"user__memberships__{k}": v for k, v in org.items()},
    )


def cached_who_to_call_for_school(school):
    """Today's `who_to_call_for_school`, cached with the registry (ADR 0169): tandems, fixed
    contacts, persons and their links, memberships move it on. Eight queries on every view of
    a school's page otherwise."""
    on = timezone.localdate()
    return permissions.registry_cached(
        "who-to-call-school", lambda: who_to_call_for_school(school, on), school.pk, on.isoformat()
    )


def who_to_call_for_school(school, on=None):
    """The answer to "who do I call for what" for one school."""
    on = on or timezone.localdate()
    tandem = current_tandems(on).filter(school=school).first()
    # The school's coordinators as a subquery, not an OR over joins: joined, PostgreSQL read
    # every person with their users and memberships (10 ms at the bench's 9,700 persons).
    coordinator_persons = Membership.objects.filter(
        role=Role.SCHOOL_COORDINATOR, school=school, ended_on__isnull=True
    ).values("user__person_id")
    coordinators = list(
        Person.objects.filter(
            Q(pk__in=coordinator_persons) | Q(pk=tandem.school_coordinator_id if tandem else None)
        ).order_by("name")
    )
    return {
        "coordinators": coordinators,
        "tandem": tandem,
        "contact": current_assignments(on).filter(school=school).first(),
        "municipality_contact": current_assignments(on).filter(municipality=school.municipality_id).first(),
        "directors": list(_members(Role.PARTNERSHIP_DIRECTOR, partnership=school.partnership_id).distinct()),
        "partnership_contact": current_assignments(on).filter(partnership=school.partnership_id).first(),
        "others": list(school.persons.exclude(pk__in=[p.pk for p in coordinators]).order_by("name")),
    }


def assignment_history(**target):
    return (
        ContactAssignment.objects.filter(**target)
        .select_related("person", "backup", "created_by")
        .order_by("-valid_from", "-id")
    )


def tandem_history(school):
    return (
        Tandem.objects.filter(school=school)
        .select_related("school_coordinator", "district_worker", "district_team", "created_by")
        .order_by("-valid_from", "-id")
    )


def registry_admin_worklist(membership):
    """The registry administrator's home (ADR 0140): the gaps of the region's network, each
    linking to its list on the coverage page. Two queries (coverage_counts)."""
    region = membership.region_id
    counts = coverage_counts(
        schools=School.objects.filter(in_region_q(region, "municipality__region")),
        municipalities=Municipality.objects.filter(in_region_q(region, "region")),
    )
    url = reverse("contacts:coverage")
    return [
        WorkItem(
            _("(v)so schools without a fixed contact"),
            counts.special_schools - counts.special_schools_with_contact,
            f"{url}#gap-special",
        ),
        WorkItem(
            _("Municipalities without a fixed contact"),
            counts.municipalities - counts.municipalities_with_contact,
            f"{url}#gap-municipalities",
        ),
        WorkItem(
            _("Schools without an active tandem"),
            counts.schools - counts.schools_with_tandem,
            f"{url}#gap-tandems",
        ),
    ]


# --- Accounts of the region (ADR 0137) ----------------------------------------------------------

STALE_LOGIN_DAYS = 90
# Membership's field for an organisation model whose name differs from it.
MEMBERSHIP_FIELD_OF_MODEL = {"districtteam": "district_team"}
MEMBERSHIP_RELATIONS = (
    "school__municipality__region",
    "district_team__municipality__region",
    "partnership__region",
    "municipality__region",
    "region",
)


def region_memberships(admin):
    """The memberships of the admin's region, current and ended, with their organisations."""
    return permissions.manageable_memberships(admin).select_related(*MEMBERSHIP_RELATIONS)


def accounts(admin, cleaned=None):
    """The accounts of the admin's region matching a valid AccountFilterForm's cleaned data,
    each with `region_memberships` (its current memberships of this region only),
    `has_two_factor`, `invitation_expires_at` and `invitation_state` (see below); a fixed
    number of queries however many rows."""
    cleaned = cleaned or {}
    account_ids, membership_ids = permissions.manageable_ids(admin)
    own = Membership.objects.filter(pk__any_of=membership_ids)
    now = timezone.now()
    # The latest expiry of the account's unaccepted invitations of this region (those of the
    # region's memberships, as invitations_q; another region's never count): after now it is
    # pending, else expired; none when every one was accepted or there never was one. A
    # subquery, so no query per row (ADR 0137).
    unaccepted = Invitation.objects.filter(
        membership__any_of=membership_ids, user=OuterRef("pk"), accepted_at__isnull=True
    ).order_by("-expires_at")
    qs = (
        User.objects.filter(pk__any_of=account_ids)
        .annotate(
            has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            invitation_expires_at=Subquery(unaccepted.values("expires_at")[:1]),
        )
        .annotate(
            invitation_state=Case(
                When(invitation_expires_at__gt=now, then=Value("pending")),
                When(invitation_expires_at__isnull=False, then=Value("expired")),
                default=Value("none"),
                output_field=CharField(),
            )
        )
    )
    wanted = {}
    if cleaned.get("organisation") is not None:
        organisation = cleaned["organisation"]
        model_name = organisation._meta.model_name
        field_name = MEMBERSHIP_FIELD_OF_MODEL.get(model_name, model_name)
        wanted[field_name] = organisation
    if cleaned.get("role"):
        wanted["role"] = cleaned["role"]
    if wanted:
        qs = qs.filter(pk__in=own.current().filter(**wanted).values("user_id"))
    if cleaned.get("active"):
        qs = qs.filter(is_active=cleaned["active"] == "yes")
    if cleaned.get("invitation"):
        qs = qs.filter(invitation_state=cleaned["invitation"])
    if cleaned.get("two_factor"):
        qs = qs.filter(has_two_factor=cleaned["two_factor"] == "yes")
    since = now - datetime.timedelta(days=STALE_LOGIN_DAYS)
    if cleaned.get("last_login") == "never":
        qs = qs.filter(last_login__isnull=True)
    elif cleaned.get("last_login") == "stale":
        qs = qs.filter(last_login__lt=since)
    elif cleaned.get("last_login") == "recent":
        qs = qs.filter(last_login__gte=since)
    term = (cleaned.get("q") or "").strip()
    if term:
        qs = qs.filter(Q(full_name__icontains=term) | Q(email__icontains=term))
    # The list names each role's organisation, not its region: five joins, not nine.
    shown = own.current().select_related(*ORGANISATION_FIELDS)
    return qs.prefetch_related(
        Prefetch("memberships", queryset=shown, to_attr="region_memberships")
    ).order_by("full_name", "email", "pk")


def account_memberships(admin, account):
    """The account's memberships of the admin's region: current ones first, then the ended."""
    return list(
        region_memberships(admin)
        .filter(user=account)
        .order_by(F("ended_on").desc(nulls_first=True), "created_at", "pk")
    )


def account_invitations(admin, account):
    """The account's invitations of the admin's region (another region's are not shown),
    newest first, with what the detail page shows joined in."""
    return list(
        Invitation.objects.filter(invitations_q(admin), user=account)
        .select_related(
            "invited_by",
            "membership__school",
            "membership__district_team",
            "membership__partnership",
            "membership__municipality",
            "membership__region",
        )
        .order_by("-created_at", "-id")
    )


def has_two_factor(account):
    return TOTPDevice.objects.filter(user=account, confirmed=True).exists()


def has_memberships_elsewhere(admin, account):
    """True when the account also holds a current membership outside the admin's region."""
    own = permissions.manageable_memberships(admin).values("pk")
    return account.memberships.current().exclude(pk__in=own).exists()


def invitable_organisations(region_ids):
    """The organisations of the regions a registry administrator invites people into, grouped
    by kind for the invitation form: [(kind, [(obj), ...]), ...]. Five queries."""
    from_region = {
        "region": Region.objects.filter(Q(pk__in=region_ids) | Q(parent__in=region_ids)),
        "municipality": Municipality.objects.filter(region_q("region", region_ids)),
        "partnership": Partnership.objects.filter(region_q("region", region_ids)),
        "school": School.objects.filter(region_q("municipality__region", region_ids)),
        "district_team": DistrictTeam.objects.filter(region_q("municipality__region", region_ids)),
    }
    return [(kind, list(queryset.order_by("name", "pk"))) for kind, queryset in from_region.items()]


def open_invitations(user):
    """The invitations not yet accepted in the user's registry-admin regions, newest first, with
    what the list shows joined in (one query per page)."""
    return (
        Invitation.objects.filter(invitations_q(user), accepted_at__isnull=True)
        .select_related(
            "user",
            "invited_by",
            "membership__school",
            "membership__district_team",
            "membership__partnership",
            "membership__municipality",
            "membership__region",
        )
        .order_by("-created_at", "-id")
    )
