"""Who sees figures and reports (ADR 0002, ADR 0071): steering members (their region and subregions),
partnership directors (their SWV) and municipal officers (their municipality)."""

from contacts.models import Region, Role
from contacts.permissions import (
    has_role,
    home_region_ids,
    member_required,
    membership_region_id,
    memberships,
    region_q,
    role_required,
)
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


# --- Published reports (ADR 0150) -------------------------------------------------------------
# Every account of the region reads what its steering group published; a draft stays with the
# steering group, and a report of another region does not exist for the reader (404).
# Every membership is held for an organisation that lies in a region (Membership's
# role-matches-organisation constraint; municipalities and partnerships always have one), so
# "has a home region" is "has a membership".
published_required = member_required


def published_reports(user):
    return ProgressReport.objects.filter(
        region_q("region", home_region_ids(user)),
        published_at__isnull=False,
        status=ProgressReport.Status.DONE,
    )


def can_publish(user, report):
    """A steering member of the report's region publishes a finished region or subregion report."""
    if report.region_id is None:
        return False
    region_ids = {m.region_id for m in memberships(user) if m.role == Role.STEERING_MEMBER}
    return report.region_id in region_ids or report.region.parent_id in region_ids


def reading_membership(user, report):
    """The membership through which the user reads a published report (for the access log)."""
    root_id = report.region.parent_id or report.region_id
    return next((m for m in memberships(user) if membership_region_id(m) == root_id), None)


# --- The startfoto (ADR 0155) -----------------------------------------------------------------
# Every account of the region reads its startfoto (it holds only suppressed figures, like a
# published report); the region's steering group freezes it. Another region's: 404.


def startfoto_regions(user):
    """The top-level regions whose startfoto the user reads."""
    return Region.objects.filter(pk__in=home_region_ids(user), parent__isnull=True).order_by("name")


def can_freeze_startfoto(user, region):
    return any(
        m.role == Role.STEERING_MEMBER and m.region_id is not None and m.region.root.pk == region.pk
        for m in memberships(user)
    )


def startfoto_membership(user, region):
    """The membership through which the user reads the region's startfoto (for the access log)."""
    return next((m for m in memberships(user) if membership_region_id(m) == region.pk), None)
