"""What each role sees on the home page: the entry points for that membership.

Apps register their entry points with `register(role, url_name, label)`; a url name that
does not resolve (an app not built yet) is left out.
"""

from collections import defaultdict

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from contacts.models import Role

_ENTRY_POINTS = defaultdict(list)


def register(role, url_name, label, description=""):
    _ENTRY_POINTS[Role(role)].append((url_name, label, description))


def entry_points_for(membership):
    points = []
    for url_name, label, description in _ENTRY_POINTS[Role(membership.role)]:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        points.append({"url": url, "label": label, "description": description})
    return points


ROLE_DESCRIPTIONS = {
    Role.SCHOOL_COORDINATOR: _("You refer pupils of your school for youth care in school."),
    Role.DISTRICT_WORKER: _("You triage and take up referrals routed to your district team."),
    Role.PARTNERSHIP_DIRECTOR: _("You decide escalated cases for the schools of your partnership."),
    Role.MUNICIPAL_OFFICER: _("You decide escalated cases for the youth care of your municipality."),
    Role.STEERING_MEMBER: _("You follow the work agenda and the progress reports of the region."),
    Role.REGISTRY_ADMIN: _("You keep the network registry and the accounts up to date."),
    Role.PRIVACY_OFFICER: _("You supervise who accessed which data (access log)."),
}
