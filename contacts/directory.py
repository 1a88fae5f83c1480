"""The directory lists: one configuration per kind, shared by the list pages and the exports."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from contacts import filters, selectors
from contacts.models import CareProvider, DistrictTeam, Municipality, Partnership, Person, School


@dataclass(frozen=True)
class ListKind:
    key: str
    title: str
    filterset: type
    template: str
    export_kind: str

    def queryset(self):
        return QUERYSETS[self.key]()


def _schools():
    qs = School.objects.select_related("municipality__region__parent", "partnership").order_by(
        "name", "brin", "vestiging"
    )
    return selectors.with_current_tandem(selectors.with_current_contact(qs))


def _municipalities():
    return selectors.with_current_contact(
        Municipality.objects.select_related("region__parent").order_by("name")
    )


def _partnerships():
    return selectors.with_current_contact(
        Partnership.objects.select_related("region__parent").order_by("name")
    )


def _district_teams():
    return selectors.with_current_contact(
        DistrictTeam.objects.select_related("municipality__region__parent").order_by("name")
    )


def _care_providers():
    return CareProvider.objects.select_related("region__parent").order_by("name")


def _persons():
    return Person.objects.prefetch_related(
        # Each with its region, which the national list shows (ADR 0147).
        Prefetch(
            "schools", queryset=School.objects.select_related("municipality__region__parent").order_by("name")
        ),
        Prefetch(
            "district_teams",
            queryset=DistrictTeam.objects.select_related("municipality__region__parent").order_by("name"),
        ),
        Prefetch(
            "municipalities", queryset=Municipality.objects.select_related("region__parent").order_by("name")
        ),
        Prefetch(
            "partnerships", queryset=Partnership.objects.select_related("region__parent").order_by("name")
        ),
        Prefetch(
            "care_providers", queryset=CareProvider.objects.select_related("region__parent").order_by("name")
        ),
    ).order_by("name", "email")


QUERYSETS = {
    "schools": _schools,
    "municipalities": _municipalities,
    "partnerships": _partnerships,
    "district_teams": _district_teams,
    "care_providers": _care_providers,
    "persons": _persons,
}

KINDS = {
    "schools": ListKind("schools", _("Schools"), filters.SchoolFilter, "contacts/_schools.html", "schools"),
    "municipalities": ListKind(
        "municipalities",
        _("Municipalities"),
        filters.MunicipalityFilter,
        "contacts/_municipalities.html",
        "municipalities",
    ),
    "partnerships": ListKind(
        "partnerships",
        _("Partnerships"),
        filters.PartnershipFilter,
        "contacts/_partnerships.html",
        "partnerships",
    ),
    "district_teams": ListKind(
        "district_teams",
        _("District teams"),
        filters.DistrictTeamFilter,
        "contacts/_district_teams.html",
        "district_teams",
    ),
    "care_providers": ListKind(
        "care_providers",
        _("Care providers"),
        filters.CareProviderFilter,
        "contacts/_care_providers.html",
        "care_providers",
    ),
    "persons": ListKind(
        "persons", _("Contact persons"), filters.PersonFilter, "contacts/_persons.html", "persons"
    ),
}
