"""agenda.tables writes the activity tables' rows in Python: the same markup as the template
that wrote them before (its row is kept below as the reference), for every kind of activity, in
English and in Dutch."""

import datetime

import pytest
from django.utils import timezone, translation

from agenda.models import ActivityStatus, UpdateStatus
from agenda.progress import activities_queryset
from agenda.tables import activity_row_html, activity_rows_html
from tests.agenda import factories as af
from tests.contacts import factories as cf
from tests.helpers.rows import assert_written_as_template

pytestmark = pytest.mark.django_db

# The row as templates/agenda/_activity_table.html wrote it with the template language.
TEMPLATE_ROW = """{% load i18n agenda_badges %}
  <tr class="utrecht-table__row" id="activity-{{ activity.pk }}">
    <td class="utrecht-table__cell agenda-nowrap">{{ activity.code }}</td>
    <th scope="row" class="utrecht-table__header-cell agenda-table__title"><a class="utrecht-link" href="{% url 'agenda:activity' activity.pk %}">{{ activity.title }}</a></th>
    <td class="utrecht-table__cell">{% if activity.owner_organisation %}{{ activity.owner_organisation }}{% if activity.owner_region_id %} ({% translate "steering group" %}){% endif %}{% else %}<span class="tandem-muted">{% translate "not assigned" %}</span>{% endif %}{% if activity.owner_person %}<br>{{ activity.owner_person }}{% endif %}</td>
    <td class="utrecht-table__cell">{{ activity.get_status_display }}{% overdue_badge activity %}</td>
    <td class="utrecht-table__cell agenda-nowrap">{{ activity.due_date|date:"SHORT_DATE_FORMAT"|default:"–" }}</td>
    <td class="utrecht-table__cell">{{ activity.impact|default:"–" }}</td>
    <td class="utrecht-table__cell">{{ activity.added_value|default:"–" }}</td>
    <td class="utrecht-table__cell">{% status_badge activity.latest_status activity.latest_status_label %}{% if activity.latest_date %} <span class="tandem-muted agenda-nowrap">{{ activity.latest_date|date:"SHORT_DATE_FORMAT" }}</span>{% endif %}</td>
  </tr>
"""  # noqa: E501 - the template's own lines


def _activities():
    """Activities of every kind: owned by a partnership, a municipality, a steering group, or
    nobody; with and without a person; overdue, done, without a due date; with impact and
    added value or none; with an update of each status or none; markup in the texts."""
    region = cf.RegionFactory(name="Regio <Zuid>")
    ambition = af.AmbitionFactory(agenda=af.AgendaFactory(region=region))
    person = cf.PersonFactory(name="Anne <i>de</i> Wit")
    past = timezone.localdate() - datetime.timedelta(days=10)
    kinds = [
        {"owner_partnership": cf.PartnershipFactory(name="SWV 'De Brug' & co"), "owner_person": person},
        {"owner_municipality": cf.MunicipalityFactory(region=region), "due_date": past},
        {"owner_region": region, "status": ActivityStatus.DONE, "due_date": past, "impact": 3},
        {"title": 'Een <b>"vette"</b> titel', "added_value": 2, "owner_person": person},
        {"status": ActivityStatus.IN_PROGRESS, "due_date": past + datetime.timedelta(days=40)},
    ]
    activities = [af.ActivityFactory(ambition=ambition, **kind) for kind in kinds]
    for activity, status in zip(
        activities, [UpdateStatus.ON_TRACK, UpdateStatus.AT_RISK, UpdateStatus.OFF_TRACK], strict=False
    ):
        af.ProgressUpdateFactory(activity=activity, status=status)
    return list(activities_queryset().filter(ambition=ambition))


def _url(activity):
    return f"/werkagenda/activiteit/{activity.pk}/"


@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_kind_of_activity_is_written_as_the_template_wrote_it(language):
    activities = _activities()
    with translation.override(language):
        assert_written_as_template(
            TEMPLATE_ROW,
            activities,
            "activity",
            activity_row_html,
            lambda a: f"/werkagenda/activiteit/{a.pk}/",
        )
        written = str(activity_rows_html(activities))
    assert all(f"/werkagenda/activiteit/{a.pk}/" in written for a in activities)
    assert "<b>" not in written and "<i>" not in written
    assert "Een &lt;b&gt;&quot;vette&quot;&lt;/b&gt; titel" in written
