"""Who may do what in the registry, and the role helpers every app's permissions build on.

Access is scoped by organisation membership, never by "is staff" (ADR 0002). A foreign
object answers 404 (scope the queryset), a forbidden action 403.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from contacts.models import Membership, Role

ALL_ROLES = tuple(Role)
PROFESSIONAL_ROLES = (
    Role.SCHOOL_COORDINATOR,
    Role.DISTRICT_WORKER,
    Role.PARTNERSHIP_DIRECTOR,
    Role.MUNICIPAL_OFFICER,
    Role.STEERING_MEMBER,
)


def memberships(user):
    """The user's memberships, fetched once per request and cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_tandem_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).select_related(
                "school", "district_team", "partnership", "municipality", "region"
            )
        )
        user._tandem_memberships = cached
    return cached


def roles(user):
    return {Role(m.role) for m in memberships(user)}


def has_role(user, *wanted):
    return bool(roles(user) & set(wanted))


def _ids(user, role, field):
    return {getattr(m, f"{field}_id") for m in memberships(user) if m.role == role}


def school_ids(user):
    """Schools where the user is a school coordinator."""
    return _ids(user, Role.SCHOOL_COORDINATOR, "school")


def district_team_ids(user):
    return _ids(user, Role.DISTRICT_WORKER, "district_team")


def partnership_ids(user):
    return _ids(user, Role.PARTNERSHIP_DIRECTOR, "partnership")


def municipality_ids(user):
    return _ids(user, Role.MUNICIPAL_OFFICER, "municipality")


def region_ids(user, role):
    return _ids(user, role, "region")


# --- Registry rules -------------------------------------------------------------------------


def can_read_registry(user):
    """Everyone with an account reads the directory."""
    return bool(getattr(user, "is_authenticated", False) and memberships(user))


def can_admin_registry(user):
    return has_role(user, Role.REGISTRY_ADMIN)


# Who sets a region's own waiting-time norms (ADR 0091): its steering group and its registry
# administrator.
NORM_ROLES = (Role.STEERING_MEMBER, Role.REGISTRY_ADMIN)


def norm_region_ids(user):
    """The (top-level) regions whose norms the user may set."""
    ids = set()
    for m in memberships(user):
        if m.role in NORM_ROLES and m.region_id:
            ids.add(m.region.parent_id or m.region_id)
    return ids


def can_set_norms(user, region):
    return region is not None and region.parent_id is None and region.pk in norm_region_ids(user)


# Which membership ids may maintain the fixed contact of each kind of organisation.
_TARGET_IDS = {
    "school": school_ids,
    "municipality": municipality_ids,
    "partnership": partnership_ids,
    "district_team": district_team_ids,
}

COVERAGE_ROLES = (
    Role.REGISTRY_ADMIN,
    Role.STEERING_MEMBER,
    Role.PARTNERSHIP_DIRECTOR,
    Role.MUNICIPAL_OFFICER,
)


def can_edit_assignment(user, kind, organisation_id):
    """registry_admin everywhere; otherwise members maintain their own organisation's contact:
    a school coordinator for the school, a district worker for the team, a director for the
    partnership, a municipal officer for the municipality."""
    if can_admin_registry(user):
        return True
    ids = _TARGET_IDS.get(kind)
    return bool(ids and organisation_id in ids(user))


def can_edit_tandem(user, school, current_team_id=None, new_team_id=None):
    """registry_admin and the school's coordinators; a district worker for their own team's
    tandems: the school's open tandem (if any) and the new one must both be their team's."""
    if can_admin_registry(user):
        return True
    if school.pk in school_ids(user):
        return True
    own_teams = district_team_ids(user)
    if not own_teams:
        return False
    if current_team_id and current_team_id not in own_teams:
        return False
    return not (new_team_id and new_team_id not in own_teams)


def can_see_coverage(user):
    return has_role(user, *COVERAGE_ROLES)


def person_organisation_choices(user):
    """The organisations (kind, id) a user maintains people for, other than the registry admin."""
    pairs = []
    for kind, ids in _TARGET_IDS.items():
        pairs.extend((kind, pk) for pk in sorted(ids(user)))
    return pairs


def can_create_person(user):
    return can_admin_registry(user) or bool(person_organisation_choices(user))


def can_edit_person(user, person):
    """registry_admin; the person themself; a member of an organisation the person works for."""
    if can_admin_registry(user):
        return True
    if getattr(user, "person_id", None) == person.pk:
        return True
    return (
        bool(school_ids(user) & {s.pk for s in person.schools.all()})
        or bool(district_team_ids(user) & {t.pk for t in person.district_teams.all()})
        or bool(partnership_ids(user) & {p.pk for p in person.partnerships.all()})
        or bool(municipality_ids(user) & {m.pk for m in person.municipalities.all()})
    )


# --- View helpers ---------------------------------------------------------------------------


def role_required(*wanted):
    """Anonymous users go to the login page; users without one of the roles get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if wanted and not has_role(request.user, *wanted):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def member_required(view):
    """Any user with at least one membership."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not memberships(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
