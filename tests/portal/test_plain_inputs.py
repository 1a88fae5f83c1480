"""portal.forms writes <input> and <textarea> in Python (bench/FINDINGS.md, 2026-12-07): the
markup must be what Django's widget templates write, for every kind of value and attribute."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from portal.forms import PlainInputRendering, TandemForm, _plain_input_class

ATTRS = {
    "id": "id_x",
    "class": "utrecht-textbox",
    "required": True,
    "disabled": False,
    "aria-x": 'a"b',
    "n": 3,
}


def _both(widget_class, value, attrs=ATTRS, **kwargs):
    django = widget_class(**kwargs).render("x", value, attrs=dict(attrs), renderer=DjangoTemplates())
    plain = _plain_input_class(widget_class)(**kwargs).render("x", value, attrs=dict(attrs))
    return str(plain), str(django)


@pytest.mark.parametrize(
    ("widget_class", "value", "kwargs"),
    [
        (forms.TextInput, None, {}),
        (forms.TextInput, "", {}),
        (forms.TextInput, 'Jan "de" <Vries> & zn', {}),
        (forms.TextInput, mark_safe("<i>al veilig</i>"), {}),
        (forms.NumberInput, 0, {}),
        (forms.NumberInput, 2.5, {}),
        (forms.EmailInput, "ib@school.nl", {}),
        (forms.DateInput, datetime.date(2026, 12, 7), {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}),
        (forms.DateInput, None, {"attrs": {"type": "date"}}),
        (forms.HiddenInput, "42", {}),
        (forms.PasswordInput, "secret", {}),
        (forms.PasswordInput, "secret", {"render_value": True}),
        (forms.CheckboxInput, True, {}),
        (forms.CheckboxInput, False, {}),
        (forms.CheckboxInput, "on", {}),
        (forms.Textarea, None, {}),
        (forms.Textarea, "", {}),
        (forms.Textarea, 'Regel 1\nRegel <2> & "3"', {}),
    ],
)
def test_same_markup_as_djangos_templates(widget_class, value, kwargs):
    plain, django = _both(widget_class, value, **kwargs)
    assert plain == django


def test_values_are_escaped():
    plain, _django = _both(forms.TextInput, '"><script>alert(1)</script>')
    assert "<script>" not in plain
    plain, _django = _both(forms.Textarea, "</textarea><script>")
    assert "<script>" not in plain


class _Own(forms.TextInput):
    template_name = "forms/field.html"  # any widget with a template of its own


class _Form(TandemForm):
    name = forms.CharField()
    note = forms.CharField(widget=forms.Textarea)
    agree = forms.BooleanField(required=False)
    own = forms.CharField(widget=_Own, required=False)
    upload = forms.FileField(required=False)


def test_a_tandem_form_renders_its_inputs_plain_and_keeps_the_widget_type():
    form = _Form()
    for name in ("name", "note", "agree"):
        assert isinstance(form.fields[name].widget, PlainInputRendering)
    assert [form[n].widget_type for n in ("name", "note", "agree")] == ["text", "textarea", "checkbox"]
    # A widget with a template of its own, and the file input (clearable), keep Django's rendering.
    assert not isinstance(form.fields["own"].widget, PlainInputRendering)
    assert not isinstance(form.fields["upload"].widget, PlainInputRendering)
