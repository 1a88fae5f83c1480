"""Form rendering with NL Design System (Utrecht) markup, and base form behaviour.

Every form renders its fields through templates/forms/field.html: label, description and
error message are tied to the control with aria-describedby; invalid controls get
aria-invalid. Django's CharField already refuses NUL characters (PostgreSQL cannot store
them) with a validation error.

A form with errors opens with an error summary (templates/forms/error_summary.html): one link
per field in error, focus moved to it on load (and after an htmx swap brings it in) by
static/js/error-summary.js, the message repeated at the field. ADR 0118, ADR 0142.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.validators import MaxLengthValidator
from django.forms import widgets
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorDict
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.models import NotificationPreference

WIDGET_CLASSES = {
    forms.Textarea: "utrecht-textarea",
    forms.Select: "utrecht-select",
    forms.SelectMultiple: "utrecht-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
    # The component library (9.0) has no file input component: the browser's own control.
    forms.ClearableFileInput: "",
    forms.FileInput: "",
}
FIELDSET_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def _attrs_html(attrs):
    """Django's django/forms/widgets/attrs.html in Python: False leaves an attribute out, True
    writes its bare name, every value is escaped."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _text(value):
    """A label as a template writes it: localised (a number, a date) and escaped."""
    return conditional_escape(value if isinstance(value, str) else localize(value))


class PlainSelectRendering:
    """A <select> written in Python, with the markup of Django's select.html and
    select_option.html: one string for the whole list instead of two template includes per
    option (a filter of 50 schools rendered 100 templates), and without Django's per-option
    context (`optgroups` builds a dict of attributes for every option: the account filter's
    181 organisations, form and field, 4.2 ms with it and 1.9 without; bench/FINDINGS.md). The
    same choices, values,
    selection rule and attributes as Django's (tests/portal/test_plain_select.py)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        selected_values = set(self.format_value(value))
        multiple = self.allow_multiple_selected
        has_selected = False
        parts = [f'<select name="{escape(name)}"{_attrs_html(attrs)}>']
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, (list, tuple))
            if grouped:
                parts.append(f'\n  <optgroup label="{_text(option_value)}">')
                options = option_label
            else:
                options = ((option_value, option_label),)
            for subvalue, sublabel in options:
                # Django's rule: in a single select only the first matching option is selected.
                selected = (multiple or not has_selected) and str(subvalue) in selected_values
                has_selected |= selected
                parts.append(
                    f'\n  <option value="{conditional_escape(str(subvalue))}"'
                    f"{' selected' if selected else ''}>{_text(sublabel)}</option>"
                )
            if grouped:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


# Named as Django's, because a bound field's `widget_type` ("select", "selectmultiple", which
# templates/forms/field.html reads) is the class name.
class Select(PlainSelectRendering, forms.Select):
    pass


class SelectMultiple(PlainSelectRendering, forms.SelectMultiple):
    pass


# Django's own select widgets on every Tandem form render as above.
PLAIN_WIDGETS = {forms.Select: Select, forms.SelectMultiple: SelectMultiple}

# The <input> templates of Django that are input.html and nothing else, and textarea.html.
PLAIN_INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input", "text", "email", "number", "date", "datetime", "time", "url", "tel", "search",
        "password", "hidden", "checkbox", "color",
    )
}  # fmt: skip
PLAIN_TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


class PlainInputRendering:
    """An <input> or <textarea> written in Python, with the markup of Django's input.html,
    textarea.html and attrs.html from the widget's own context (value formatting, a checkbox's
    `checked`, the attributes): a form field cost three template renders for its control
    (ADR 0177). tests/portal/test_plain_inputs.py holds both to the same output."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        attrs_html = _attrs_html(widget["attrs"])
        if self.template_name == PLAIN_TEXTAREA_TEMPLATE:
            text = conditional_escape(widget["value"]) if widget["value"] else ""
            return format_html('<textarea name="{}"{}>\n{}</textarea>', widget["name"], attrs_html, text)
        value_html = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value_html, attrs_html
        )


_PLAIN_INPUT_CLASSES = {}


def _plain_input_class(klass):
    """The class of `klass` that renders as above, by the same name (a bound field's
    `widget_type`, which the field markup reads, is the class name)."""
    if klass not in _PLAIN_INPUT_CLASSES:
        _PLAIN_INPUT_CLASSES[klass] = type(klass.__name__, (PlainInputRendering, klass), {})
    return _PLAIN_INPUT_CLASSES[klass]


def _renders_plain(widget):
    """An input or textarea that still uses Django's own template (not a widget of its own)."""
    return isinstance(widget, (widgets.Input, forms.Textarea)) and (
        widget.template_name in PLAIN_INPUT_TEMPLATES or widget.template_name == PLAIN_TEXTAREA_TEMPLATE
    )


class TandemFormRenderer(TemplatesSetting):
    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"

    def render(self, template_name, context, request=None):
        # A field is written in Python (`_field_html`, `_choices_html`), with the markup of
        # templates/forms/field.html: the template cost about 0.45 ms a field, a filter form of
        # eight fields 4 ms (bench/FINDINGS.md), a group of radio buttons three templates more
        # per option. So is a form without errors (`_form_html`, templates/forms/div.html).
        # tests/portal/test_field_html.py holds each to the template's output.
        if template_name == self.field_template_name and context.get("field") is not None:
            field = context["field"]
            if field.widget_type in FIELDSET_WIDGET_TYPES:
                return _choices_html(field)
            return _field_html(field)
        if template_name == self.form_template_name and "form" in context and not context["form"].errors:
            return _form_html(context)
        return super().render(template_name, context, request=request)


FIELDSET_WIDGET_TYPES = ("radioselect", "checkboxselectmultiple")


def _form_html(context):
    """templates/forms/div.html for a form without errors: its fields, then its hidden ones,
    stripped as Django's renderer strips a template's output."""
    fields = "".join(str(field.as_field_group()) for field, _errors in context["fields"])
    hidden = "".join(str(field) for field in context["hidden_fields"])
    return mark_safe(f"{fields}\n{hidden}".strip())  # noqa: S308 - rendered fields, safe HTML


def _option_html(data):
    """Django's input.html (with attrs.html) for one radio button or checkbox of a group, from
    its BoundWidget data: what `{{ choice.tag }}` writes."""
    value = "" if data["value"] is None else f' value="{escape(str(data["value"]))}"'
    attrs = _attrs_html(data["attrs"])
    return f'<input type="{escape(data["type"])}" name="{escape(data["name"])}"{value}{attrs}>'


def _required_html(field):
    if field.field.required or getattr(field.field, "needed_for_submit", False):
        return f' <span class="tandem-required">({escape(gettext("required"))})</span>'
    return ""


def _choices_html(field):
    """templates/forms/field.html for a group of radio buttons or checkboxes: a fieldset."""
    auto_id = escape(field.auto_id)
    errors, help_text = field.errors, field.help_text
    kind = "radio" if field.widget_type == "radioselect" else "checkbox"
    described = ""
    if help_text or errors:
        ids = (f"{auto_id}_error " if errors else "") + (f"{auto_id}_helptext" if help_text else "")
        described = f' aria-describedby="{ids}"'
    help_html = ""
    if help_text:
        text = conditional_escape(help_text)
        help_html = f'<div class="utrecht-form-field-description" id="{auto_id}_helptext">{text}</div>'
    error_html = ""
    if errors:
        messages = "".join(f"<p>{conditional_escape(error)}</p>" for error in errors)
        error_html = f'<div class="utrecht-form-field-error-message" id="{auto_id}_error">{messages}</div>'
    choices = "".join(
        f'<div class="utrecht-form-field utrecht-form-field--{kind}"><div class="utrecht-form-field__input">'
        f'{_option_html(choice.data)}</div><div class="utrecht-form-field__label"><label '
        f'class="utrecht-form-label utrecht-form-label--{kind}" for="{escape(choice.id_for_label)}">'
        f"{_text(choice.choice_label)}</label></div></div>"
        for choice in field
    )
    invalid = " utrecht-form-fieldset--invalid" if errors else ""
    html = (
        f'\n<fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset '
        f'utrecht-form-fieldset--distanced{invalid}"{described}>\n'
        f'  <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend '
        f'utrecht-form-fieldset__legend--distanced">{conditional_escape(field.label)}{_required_html(field)}</legend>\n'
        f"  {help_html}\n"
        f"  {error_html}\n"
        f'  <div class="tandem-choices">{choices}</div>\n'
        f"</fieldset>\n\n"
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped or already safe HTML


def _field_html(field):
    """templates/forms/field.html for a single control (not a group of choices)."""
    auto_id = escape(field.auto_id)
    errors = field.errors
    help_text = field.help_text
    help_html = error_html = ""
    checkbox = field.widget_type == "checkbox"
    if help_text:
        extra = " utrecht-form-field__description" if checkbox else ""
        help_html = (
            f'<div class="utrecht-form-field-description{extra}" id="{auto_id}_helptext">'
            f"{conditional_escape(help_text)}</div>"
        )
    if errors:
        extra = " utrecht-form-field__error-message" if checkbox else ""
        messages = "".join(f"<p>{conditional_escape(error)}</p>" for error in errors)
        error_html = (
            f'<div class="utrecht-form-field-error-message{extra}" id="{auto_id}_error">{messages}</div>'
        )
    invalid = " utrecht-form-field--invalid" if errors else ""
    label = conditional_escape(field.label)
    for_id = escape(field.id_for_label)
    control = str(field)
    if checkbox:
        html = (
            f'\n<div class="utrecht-form-field utrecht-form-field--checkbox '
            f'utrecht-form-field--distanced{invalid}">\n'
            f'  <div class="utrecht-form-field__input">{control}</div>\n'
            f'  <div class="utrecht-form-field__label"><label class="utrecht-form-label '
            f'utrecht-form-label--checkbox" for="{for_id}">{label}</label></div>\n'
            f"  {help_html}\n"
            f"  {error_html}\n"
            f"</div>\n\n"
        )
    else:
        required = _required_html(field)
        html = (
            f'\n<div class="utrecht-form-field utrecht-form-field--distanced{invalid}">\n'
            f'  <div class="utrecht-form-field__label"><label class="utrecht-form-label" '
            f'for="{for_id}">{label}{required}</label></div>\n'
            f"  {help_html}\n"
            f"  {error_html}\n"
            f'  <div class="utrecht-form-field__input">{control}</div>\n'
            f"</div>\n\n"
        )
    return mark_safe(html)  # noqa: S308 - every value above is escaped or already safe HTML


def _dress(widget):
    """Once per widget: its Utrecht class, and the plain rendering of a select, an input or a
    textarea."""
    if getattr(widget, "_tandem_dressed", False):
        return
    widget._tandem_dressed = True
    css = next(
        (c for klass, c in WIDGET_CLASSES.items() if type(widget) is klass),
        "utrecht-textbox utrecht-textbox--html-input",
    )
    classes = f"{css} {widget.attrs.get('class', '')}".strip()
    if classes:
        widget.attrs["class"] = classes
    if type(widget) in PLAIN_WIDGETS:
        widget.__class__ = PLAIN_WIDGETS[type(widget)]
    elif _renders_plain(widget) and not isinstance(widget, PlainInputRendering):
        widget.__class__ = _plain_input_class(type(widget))


class TandemFormMixin:
    """Utrecht classes on every widget, and ARIA state that follows the errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _dress(field.widget)

    def __getitem__(self, name):
        # A field a subclass adds after this __init__ (a choice list built for the user) is
        # dressed when it is first rendered.
        field = self.fields.get(name)
        if field is not None:
            _dress(field.widget)
        return super().__getitem__(name)

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field, error):
        # Services add errors after validation (form.add_error in a view); those fields need
        # the same ARIA state as the ones full_clean found.
        super().add_error(field, error)
        if self._errors is not None and hasattr(self, "cleaned_data"):
            self._mark_invalid()

    def show_errors(self, errors):
        """Put `errors` ({field name or None: [message]}) on a form that was not submitted
        (an unbound form shown again with problems found elsewhere, e.g. on submit)."""
        if self._errors is None:
            self._errors = ErrorDict()
        if not hasattr(self, "cleaned_data"):
            self.cleaned_data = {}
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name, message)

    def _mark_invalid(self):
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                bound = self[name]
                ids = [f"{bound.auto_id}_error"]
                if self.fields[name].help_text:
                    ids.append(f"{bound.auto_id}_helptext")
                widget.attrs["aria-describedby"] = " ".join(ids)

    def error_links(self):
        """The error summary's entries: (anchor id, label, message) per visible field in error,
        in the form's order. A group of radio buttons or checkboxes links to its first option."""
        links = []
        for bound in self.visible_fields():
            if not bound.errors:
                continue
            anchor = bound.auto_id
            if isinstance(bound.field.widget, FIELDSET_WIDGETS):
                anchor = f"{anchor}_0"
            for message in bound.errors:
                links.append((anchor, bound.label, message))
        return links


class TandemForm(TandemFormMixin, forms.Form):
    pass


class TandemModelForm(TandemFormMixin, forms.ModelForm):
    pass


class LoginForm(TandemFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The e-mail address and password do not match an active account. "
            "Both are case-sensitive except the e-mail address."
        ),
        "inactive": _("This account is not active."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        # A password longer than any real one is refused before it reaches the hasher.
        self.fields["password"].max_length = 4096
        self.fields["password"].validators.append(MaxLengthValidator(4096))


class TandemPasswordChangeForm(TandemFormMixin, PasswordChangeForm):
    pass


class TandemPasswordResetForm(TandemFormMixin, PasswordResetForm):
    pass


class TandemSetPasswordForm(TandemFormMixin, SetPasswordForm):
    pass


class NotificationPreferenceForm(TandemForm):
    """The notification settings page (ADR 0152): the e-mails' language and when they come."""

    language = forms.ChoiceField(
        label=_("Language of the e-mails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the language of your e-mails."),
            "invalid_choice": _("Choose one of the languages shown."),
        },
    )
    delivery = forms.ChoiceField(
        label=_("When do you want an e-mail?"),
        help_text=_(
            "The portal shows every notification at once either way. The daily e-mail comes around "
            "%(hour)s:00 and only when something new came in."
        ),
        choices=NotificationPreference.Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose when you want an e-mail."),
            "invalid_choice": _("Choose one of the options shown."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["delivery"]
        field.help_text = field.help_text % {"hour": settings.TANDEM_DIGEST_HOUR}
