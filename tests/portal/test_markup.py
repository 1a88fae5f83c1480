"""portal.markup.esc escapes as Django's conditional_escape does."""

from django.utils import translation
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


def test_a_date_is_written_as_the_date_filter_writes_it():
    import datetime

    from django.template import engines

    from portal.markup import date_text

    template = engines["django"].from_string('{{ v|date:"DATE_FORMAT" }}|{{ v|date:"SHORT_DATE_FORMAT" }}')
    late_evening = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)  # 1 January in NL
    for value in [late_evening, datetime.date(2026, 2, 3), None]:
        for language in ("nl", "en"):
            with translation.override(language):
                written = f"{date_text(value)}|{date_text(value, 'SHORT_DATE_FORMAT')}"
                assert written == template.render({"v": value}), (value, language)
    with translation.override("nl"):
        assert date_text(late_evening) == "1 januari 2027"


def test_a_link_is_reversed_once_and_filled_per_row():
    from django.urls import reverse

    from portal.markup import Link

    detail = Link("agenda:activity")
    assert detail(7) == reverse("agenda:activity", args=[7])
    by_uuid = Link("referrals:detail", Link.UUID)
    uuid = "94ac016e-99fc-4ba1-ab07-b4c228f44efc"
    assert by_uuid(uuid) == reverse("referrals:detail", args=[uuid])
