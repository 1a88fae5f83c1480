"""`{% load account_tables %}{% account_rows accounts %}`: the rows of the account list, written
by contacts.tables."""

from django import template

from contacts.tables import account_rows_html

register = template.Library()


@register.simple_tag
def account_rows(accounts):
    return account_rows_html(accounts)
