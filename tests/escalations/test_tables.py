"""escalations.tables writes the rows of the precedent tables and of the escalation inbox in
Python: the same markup as the templates wrote before (kept below as the reference)."""

import itertools

import pytest
from django.template import engines
from django.utils import translation

from escalations.models import CarriedBy, Escalation, Precedent
from escalations.selectors import DOMAINS
from escalations.tables import decided_escalation_rows_html, open_escalation_rows_html, precedent_row_html
from escalations.views import INBOX_COLUMNS
from tests.escalations.fixtures import decided_escalation, open_escalation, published_precedent

pytestmark = pytest.mark.django_db

# templates/escalations/_precedent_row.html as it was, included once per row.
TEMPLATE_ROW = """{% load i18n %}<tr>
  <th scope="row"><a class="utrecht-link" href="{% if edit %}{% url 'escalations:precedent_edit' p.pk %}{% else %}{% url 'escalations:precedent' p.pk %}{% endif %}">{{ p.title|default:_("(untitled draft)") }}</a></th>
  <td>{{ p.get_reason_display|capfirst }}</td>
  <td>{% for d in p.domains.all %}{{ d.get_domain_display }}{% if not forloop.last %}, {% endif %}{% endfor %}</td>
  <td>{{ p.school_type|upper }}</td>
  <td>{{ p.get_age_band_display }}</td>
  <td>{{ p.get_carried_by_display|capfirst }}</td>
  <td>{{ p.region.name|default:"—" }}</td>
</tr>
"""  # noqa: E501 - the template's own lines


def test_every_kind_of_row_is_written_as_the_template_wrote_it(world):
    director = world.user("partnership_director")
    published_precedent(director, domains=("behaviour", "learning"), partnership=world.partnership)
    published_precedent(director, domains=(), title="", age_band="", municipality=world.municipality)
    published_precedent(director, title="<script>alert('x')</script> & \"zo\"", school_type="vso")
    published_precedent(director, status=Precedent.Status.DRAFT, carried_by="youth_care", reason="other")
    precedents = list(
        Precedent.objects.select_related("partnership__region__parent", "municipality__region__parent")
        .prefetch_related(DOMAINS)
        .order_by("pk")
    )
    template = engines["django"].from_string(TEMPLATE_ROW)
    compared = 0
    for precedent, edit in itertools.product(precedents, [False, True]):
        expected = template.render({"p": precedent, "edit": edit})
        assert str(precedent_row_html(precedent, edit=edit)) == expected.rstrip("\n"), (precedent.pk, edit)
        compared += 1
    assert compared == 8
    assert "<script>" not in str(precedent_row_html(precedents[2]))


def test_a_precedent_table_fetches_what_its_rows_read_and_not_the_texts(world, django_assert_num_queries):
    from escalations.tables import for_rows

    director = world.user("partnership_director")
    published_precedent(director, domains=("behaviour", "learning"), partnership=world.partnership)
    published_precedent(director, domains=(), municipality=world.municipality)
    published_precedent(director)  # neither organisation: no region
    joined = Precedent.objects.select_related(
        "partnership__region__parent", "municipality__region__parent"
    ).prefetch_related(DOMAINS)
    expected = [str(precedent_row_html(p)) for p in joined.order_by("pk")]
    with django_assert_num_queries(2):  # the precedents, their domains
        rows = list(for_rows(joined).order_by("pk"))
        assert [str(precedent_row_html(p)) for p in rows] == expected
    assert {"summary", "outcome", "rationale", "split"} <= rows[0].get_deferred_fields()


# The rows of templates/escalations/inbox.html as they were, written in the template's loops.
TEMPLATE_OPEN_ROW = """<tr>
  <th scope="row"><a class="utrecht-link" href="{% url 'escalations:detail' e.pk %}">{{ e.referral.reference }}</a></th>
  <td>{{ e.get_reason_display|capfirst }}</td>
  <td>{{ e.referral.school.name }}</td>
  <td>{{ e.municipality.name }}</td>
  <td>{{ e.get_raised_side_display|capfirst }}</td>
  <td>{{ e.raised_at|date:"DATE_FORMAT" }}</td>
</tr>"""  # noqa: E501 - the template's own lines
TEMPLATE_DECIDED_ROW = """<tr>
  <th scope="row"><a class="utrecht-link" href="{% url 'escalations:detail' e.pk %}">{{ e.referral.reference }}</a></th>
  <td>{{ e.get_reason_display|capfirst }}</td>
  <td>{{ e.referral.school.name }}</td>
  <td>{{ e.decision.get_carried_by_display|capfirst }}</td>
  <td>{{ e.decided_at|date:"DATE_FORMAT" }}</td>
</tr>"""  # noqa: E501 - the template's own lines


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_inbox_rows_are_written_as_the_template_wrote_them(world, language):
    world.school.name = '<b>"De Regenboog"</b> & co'
    world.school.save()
    first = open_escalation(world)
    second = open_escalation(world, reason="other", actor="district_worker")
    decided = decided_escalation(world, carried_by=CarriedBy.SHARED, split="Half om half.")
    loaded = {
        e.pk: e
        for e in Escalation.objects.select_related("referral__school", "municipality", "decision").only(
            *INBOX_COLUMNS, "decision__carried_by"
        )
    }
    engine = engines["django"]
    with translation.override(language):
        for escalation in (loaded[first.pk], loaded[second.pk]):
            expected = engine.from_string(TEMPLATE_OPEN_ROW).render({"e": escalation})
            assert str(open_escalation_rows_html([escalation])) == expected
        expected = engine.from_string(TEMPLATE_DECIDED_ROW).render({"e": loaded[decided.pk]})
        assert str(decided_escalation_rows_html([loaded[decided.pk]])) == expected
    html = str(open_escalation_rows_html([loaded[first.pk], loaded[second.pk]]))
    assert html.count("<tr>") == 2 and "<b>" not in html and "&lt;b&gt;" in html
