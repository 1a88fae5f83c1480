"""The main navigation: one entry per place, shown to the roles that may use it.

Apps add their entries here; the context processor filters them for the current user.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from contacts.models import Role


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    roles: tuple = ()  # empty: every user with a membership


NAV_ITEMS = [
    NavItem("home", _("Home")),
    NavItem("contacts:directory", _("Directory")),
    NavItem(
        "contacts:coverage",
        _("Coverage"),
        (Role.REGISTRY_ADMIN, Role.STEERING_MEMBER, Role.PARTNERSHIP_DIRECTOR, Role.MUNICIPAL_OFFICER),
    ),
    NavItem("agenda:index", _("Work agenda")),
]
NAV_ITEMS += [
    NavItem("referrals:list", _("Referrals"), (Role.SCHOOL_COORDINATOR,)),
    NavItem("referrals:inbox", _("Triage inbox"), (Role.DISTRICT_WORKER,)),
    NavItem("referrals:notifications", _("Notifications")),
]
_REPORT_ROLES = (Role.STEERING_MEMBER, Role.PARTNERSHIP_DIRECTOR, Role.MUNICIPAL_OFFICER)
NAV_ITEMS += [
    NavItem("reporting:dashboard", _("Dashboard"), _REPORT_ROLES),
    NavItem("reporting:report_list", _("Reports"), _REPORT_ROLES),
]
NAV_ITEMS.append(
    NavItem("escalations:inbox", _("Escalations"), (Role.PARTNERSHIP_DIRECTOR, Role.MUNICIPAL_OFFICER))
)
NAV_ITEMS.append(
    NavItem(
        "escalations:precedents",
        _("Precedents"),
        (
            Role.SCHOOL_COORDINATOR,
            Role.DISTRICT_WORKER,
            Role.PARTNERSHIP_DIRECTOR,
            Role.MUNICIPAL_OFFICER,
            Role.STEERING_MEMBER,
        ),
    )
)
NAV_ITEMS.append(NavItem("security:access_log", _("Access log"), (Role.PRIVACY_OFFICER,)))
NAV_ITEMS.append(NavItem("security:subject_access", _("Subject access request"), (Role.PRIVACY_OFFICER,)))


def items_for(user, user_roles):
    visible = []
    for item in NAV_ITEMS:
        if item.roles and not (set(item.roles) & user_roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # an app that is not installed in this build
            continue
        visible.append({"url": url, "label": item.label, "url_name": item.url_name})
    return visible


__all__ = ["NAV_ITEMS", "NavItem", "Role", "items_for"]
