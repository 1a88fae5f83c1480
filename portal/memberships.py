"""Who a user is in the network: their memberships (one per role in an organisation).

The memberships live in the contacts app, which portal does not import; contacts registers
where they come from in its AppConfig.ready() with `set_source(func)`. The navigation and
the home page read them through `memberships(user)` and `roles(user)`.
"""

from django.core.exceptions import ImproperlyConfigured

_source = None


def set_source(func):
    """func(user) -> the user's memberships (objects with .role, .pk, .get_role_display()
    and .organisation), [] for an anonymous user; cached per request by the provider."""
    global _source
    _source = func


def memberships(user):
    if _source is None:
        raise ImproperlyConfigured(
            "No membership source: the contacts app registers one with portal.memberships.set_source() "
            "in its AppConfig.ready()."
        )
    return _source(user)


def roles(user):
    """The user's roles as plain strings (a role enum member compares equal to its string)."""
    return {str(m.role) for m in memberships(user)}
