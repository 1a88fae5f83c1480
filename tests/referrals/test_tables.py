"""referrals.tables writes the referral lists' rows in Python: the same markup as the template
that wrote them before (its row is kept below as the reference) and as
templates/referrals/_waiting.html, for every kind of row."""

import itertools
import re

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone

from referrals.models import Referral, SubjectKind
from referrals.tables import referral_row_html, waiting_html
from referrals.waiting import Waiting

pytestmark = pytest.mark.django_db

# The row as templates/referrals/_referral_table.html wrote it with the template language.
TEMPLATE_ROW = """{% load i18n %}{% with r=row.referral w=row.waiting %}
    <tr class="utrecht-table__row">
      <td class="utrecht-table__cell"><a class="utrecht-link" href="{% if r.status == 'draft' %}{% url 'referrals:edit' r.uuid %}{% else %}{% url 'referrals:detail' r.uuid %}{% endif %}">{% if r.reference %}{{ r.reference }}{% else %}{% translate "draft" %}{% endif %}</a></td>
      <td class="utrecht-table__cell">{% if not r.is_about_child %}{{ r.group_label }}{% elif r.anonymised_at %}— ({% translate "anonymised" %}){% else %}{{ r.child_first_name }} {{ r.child_last_name }}{% endif %}</td>
      {% if show_school %}<td class="utrecht-table__cell">{{ r.school.name }}</td>{% endif %}
      {% if show_municipality %}<td class="utrecht-table__cell">{{ r.home_municipality.name|default:"—" }}</td>{% endif %}
      <td class="utrecht-table__cell">{{ r.get_status_display }}</td>
      <td class="utrecht-table__cell">{% if r.urgency == "high" %}<span class="utrecht-status-badge utrecht-status-badge--danger">{{ r.get_urgency_display }}</span>{% else %}{{ r.get_urgency_display }}{% endif %}</td>
      {% if show_assigned %}<td class="utrecht-table__cell">{{ r.assigned_to.full_name|default:"—" }}</td>{% endif %}
      <td class="utrecht-table__cell">{% include "referrals/_waiting.html" with waiting=w %}</td>
    </tr>
  {% endwith %}"""  # noqa: E501 - the template's own lines

WAITINGS = [
    None,
    Waiting("decision", 1234, 30),  # over, with more than three digits
    Waiting("help_started", 40, 20),
    Waiting("decision", 28, 30),  # near
    Waiting("decision", 3, 30),
]


def _normalised(html):
    """Without the template's indentation and the included file's closing newline."""
    return re.sub(r"\s+</td>", "</td>", re.sub(r">\s+<", "><", str(html))).strip()


def _referrals(world):
    school, municipality = world.school, world.municipality
    school.name = 'Basisschool <De "Bron"> & O\'Brien'
    worker = world.user("district_worker")
    worker.full_name = "Sem <b>van</b> 't Hof"
    base = {"school": school, "child_first_name": "Qwirijn", "child_last_name": "<i>d'Ancona</i>"}
    yield Referral(status="draft", **base)
    yield Referral(status="submitted", reference="AJS-2026-00001", urgency="high", **base)
    yield Referral(status="in_triage", reference="AJS-2026-00002", assigned_to=worker, **base)
    yield Referral(status="accepted", reference="AJS-2026-00003", home_municipality=municipality, **base)
    yield Referral(status="closed", reference="AJS-2026-00004", anonymised_at=timezone.now(), **base)
    yield Referral(
        status="submitted",
        reference="AJS-2026-00005",
        subject_kind=SubjectKind.GROUP,
        group_name="6b",
        group_size=28,
        school=school,
    )
    yield Referral(
        status="submitted", reference="AJS-2026-00006", subject_kind=SubjectKind.SCHOOL_WIDE, school=school
    )


def test_the_waiting_time_is_written_as_its_template_writes_it():
    for waiting in WAITINGS:
        expected = render_to_string("referrals/_waiting.html", {"waiting": waiting})
        assert str(waiting_html(waiting)) == expected.strip(), waiting


def test_every_kind_of_row_is_written_as_the_template_wrote_it(world):
    template = engines["django"].from_string(TEMPLATE_ROW)
    columns = [
        dict(zip(("show_school", "show_municipality", "show_assigned"), flags, strict=True))
        for flags in itertools.product([False, True], repeat=3)
    ]
    compared = 0
    for referral, waiting, flags in itertools.product(list(_referrals(world)), WAITINGS, columns):
        row = {"referral": referral, "waiting": waiting}
        expected = template.render({"row": row, **flags})
        assert _normalised(referral_row_html(row, **flags)) == _normalised(expected), (referral.status, flags)
        compared += 1
    assert compared == 7 * 5 * 8
    # What the template escaped, the rows escape: no markup of a name or a school gets through.
    html = str(referral_row_html({"referral": next(_referrals(world)), "waiting": None}, show_school=True))
    assert "<i>" not in html and "&lt;i&gt;d&#x27;Ancona&lt;/i&gt;" in html
    assert "&lt;De &quot;Bron&quot;&gt; &amp; O&#x27;Brien" in html


def test_the_inbox_shows_the_rows(client, world):
    from django.urls import reverse

    from tests.referrals.factories import referral_in

    referral = referral_in(world, "in_triage", urgency="high")
    client.force_login(world.user("district_worker"))
    html = client.get(reverse("referrals:inbox")).content.decode()
    assert f'href="{reverse("referrals:detail", args=[referral.uuid])}">{referral.reference}</a>' in html
    assert "utrecht-status-badge--danger" in html


def test_a_list_fetches_what_its_rows_read_and_not_the_texts(world, django_assert_num_queries):
    """referrals.tables.for_rows: the rows and their waiting times are written from one query,
    as from the whole referral, and the referral's texts stay in the database."""
    from contacts.norms import NormBook
    from referrals.tables import for_rows
    from referrals.waiting import waiting_for
    from tests.referrals.factories import referral_in

    referral_in(world, "in_triage", assigned_to=world.user("district_worker"))
    referral_in(world, "accepted")
    book = NormBook()
    columns = {"show_school": True, "show_municipality": True, "show_assigned": True}

    def written(referrals):
        return [
            str(
                referral_row_html(
                    {"referral": r, "waiting": waiting_for(r, norms=book.for_referral(r))}, **columns
                )
            )
            for r in referrals
        ]

    whole = Referral.objects.select_related(
        "school__municipality__region", "home_municipality", "assigned_to"
    )
    expected = written(whole.order_by("pk"))
    with django_assert_num_queries(1):
        rows = list(for_rows(Referral.objects.order_by("pk"), show_municipality=True, show_assigned=True))
        assert written(rows) == expected
    assert {"question", "goals", "already_done", "decline_explanation"} <= rows[0].get_deferred_fields()
