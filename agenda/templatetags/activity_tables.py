"""`{% load activity_tables %}{% activity_rows activities %}`: the rows of an activity table,
written by agenda.tables."""

from django import template

from agenda.tables import activity_rows_html

register = template.Library()


@register.simple_tag
def activity_rows(activities):
    return activity_rows_html(activities)
