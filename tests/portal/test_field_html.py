"""portal.forms writes a single field in Python (bench/FINDINGS.md): the markup must be what
templates/forms/field.html writes, for every kind of field and state."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from portal.forms import TandemForm, _field_html
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


def test_the_form_renders_through_it_and_groups_of_choices_through_the_template():
    class Choices(TandemForm):
        text = forms.CharField()
        pick = forms.ChoiceField(choices=[("1", "Een")], widget=forms.RadioSelect)

    form = Choices({})
    assert not form.is_valid()
    html = str(form)
    assert html.count("<fieldset") == 1
    assert str(_field_html(form["text"])).strip() in html
    assert _template(form["pick"]).strip() in html
