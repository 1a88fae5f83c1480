"""escalations.tables writes the precedent tables' rows in Python: the same markup as the
template that was included per row before (kept below as the reference)."""

import itertools

import pytest
from django.template import engines

from escalations.models import Precedent
from escalations.selectors import DOMAINS
from escalations.tables import precedent_row_html
from tests.escalations.fixtures import published_precedent

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
