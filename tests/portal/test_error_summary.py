"""The error summary every form shares (ADR 0118): links to the fields, focus target, the
message repeated at the field, and ARIA state for errors a service adds after validation."""

from django import forms
from django.template.loader import render_to_string

from portal.forms import TandemForm


class _Form(TandemForm):
    name = forms.CharField(label="Naam")
    colour = forms.ChoiceField(
        label="Kleur", choices=[("r", "rood"), ("g", "groen")], widget=forms.RadioSelect
    )
    tags = forms.MultipleChoiceField(
        label="Labels", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=False
    )

    def clean(self):
        if self.cleaned_data.get("name") == "dubbel":
            raise forms.ValidationError("Deze combinatie bestaat al.")
        return self.cleaned_data


def test_summary_links_to_each_field_in_error_and_the_message_is_repeated_there():
    form = _Form({"name": ""})
    html = str(form)
    assert "data-error-summary" in html and 'tabindex="-1"' in html and "autofocus" in html
    assert 'id="form-errors"' in html and 'aria-labelledby="form-errors-title"' in html
    assert 'href="#id_name"' in html
    assert 'href="#id_colour_0"' in html  # a radio group links to its first option
    assert 'id="id_name_error"' in html and 'id="id_colour_error"' in html
    assert html.index("data-error-summary") < html.index('id="id_name_error"')
    assert 'aria-invalid="true"' in html
    # The choice rendering other features rely on stays.
    assert 'class="tandem-choices"' in html


def test_non_field_errors_are_in_the_summary():
    form = _Form({"name": "dubbel", "colour": "r"})
    html = str(form)
    assert "Deze combinatie bestaat al." in html[: html.index("</div>")]


def test_no_summary_without_errors():
    assert "data-error-summary" not in str(_Form())
    assert "data-error-summary" not in str(_Form({"name": "x", "colour": "g"}))


def test_an_error_added_after_validation_gets_aria_invalid_and_a_summary_link():
    form = _Form({"name": "x", "colour": "g"})
    assert form.is_valid()
    form.add_error("name", "Deze naam is al in gebruik.")
    html = str(form)
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_name_error"' in html
    assert 'href="#id_name">Naam: Deze naam is al in gebruik.</a>' in html


def test_show_errors_on_an_unbound_form():
    form = _Form()
    form.show_errors({"colour": ["Kies een kleur."], None: ["Nog niet compleet."]})
    html = str(form)
    assert 'href="#id_colour_0">Kleur: Kies een kleur.</a>' in html
    assert "Nog niet compleet." in html
    assert 'aria-invalid="true"' in html


def test_the_script_is_loaded_with_the_nonce_from_our_own_files():
    html = render_to_string("base.html", {"request": None})
    assert "js/error-summary.js" in html


PROJECT_APPS = ("agenda", "contacts", "escalations", "portal", "referrals", "reporting", "security")


def _project_form_classes():
    # Importing each app's form modules here (not at the top) keeps this file about the pattern;
    # the forms register themselves as subclasses when their module is imported.
    import importlib
    import pkgutil

    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.iter_modules(package.__path__):
            if info.name in ("forms", "filters"):
                importlib.import_module(f"{app}.{info.name}")
    seen, todo = [], [forms.BaseForm]
    while todo:
        klass = todo.pop()
        for sub in klass.__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in PROJECT_APPS and sub not in seen:
                seen.append(sub)
    return seen


def test_every_form_of_the_project_gets_the_summary_and_aria_state():
    """The pattern is done once, in TandemFormMixin and the renderer's templates; a form that
    bypassed the mixin would render a summary without links and fields without aria-invalid."""
    from portal.forms import TandemFormMixin

    classes = _project_form_classes()
    assert len(classes) > 40  # the walk found the project's forms
    assert [k.__qualname__ for k in classes if not issubclass(k, TandemFormMixin)] == []
