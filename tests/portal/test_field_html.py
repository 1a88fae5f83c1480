"""portal.forms writes fields and forms in Python (bench/FINDINGS.md): the markup must be what
templates/forms/field.html and templates/forms/div.html write, for every kind of field and
state."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from portal.forms import TandemForm, _choices_html, _field_html, _form_html
from referrals.forms import DateInput


class Everything(TandemForm):
    name = forms.CharField(label="Naam & <toevoeging>", help_text='Zoals in "BRP"', max_length=20)
    email = forms.EmailField(required=False)
    note = forms.CharField(widget=forms.Textarea, required=False, help_text="Kort.")
    kind = forms.ChoiceField(choices=[("", "---"), ("a", "A & B")], required=False)
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    agree = forms.BooleanField(label="Akkoord", help_text="Verplicht <b>vet</b>")
    optional = forms.BooleanField(required=False)
    day = forms.DateField(widget=DateInput, required=False)
    later = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["later"].needed_for_submit = True


def _template(field):
    return render_to_string("forms/field.html", {"field": field})


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": "x" * 30, "email": "geen-adres", "kind": "zz", "many": ["q"], "day": "31-02-2026"},
        {"name": "Ok", "agree": "on", "kind": "a", "many": ["x", "y"], "day": "2026-02-03"},
    ],
)
def test_same_markup_as_the_template(data, language):
    with translation.override(language):
        form = Everything(data, prefix="p")
        if data is not None:
            form.is_valid()
        for name in form.fields:
            field = form[name]
            assert str(_field_html(field)) == _template(field), name


class Groups(TandemForm):
    pick = forms.ChoiceField(
        label="Kies <één>",
        choices=[("1", "Een & twee"), ("2", "<b>Twee</b>"), (3, 3)],
        widget=forms.RadioSelect,
    )
    some = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Meer",
    )
    later = forms.ChoiceField(
        choices=[("a", "A")], widget=forms.RadioSelect, required=False, help_text="<i>Uitleg</i>"
    )
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["later"].needed_for_submit = True


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("data", "initial"),
    [
        (None, {}),
        (None, {"pick": "2", "some": ["x", "y"]}),
        ({"pick": "9", "some": ["q"]}, {}),
        ({"pick": "3", "some": ["y"], "later": "a"}, {}),
    ],
)
def test_groups_of_choices_are_the_templates_fieldset(data, initial, language):
    with translation.override(language):
        form = Groups(data, initial=initial, prefix="g")
        if data is not None:
            form.is_valid()
        for name in ("pick", "some", "later"):
            field = form[name]
            assert str(_choices_html(field)) == _template(field), (name, data)


@pytest.mark.parametrize("form_class", [Everything, Groups])
def test_a_form_without_errors_is_the_templates_div(form_class):
    form = form_class(initial={}, prefix="f")
    context = form.get_context()
    # Django's form renderer strips what the template writes.
    assert str(_form_html(context)) == render_to_string("forms/div.html", context).strip()
    assert str(form) == str(_form_html(context))


def test_a_form_with_errors_renders_through_the_template_with_its_summary():
    form = Groups({"pick": "9", "hidden": "x"})
    assert not form.is_valid()
    html = str(form)
    assert "error-summary" in render_to_string("forms/div.html", form.get_context())
    assert html == render_to_string("forms/div.html", form.get_context()).strip()
    assert html.count("<fieldset") == 3
