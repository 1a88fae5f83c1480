"""The yearly startfoto (ADR 0155): needs and provision of a region and each of its subregions
in one school year (1 August – 31 July), computed with the figures' own helpers
(reporting/figures.py) and frozen as displayed, already suppressed values (ADR 0070).

    compute_snapshot(region, school_year) -> dict (stored in StartPhoto.data)
    comparison(current, previous) -> [Area] for the page, the XLSX and the PDF
    frozen_pair(region, year, latest=False) -> (StartPhoto or None, StartPhoto or None)

A fixed number of queries per area, whatever the number of referrals."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.arrangements import current_q, pilot_school_q
from contacts.models import (
    CollectiveArrangement,
    ContactAssignment,
    Municipality,
    Region,
    School,
    SchoolType,
    Tandem,
)
from contacts.selectors import coverage_counts
from portal.workdays import AMSTERDAM
from referrals.models import Domain
from reporting.figures import (
    _cohort,
    _domain_items,
    _totals,
    _type_items,
    cohort_domain_counts,
    fmt_days,
    school_type_counts,
    waiting_times,
)
from reporting.models import StartPhoto
from reporting.scopes import Scope
from reporting.suppression import HIDDEN, SECONDARY_MIN_HIDDEN, SMALL, THRESHOLD, fmt_count, is_small

MIN_YEAR, MAX_YEAR = 2000, 2099


def frozen_pair(region, year, *, latest=False):
    """(current, previous) in one query: the region's startfoto of school year `year` (an int;
    with `latest`, the latest one up to that year: the half-year's PDF) and the one of the
    school year before it, which only a current one is compared with; None for what is not
    frozen."""
    photos = StartPhoto.objects.filter(region=region, school_year__lte=year)
    if not latest:
        photos = photos.filter(school_year__gte=year - 1)
    photos = list(photos.order_by("-school_year")[:2])
    current = photos[0] if photos and (latest or photos[0].school_year == year) else None
    if current is None:
        return None, None
    previous = next((p for p in photos[1:] if p.school_year == current.school_year - 1), None)
    return current, previous


@dataclass(frozen=True)
class SchoolYear:
    """1 August of `year` up to and including 31 July of the next year, in Amsterdam time."""

    year: int

    @classmethod
    def containing(cls, day):
        return cls(day.year if day.month >= 8 else day.year - 1)

    @classmethod
    def current(cls):
        return cls.containing(timezone.localdate())

    def previous(self):
        return SchoolYear(self.year - 1)

    @property
    def label(self):
        return f"{self.year}-{self.year + 1}"

    @property
    def first_day(self):
        return datetime.date(self.year, 8, 1)

    @property
    def last_day(self):
        return datetime.date(self.year + 1, 7, 31)

    @property
    def start(self):
        return datetime.datetime.combine(self.first_day, datetime.time.min, tzinfo=AMSTERDAM)

    @property
    def end(self):
        return datetime.datetime.combine(
            self.last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=AMSTERDAM
        )

    @property
    def measured_on(self):
        """Point-in-time figures (tandems, contacts) are taken on the last day, or today."""
        return min(self.last_day, timezone.localdate())


def _plain(n):
    """Counts of schools are not about children and are shown as they are (ADR 0070)."""
    return {"value": n, "display": fmt_count(n)}


def _days(n, median):
    if n < THRESHOLD:
        return {"value": None, "display": "—"}
    return {"value": round(median, 1), "display": fmt_days(median)}


def row_labels():
    """(key, label) of every row of a snapshot, in display order."""
    return [
        ("submitted", _("Referrals submitted")),
        *[
            (f"domain:{key}", _("Referrals in domain: %(domain)s") % {"domain": label})
            for key, label in Domain.choices
        ],
        *[
            (f"type:{key}", _("Referrals from: %(type)s") % {"type": label})
            for key, label in SchoolType.choices
        ],
        ("decision_median", _("Median working days from submission to decision")),
        ("help_median", _("Median working days from submission to start of help")),
        ("schools", _("Schools")),
        ("pilot_schools", _("Pilot schools with collective funding")),
        ("arrangements", _("Current collective arrangements")),
        ("arrangement_schools", _("Schools with a current collective arrangement")),
        (
            "arrangement_capacity",
            _("Capacity of the current collective arrangements (pupils per school year)"),
        ),
        ("schools_with_tandem", _("Schools with a tandem")),
        *network_row_labels(),
        ("special_schools", _("(V)so schools")),
        ("special_with_contact", _("(V)so schools with a fixed contact person")),
    ]


def _arrangement_rows(schools, on):
    """The collective arrangements current on `on` with a school among `schools` (ADR 0161):
    how many, the schools of the area they cover and their capacity; an arrangement across two
    subregions counts in both with its whole capacity. Not about children: shown as they are."""
    current = CollectiveArrangement.objects.filter(current_q(on), schools__in=schools).distinct()
    found = CollectiveArrangement.objects.filter(pk__in=current.values("pk")).aggregate(
        n=Count("id"), capacity=Sum("capacity")
    )
    covered = schools.filter(arrangements__in=current.values("pk")).distinct().count()
    return {
        "arrangements": _plain(found["n"]),
        "arrangement_schools": _plain(covered),
        "arrangement_capacity": _plain(found["capacity"] or 0),
    }


def network_row_labels():
    """The network's own rows (ADR 0162): the tandems (school and district team pairs) and the
    schools with a fixed contact person (every school type; the (v)so ones have their own row)."""
    return [
        ("tandems", _("Tandems (school and district team)")),
        ("schools_with_contact", _("Schools with a fixed contact person")),
    ]


def _network_rows(schools, on):
    """The tandems and the schools with a fixed contact person valid on `on` (the measuring day,
    so what the startfoto freezes is the network of that day): one query. Counts of schools and
    professionals, not of children: shown as they are (ADR 0070)."""

    def per_school(model):
        return Coalesce(
            Subquery(
                model.objects.current(on)
                .filter(school=OuterRef("pk"))
                .order_by()
                .values("school")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    found = (
        schools.annotate(n_tandems=per_school(Tandem), n_contacts=per_school(ContactAssignment))
        .order_by()
        .aggregate(
            tandems=Coalesce(Sum("n_tandems"), 0),
            with_contact=Count("pk", filter=Q(n_contacts__gt=0)),
        )
    )
    return {
        "tandems": _plain(found["tandems"]),
        "schools_with_contact": _plain(found["with_contact"]),
    }


def _area(year, region):
    """The area's figures; the referral counts (`counts`) still unsuppressed: compute_snapshot
    protects them across the areas before anything is stored."""
    scope = Scope.for_region(region)
    cohort = _cohort(year, scope)
    totals = _totals(cohort)
    decision, help_start = waiting_times(cohort)
    schools = School.objects.filter(scope.school_q())
    counts = coverage_counts(schools, Municipality.objects.filter(scope.municipality_q()), year.measured_on)
    referral_counts = {"submitted": totals["submitted"]}
    referral_counts.update(
        {f"domain:{key}": n for key, _label, n in _domain_items(cohort_domain_counts(cohort))}
    )
    referral_counts.update({f"type:{key}": n for key, _label, n in _type_items(school_type_counts(cohort))})
    rows = {
        "decision_median": _days(decision[0], decision[1]),
        "help_median": _days(help_start[0], help_start[1]),
        "schools": _plain(counts.schools),
        "pilot_schools": _plain(schools.filter(pilot_school_q(year.measured_on)).count()),
        **_arrangement_rows(schools, year.measured_on),
        "schools_with_tandem": _plain(counts.schools_with_tandem),
        **_network_rows(schools, year.measured_on),
        "special_schools": _plain(counts.special_schools),
        "special_with_contact": _plain(counts.special_schools_with_contact),
    }
    return {"code": region.code, "name": region.name, "rows": rows, "counts": referral_counts}


def _groups(areas):
    """The additive groups of the snapshot's referral counts, as (cells, total cell) with a cell
    = (area index, row key): in each area the school types add up to the referrals submitted;
    in each row the subregions (areas 1…) add up to the region (area 0)."""
    keys = list(areas[0]["counts"])
    type_keys = [key for key in keys if key.startswith("type:")]
    groups = [([(a, key) for key in type_keys], (a, "submitted")) for a in range(len(areas))]
    if len(areas) > 1:
        groups += [([(a, key) for a in range(1, len(areas))], (0, key)) for key in keys]
    return groups


def _protect(areas):
    """Small-number suppression of the referral counts in both directions (ADR 0070): a count
    of 1–4 is "<5", and in every additive group (_groups) the hidden cells
    hold at least one cell of 5 or more and SECONDARY_MIN_HIDDEN together, so subtracting the
    shown cells from the total (a subregion from its region, say) never gives one back. Cells
    hidden for one group count for the others; hiding goes on until no group needs more. A
    group too small for that shows every non-zero cell as "x". Returns {(area, key): display}
    of the hidden cells."""
    n = {(a, key): value for a, area in enumerate(areas) for key, value in area["counts"].items()}
    hidden = {cell: SMALL for cell, value in n.items() if is_small(value)}
    groups = _groups(areas)
    changed = True
    while changed:
        changed = False
        for cells, _total in groups:
            hid = [cell for cell in cells if cell in hidden]
            if not hid:  # a hidden total may still follow from another group: no exemption
                continue
            if sum(n[c] for c in hid) >= SECONDARY_MIN_HIDDEN and any(n[c] >= THRESHOLD for c in hid):
                continue
            candidates = sorted((c for c in cells if c not in hidden and n[c] > 0), key=lambda c: (n[c], c))
            if candidates:
                hidden[candidates[0]] = HIDDEN
                changed = True
            else:  # too small a group: "x" no longer tells which cell is the small one
                hidden.update(dict.fromkeys(hid, HIDDEN))
    return hidden


def compute_snapshot(region, school_year):
    """The startfoto of `region` (a top-level region) for `school_year`: the region first, then
    its subregions by name; only suppressed values are stored (ADR 0155, ADR 0070)."""
    subregions = Region.objects.filter(parent=region).order_by("name")
    areas = [_area(school_year, area) for area in [region, *subregions]]
    hidden = _protect(areas)
    for a, area in enumerate(areas):
        for key, value in area.pop("counts").items():
            display = hidden.get((a, key))
            area["rows"][key] = (
                {"value": None, "display": display}
                if display
                else {"value": value, "display": fmt_count(value)}
            )
    return {
        "school_year": school_year.year,
        "measured_on": school_year.measured_on.isoformat(),
        "areas": areas,
    }


@dataclass
class Line:
    label: str
    current: str
    previous: str
    difference: str
    change: float | int | None = None  # the difference as a number (the XLSX cell), None when "—"


@dataclass
class Area:
    code: str
    name: str
    lines: list


def _change(now, before):
    if now is None or before is None:
        return None
    diff = round(now - before, 1)
    return int(diff) if float(diff).is_integer() else diff


def _difference(diff):
    if diff is None:
        return "—"
    text = fmt_days(diff) if isinstance(diff, float) else fmt_count(diff)
    return f"+{text}" if diff > 0 else text


def comparison(current, previous):
    """The areas of `current` (a snapshot dict) with `previous` (a snapshot dict or None) next
    to them; an area missing from one year shows "—" there."""
    empty = {"value": None, "display": "—"}
    before_areas = {area["code"]: area for area in (previous or {}).get("areas", [])}
    areas = []
    for area in current["areas"]:
        before = before_areas.get(area["code"], {"rows": {}})["rows"]
        lines = []
        for key, label in row_labels():
            now = area["rows"].get(key, empty)
            then = before.get(key, empty) if previous else empty
            change = _change(now["value"], then["value"])
            lines.append(Line(label, now["display"], then["display"], _difference(change), change))
        areas.append(Area(area["code"], area["name"], lines))
    return areas
