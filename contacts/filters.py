"""Search and filters of the directory lists (django-filter)."""

import re

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models import (
    CareProvider,
    ContactAssignment,
    DistrictTeam,
    Municipality,
    Partnership,
    Person,
    Region,
    School,
    SchoolType,
    Sector,
    Tandem,
)
from portal.forms import TandemForm

POSTCODE = re.compile(r"^([1-9][0-9]{3})\s*([A-Za-z]{2})$")
BRIN = re.compile(r"^([0-9]{2}[A-Za-z]{2})([0-9]{2})?$")


class FilterForm(TandemForm):
    pass


def _subregions(request=None):
    return Region.objects.filter(parent__isnull=False).order_by("name")


def _subregion_filter(field_name):
    return django_filters.ModelChoiceFilter(label=_("Subregion"), queryset=_subregions, field_name=field_name)


class SearchFilterSet(django_filters.FilterSet):
    """A list with a search box `q`: each list says in `search_q` what a search term matches."""

    q = django_filters.CharFilter(label=_("Search"), method="search")

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(self.search_q(value)) if value else queryset

    def search_q(self, value):  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def form(self):
        form = super().form
        form.fields["q"].widget.input_type = "search"
        form.fields["q"].max_length = 200
        return form


def _person_ids(value):
    return Person.objects.filter(name__icontains=value).values("pk")


class SchoolFilter(SearchFilterSet):
    subregion = _subregion_filter("municipality__region")
    school_type = django_filters.ChoiceFilter(label=_("School type"), choices=SchoolType.choices)
    partnership = django_filters.ModelChoiceFilter(label=_("Partnership"), queryset=Partnership.objects.all())
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Municipality.objects.all()
    )

    class Meta:
        model = School
        fields = ["q", "subregion", "school_type", "partnership", "municipality"]
        form = FilterForm

    def search_q(self, value):
        condition = Q(name__icontains=value)
        if match := POSTCODE.match(value):
            condition |= Q(postcode__iexact=f"{match[1]} {match[2].upper()}")
        elif value.isdigit():
            condition |= Q(postcode__startswith=value)
        if match := BRIN.match(value):
            condition |= Q(brin__iexact=match[1], **({"vestiging": match[2]} if match[2] else {}))
        people = _person_ids(value)
        condition |= Q(pk__in=Person.schools.through.objects.filter(person__in=people).values("school_id"))
        condition |= Q(
            pk__in=ContactAssignment.objects.current().filter(person__in=people).values("school_id")
        )
        condition |= Q(
            pk__in=Tandem.objects.current()
            .filter(Q(school_coordinator__in=people) | Q(district_worker__in=people))
            .values("school_id")
        )
        return condition


class MunicipalityFilter(SearchFilterSet):
    subregion = _subregion_filter("region")

    class Meta:
        model = Municipality
        fields = ["q", "subregion"]
        form = FilterForm

    def search_q(self, value):
        people = _person_ids(value)
        return (
            Q(name__icontains=value)
            | Q(cbs_code__iexact=value)
            | Q(cbs_code__iexact=f"GM{value}")
            | Q(
                pk__in=ContactAssignment.objects.current().filter(person__in=people).values("municipality_id")
            )
        )


class PartnershipFilter(SearchFilterSet):
    subregion = _subregion_filter("region")
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices)

    class Meta:
        model = Partnership
        fields = ["q", "subregion", "sector"]
        form = FilterForm

    def search_q(self, value):
        return Q(name__icontains=value) | Q(code__iexact=value)


class DistrictTeamFilter(SearchFilterSet):
    subregion = _subregion_filter("municipality__region")
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Municipality.objects.all()
    )

    class Meta:
        model = DistrictTeam
        fields = ["q", "subregion", "municipality"]
        form = FilterForm

    def search_q(self, value):
        people = _person_ids(value)
        return (
            Q(name__icontains=value)
            | Q(municipality__name__icontains=value)
            | Q(
                pk__in=Person.district_teams.through.objects.filter(person__in=people).values(
                    "districtteam_id"
                )
            )
        )


class CareProviderFilter(SearchFilterSet):
    class Meta:
        model = CareProvider
        fields = ["q"]
        form = FilterForm

    def search_q(self, value):
        return Q(name__icontains=value)


class PersonFilter(SearchFilterSet):
    school = django_filters.ModelChoiceFilter(
        label=_("School"), queryset=School.objects.all(), field_name="schools"
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Municipality.objects.all(), field_name="municipalities"
    )
    partnership = django_filters.ModelChoiceFilter(
        label=_("Partnership"), queryset=Partnership.objects.all(), field_name="partnerships"
    )

    class Meta:
        model = Person
        fields = ["q", "school", "municipality", "partnership"]
        form = FilterForm

    def search_q(self, value):
        return Q(name__icontains=value) | Q(email__icontains=value) | Q(function__icontains=value)
