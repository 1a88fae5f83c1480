"""portal.markup.esc escapes as Django's conditional_escape does."""

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from portal.markup import esc

VALUES = [
    "",
    "plain",
    "<script>alert('x')</script>",
    'Basisschool <De "Bron"> & O\'Brien',
    "&amp; already escaped",
    mark_safe("<b>safe</b>"),
    gettext_lazy("Log out"),
    12,
    3.5,
    None,
    "—  non-ASCII ë",
]


def test_the_same_text_as_conditional_escape():
    for value in VALUES:
        assert esc(value) == str(conditional_escape(value)), value


def test_a_safe_string_is_left_as_it_is():
    assert esc(mark_safe("<br>")) == "<br>"
