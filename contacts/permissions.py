"""Who may do what in the registry, and the role helpers every app's permissions build on.

DESIGN §2: access is scoped by organisation membership, never by "is staff". A foreign
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
