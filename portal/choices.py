"""A field's choice label, as `instance.get_FOO_display()` gives it, without rebuilding the
field's whole choice list on every call: Django's get_FOO_display makes a dict of all the
field's choices each time (69 µs a call for the precedent table's reasons, age bands and
carrying sides under the profiler; bench/FINDINGS.md). The labels stay lazy, so they follow
the request's language."""

import functools

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@functools.cache
def _labels(field):
    return dict(make_hashable(field.flatchoices))


def choice_label(instance, name):
    """What `instance.get_<name>_display()` returns."""
    field = instance._meta.get_field(name)
    value = getattr(instance, field.attname)
    return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
