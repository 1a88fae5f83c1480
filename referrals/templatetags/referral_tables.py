"""`{% load referral_tables %}{% referral_rows rows show_school=... %}`: the rows of a referral
list, written by referrals.tables."""

from django import template

from referrals.tables import referral_rows_html

register = template.Library()


@register.simple_tag
def referral_rows(rows, show_school=False, show_municipality=False, show_assigned=False):
    return referral_rows_html(
        rows,
        show_school=bool(show_school),
        show_municipality=bool(show_municipality),
        show_assigned=bool(show_assigned),
    )
