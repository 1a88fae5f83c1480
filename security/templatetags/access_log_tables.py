"""`{% load access_log_tables %}{% access_log_rows entries %}`: the access-log viewer's rows,
written by security.tables."""

from django import template

from security.tables import access_log_rows_html

register = template.Library()


@register.simple_tag
def access_log_rows(entries):
    return access_log_rows_html(entries)
