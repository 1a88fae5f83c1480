from contacts.permissions import memberships, roles
from portal.navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not memberships(user):
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = items_for(user, roles(user))
    for item in items:
        item["current"] = item["url_name"] == current
    return {"nav_items": items}
