"""`{% load inbox_tables %}{% open_escalation_rows rows %}` and `{% decided_escalation_rows rows %}`:
the rows of the escalation inbox's tables, written by escalations.tables."""

from django import template

from escalations.tables import decided_escalation_rows_html, open_escalation_rows_html

register = template.Library()


@register.simple_tag
def open_escalation_rows(escalations):
    return open_escalation_rows_html(escalations)


@register.simple_tag
def decided_escalation_rows(escalations):
    return decided_escalation_rows_html(escalations)
