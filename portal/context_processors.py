from portal import theme as portal_theme
from portal.navigation import items_for


def navigation(request):
    """`nav_items` for base.html: the entries of portal/navigation.py this user may see."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {"nav_items": items_for(user, current)}


def theme(request):
    """`theme` for base.html: the user's region's theme, else the installation's (ADR 0164).
    From the cache: no query on a page."""
    return {"theme": portal_theme.theme_for_user(getattr(request, "user", None))}
