"""`{% load precedent_tables %}{% precedent_rows precedents edit=True %}`: the rows of a
precedent table, written by escalations.tables."""

from django import template

from escalations.tables import precedent_rows_html

register = template.Library()


@register.simple_tag
def precedent_rows(precedents, edit=False):
    return precedent_rows_html(precedents, edit=bool(edit))
