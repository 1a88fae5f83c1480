from portal.navigation import items_for


def navigation(request):
    """`nav_items` for base.html: the entries of portal/navigation.py this user may see."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {"nav_items": items_for(user, current)}
