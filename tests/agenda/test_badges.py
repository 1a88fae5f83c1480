"""The work agenda's status badges (agenda/templatetags/agenda_badges.py)."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from agenda.models import Activity, ActivityStatus, UpdateStatus


def render(source, **context):
    return Template("{% load agenda_badges %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("status", "modifier"),
    [
        (UpdateStatus.ON_TRACK, "success"),
        (UpdateStatus.AT_RISK, "warning"),
        (UpdateStatus.OFF_TRACK, "danger"),
    ],
)
def test_each_progress_status_has_its_badge(status, modifier):
    html = render("{% status_badge status label %}", status=status, label=status.label)
    assert (
        html == f'<span class="utrecht-status-badge utrecht-status-badge--{modifier}">{status.label}</span>'
    )


def test_without_an_update_it_says_so_in_the_page_language():
    with translation.override("nl"):
        assert render("{% status_badge '' '' %}") == '<span class="tandem-muted">nog geen melding</span>'


def test_the_label_is_escaped():
    html = render("{% status_badge 'at_risk' label %}", label="<b>x</b>")
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>" not in html


def test_only_an_open_activity_past_its_due_date_is_overdue():
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = Activity(status=ActivityStatus.IN_PROGRESS, due_date=yesterday)
    done = Activity(status=ActivityStatus.DONE, due_date=yesterday)
    future = Activity(
        status=ActivityStatus.PLANNED, due_date=timezone.localdate() + datetime.timedelta(days=1)
    )
    assert "agenda-overdue" in render("{% overdue_badge a %}", a=late)
    assert render("{% overdue_badge a %}", a=done) == ""
    assert render("{% overdue_badge a %}", a=future) == ""
