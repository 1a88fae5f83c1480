"""portal.forms renders <select> in Python (bench/FINDINGS.md): the markup must be what Django's
widget templates write, for every kind of choice list."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from portal.forms import Select, SelectMultiple, TandemForm

CHOICES = [("", "Every school"), (1, "De Regenboog"), (2, 'School "A" & <B>'), (3, "Één")]
GROUPED = [("", "---"), ("Noord", [(1, "Een"), (2, "Twee")]), ("Zuid", [(3, "Drie")])]


def _django(widget_class, name, value, attrs, choices):
    widget = widget_class(choices=choices)
    return widget.render(name, value, attrs=attrs, renderer=DjangoTemplates())


def _plain(widget_class, name, value, attrs, choices):
    return widget_class(choices=choices).render(name, value, attrs=attrs)


def _tidy(html):
    return re.sub(r">\s+<", "><", str(html).strip())


@pytest.mark.parametrize(
    ("django_class", "plain_class", "value", "choices"),
    [
        (forms.Select, Select, "", CHOICES),
        (forms.Select, Select, 2, CHOICES),
        (forms.Select, Select, None, GROUPED),
        (forms.Select, Select, 3, GROUPED),
        (forms.SelectMultiple, SelectMultiple, [1, 3], CHOICES),
        (forms.SelectMultiple, SelectMultiple, [], GROUPED),
        (forms.SelectMultiple, SelectMultiple, [2, 3], GROUPED),
        # A single select selects the first matching option only; a None value is "".
        (forms.Select, Select, 1, [(1, "Een"), (1, "Nog een"), (None, "Geen")]),
        (forms.Select, Select, "", [(1, "Een"), (None, "Geen")]),
        (forms.Select, Select, 4, [(4, 4), ("x", 5.5)]),
    ],
)
def test_same_markup_as_djangos_templates(django_class, plain_class, value, choices):
    attrs = {
        "id": "id_school",
        "class": "utrecht-select",
        "required": True,
        "disabled": False,
        "aria-x": 'a"b',
    }
    expected = _django(django_class, "school", value, attrs, choices)
    assert _tidy(_plain(plain_class, "school", value, attrs, choices)) == _tidy(expected)


def test_values_and_labels_are_escaped():
    html = str(_plain(Select, "s", None, {}, [('"><script>', "<b>x</b>")]))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_tandem_forms_use_it_and_keep_the_widget_type():
    class F(TandemForm):
        one = forms.ChoiceField(choices=CHOICES)
        many = forms.MultipleChoiceField(choices=CHOICES)

    form = F()
    assert type(form.fields["one"].widget) is Select
    assert type(form.fields["many"].widget) is SelectMultiple
    assert form["one"].widget_type == "select"
    assert form["many"].widget_type == "selectmultiple"
    assert 'class="utrecht-select"' in str(form["one"])


def test_a_field_added_after_init_is_dressed_too():
    class F(TandemForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["late"] = forms.ChoiceField(choices=CHOICES)

    form = F()
    html = str(form["late"])
    assert type(form.fields["late"].widget) is Select
    assert html.count("utrecht-select") == 1
    assert str(form["late"]) == html  # dressed once, however often it is rendered


@pytest.mark.django_db
def test_same_markup_for_a_model_choice_field(world):
    from contacts.models import School

    field = forms.ModelChoiceField(queryset=School.objects.order_by("name"))
    attrs = {"id": "id_school"}
    expected = forms.Select(choices=field.choices).render("school", world.school.pk, attrs, DjangoTemplates())
    plain = Select(choices=field.choices).render("school", world.school.pk, attrs)
    assert _tidy(plain) == _tidy(expected)
    assert f'value="{world.school.pk}" selected' in plain
