"""Who sees figures and reports (ADR 0002, ADR 0071): steering members (their region and subregions),
partnership directors (their SWV) and municipal officers (their municipality)."""

from contacts.models import Role
from contacts.permissions import has_role, memberships, role_required
from reporting.models import ProgressReport
from reporting.scopes import MUNICIPALITY, PARTNERSHIP, report_visibility_q

REPORT_ROLES = (Role.STEERING_MEMBER, Role.PARTNERSHIP_DIRECTOR, Role.MUNICIPAL_OFFICER)

reports_required = role_required(*REPORT_ROLES)


def can_use_reports(user):
    return has_role(user, *REPORT_ROLES)


def visible_reports(user):
    return ProgressReport.objects.filter(report_visibility_q(user))


def acting_membership(user, scope):
    """The membership through which the user sees `scope` (for the access log)."""
    for m in memberships(user):
        if (
            scope.kind == PARTNERSHIP
            and m.role == Role.PARTNERSHIP_DIRECTOR
            and m.partnership_id == scope.obj.pk
        ):
            return m
        if (
            scope.kind == MUNICIPALITY
            and m.role == Role.MUNICIPAL_OFFICER
            and m.municipality_id == scope.obj.pk
        ):
            return m
        if (
            scope.kind not in (PARTNERSHIP, MUNICIPALITY)
            and m.role == Role.STEERING_MEMBER
            and m.region_id in (scope.obj.pk, scope.obj.parent_id)
        ):
            return m
    return None
