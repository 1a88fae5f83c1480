"""Check-constraint conditions shared by the models: one of several organisation fields set."""

import functools
import operator

from django.db.models import Q


def only_set(field, fields, **also):
    """`field` is set (and `also` holds) while every other of `fields` is empty."""
    part = Q(**{f"{field}__isnull": False}, **also)
    for other in fields:
        if other != field:
            part &= Q(**{f"{other}__isnull": True})
    return part


def any_of(conditions):
    return functools.reduce(operator.or_, conditions)
