"""Routing (ADR 0051): the school's active tandem decides the district team; without
one, the district team of the school's municipality (the first by name when there are several).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from contacts.models import ContactAssignment, DistrictTeam, Tandem


@dataclass
class Route:
    team: object
    reason: str


def route_for(school):
    tandem = Tandem.objects.current().filter(school=school).select_related("district_team").first()
    if tandem is not None:
        return Route(
            tandem.district_team,
            _("routed to %(team)s because this team holds the tandem with %(school)s")
            % {"team": tandem.district_team.name, "school": school.name},
        )
    team = DistrictTeam.objects.filter(municipality_id=school.municipality_id).order_by("name", "pk").first()
    if team is not None:
        return Route(
            team,
            _(
                "routed to %(team)s because %(school)s has no tandem "
                "and this is the district team of %(municipality)s"
            )
            % {"team": team.name, "school": school.name, "municipality": school.municipality.name},
        )
    return Route(None, "")


def home_municipality_contact_users(referral):
    """Users of the home municipality's vaste contactpersoon, when the home municipality
    differs from the school's municipality."""
    if (
        referral.home_municipality_id is None
        or referral.home_municipality_id == referral.school.municipality_id
    ):
        return []
    assignment = (
        ContactAssignment.objects.current()
        .filter(municipality_id=referral.home_municipality_id)
        .select_related("person__user", "backup__user")
        .first()
    )
    if assignment is None:
        return []
    users = []
    for person in (assignment.person, assignment.backup):
        user = getattr(person, "user", None) if person is not None else None
        if user is not None:
            users.append(user)
    return users
