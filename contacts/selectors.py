"""Read-side questions about the network, shared by the pages and the reports.

`coverage()` is the figure the progress report and the work agenda's live goals use; the
coverage page renders the same object.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import (
    SPECIAL_SCHOOL_TYPES,
    ContactAssignment,
    DistrictTeam,
    Municipality,
    Partnership,
    Person,
    Region,
    Role,
    School,
    Tandem,
)
from contacts.permissions import region_q
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


def _members(role, **org):
    return Person.objects.filter(
        user__memberships__role=role, **{f"user__memberships__{k}": v for k, v in org.items()}
    )


def who_to_call_for_school(school, on=None):
    """The answer to "who do I call for what" for one school."""
    on = on or timezone.localdate()
    tandem = current_tandems(on).filter(school=school).first()
    coordinators = list(
        Person.objects.filter(
            Q(user__memberships__role=Role.SCHOOL_COORDINATOR, user__memberships__school=school)
            | Q(pk=tandem.school_coordinator_id if tandem else None)
        )
        .distinct()
        .order_by("name")
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
