"""Choice labels without rebuilding the field's whole choice list on every call.

Django's `instance.get_FOO_display()` makes a dict of all the field's choices each time it is
called (69 µs a call for the precedent table's reasons, age bands and carrying sides under the
profiler; bench/FINDINGS.md), and the list pages call it several times a row. Here the dict is
made once per field. `choice_label(instance, name)` gives the label directly;
`cache_choice_labels()` (called from portal's AppConfig.ready) makes the project's own models'
`get_FOO_display` use the same, where Django generated it (a model's own method is left
alone). The labels stay lazy, so they follow the request's language
(tests/portal/test_choices.py compares every choice of every field with Django's own).
"""

import functools

from django.apps import apps
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@functools.cache
def _labels(field):
    return dict(make_hashable(field.flatchoices))


def _display(instance, field):
    value = getattr(instance, field.attname)
    # As Django's Model._get_FIELD_display: force_str() turns the lazy label into text.
    return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)


def choice_label(instance, name):
    """What `instance.get_<name>_display()` returns."""
    return _display(instance, instance._meta.get_field(name))


def cache_choice_labels(app_labels):
    """Point the generated get_FOO_display of the apps' models at the cached labels."""
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                name = f"get_{field.name}_display"
                if field.choices is not None and isinstance(
                    model.__dict__.get(name), functools.partialmethod
                ):
                    setattr(model, name, functools.partialmethod(_display, field=field))
