"""What a report is about: the whole region, a subregion, a partnership (SWV) or a municipality.

Referral figures follow the school for regions, subregions and partnerships, and the child's
home municipality for a municipality (it pays for youth care: woonplaatsbeginsel); see
docs/adr/0071-report-scopes-and-waiting-times.md.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from contacts.models import Municipality, Partnership, Region, Role, School
from contacts.permissions import memberships
from contacts.selectors import in_region_q

REGION, SUBREGION, PARTNERSHIP, MUNICIPALITY = "region", "subregion", "partnership", "municipality"
KEY_PREFIX = {REGION: "r", SUBREGION: "r", PARTNERSHIP: "p", MUNICIPALITY: "m"}


@dataclass(frozen=True)
class Scope:
    kind: str
    obj: object

    @classmethod
    def for_region(cls, region):
        return cls(SUBREGION if region.parent_id else REGION, region)

    @classmethod
    def for_partnership(cls, partnership):
        return cls(PARTNERSHIP, partnership)

    @classmethod
    def for_municipality(cls, municipality):
        return cls(MUNICIPALITY, municipality)

    @property
    def key(self):
        return f"{KEY_PREFIX[self.kind]}-{self.obj.pk}"

    @property
    def label(self):
        names = {
            REGION: _("region %(name)s"),
            SUBREGION: _("subregion %(name)s"),
            PARTNERSHIP: _("partnership %(name)s"),
            MUNICIPALITY: _("municipality %(name)s"),
        }
        label = names[self.kind] % {"name": self.obj.name}
        kind_word = label.split(" ", 1)[0].lower()
        # "Regio Utrecht" stays "Regio Utrecht", not "regio Regio Utrecht".
        return self.obj.name if self.obj.name.lower().startswith(kind_word) else label

    @property
    def code(self):
        return getattr(self.obj, "code", None) or getattr(self.obj, "cbs_code", "")

    @property
    def region(self):
        """The region whose agenda and meetings apply (the root region)."""
        if self.kind in (REGION, SUBREGION):
            return self.obj.root
        return self.obj.region.root

    # Filters ---------------------------------------------------------------------------------
    def _region_q(self, path):
        if self.kind == REGION:
            return in_region_q(self.obj, path)
        return Q(**{path: self.obj})

    def referral_q(self, prefix=""):
        if self.kind in (REGION, SUBREGION):
            return self._region_q(f"{prefix}school__municipality__region")
        if self.kind == PARTNERSHIP:
            return Q(**{f"{prefix}school__partnership": self.obj})
        return Q(**{f"{prefix}home_municipality": self.obj})

    def escalation_q(self):
        if self.kind in (REGION, SUBREGION):
            return self.referral_q("referral__")
        if self.kind == PARTNERSHIP:
            return Q(partnership=self.obj)
        return Q(municipality=self.obj)

    def school_q(self, prefix=""):
        if self.kind in (REGION, SUBREGION):
            return self._region_q(f"{prefix}municipality__region")
        if self.kind == PARTNERSHIP:
            return Q(**{f"{prefix}partnership": self.obj})
        return Q(**{f"{prefix}municipality": self.obj})

    def municipality_q(self, prefix=""):
        if self.kind in (REGION, SUBREGION):
            return self._region_q(f"{prefix}region")
        if self.kind == PARTNERSHIP:
            return Q(
                **{f"{prefix}id__in": School.objects.filter(partnership=self.obj).values("municipality_id")}
            )
        return Q(**{f"{prefix}id": self.obj.pk})

    # Report model fields ---------------------------------------------------------------------
    def report_fields(self):
        if self.kind in (REGION, SUBREGION):
            return {"region": self.obj, "partnership": None, "municipality": None}
        if self.kind == PARTNERSHIP:
            return {"region": None, "partnership": self.obj, "municipality": None}
        return {"region": None, "partnership": None, "municipality": self.obj}


def scope_of_report(report):
    if report.region_id:
        return Scope.for_region(report.region)
    if report.partnership_id:
        return Scope.for_partnership(report.partnership)
    return Scope.for_municipality(report.municipality)


def allowed_scopes(user):
    """The scopes a user may see figures and reports for, in a stable order.

    Steering members: their region and each of its subregions; directors: their partnership(s);
    officers: their municipality (or municipalities)."""
    scopes = []
    region_ids = [m.region_id for m in memberships(user) if m.role == Role.STEERING_MEMBER]
    partnership_ids = [m.partnership_id for m in memberships(user) if m.role == Role.PARTNERSHIP_DIRECTOR]
    municipality_ids = [m.municipality_id for m in memberships(user) if m.role == Role.MUNICIPAL_OFFICER]
    if region_ids:
        regions = Region.objects.filter(Q(id__in=region_ids) | Q(parent_id__in=region_ids)).select_related(
            "parent"
        )
        roots = sorted((r for r in regions if r.id in region_ids), key=lambda r: r.name)
        for root in roots:
            scopes.append(Scope.for_region(root))
            scopes.extend(
                Scope.for_region(r) for r in sorted(regions, key=lambda r: r.name) if r.parent_id == root.id
            )
    if partnership_ids:
        for p in Partnership.objects.filter(id__in=partnership_ids).select_related("region__parent"):
            scopes.append(Scope.for_partnership(p))
    if municipality_ids:
        for m in Municipality.objects.filter(id__in=municipality_ids).select_related("region__parent"):
            scopes.append(Scope.for_municipality(m))
    seen, unique = set(), []
    for scope in scopes:
        if scope.key not in seen:
            seen.add(scope.key)
            unique.append(scope)
    return unique


def scope_from_key(user, key):
    """The scope named by `key` ("r-3", "p-1", "m-7") if the user may see it, else None."""
    for scope in allowed_scopes(user):
        if scope.key == key:
            return scope
    return None


def report_visibility_q(user):
    """Q on ProgressReport for the reports a user may see (same rule as allowed_scopes)."""
    region_ids = [m.region_id for m in memberships(user) if m.role == Role.STEERING_MEMBER]
    partnership_ids = [m.partnership_id for m in memberships(user) if m.role == Role.PARTNERSHIP_DIRECTOR]
    municipality_ids = [m.municipality_id for m in memberships(user) if m.role == Role.MUNICIPAL_OFFICER]
    q = Q(pk__in=[])
    if region_ids:
        q |= Q(region_id__in=region_ids) | Q(region__parent_id__in=region_ids)
    if partnership_ids:
        q |= Q(partnership_id__in=partnership_ids)
    if municipality_ids:
        q |= Q(municipality_id__in=municipality_ids)
    return q
