"""Marking views that show child data.

`NoStoreMiddleware` sends `Cache-Control: no-store` on every response to a logged-in user;
a view marked here gets it whatever the user (and the future access log can use the mark).

    @shows_child_data
    def referral_detail(request, pk): ...

    class ReferralDetail(ShowsChildDataMixin, DetailView): ...
"""

CHILD_DATA_ATTRIBUTE = "tandem_shows_child_data"


def shows_child_data(view):
    setattr(view, CHILD_DATA_ATTRIBUTE, True)
    return view


class ShowsChildDataMixin:
    tandem_shows_child_data = True


def view_shows_child_data(view_func):
    if getattr(view_func, CHILD_DATA_ATTRIBUTE, False):
        return True
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    return bool(view_class and getattr(view_class, CHILD_DATA_ATTRIBUTE, False))
