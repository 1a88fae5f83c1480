from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import TandemForm
from security.services import RECOVERY_CODE_DIGITS, normalise_code

# Paste and password managers are allowed (WCAG 3.3.8): no autocomplete="off".
CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "autocapitalize": "off",
    "spellcheck": "false",
    "autofocus": True,
}


class SetupForm(TandemForm):
    otp_token = forms.CharField(
        label=_("Code from the app"),
        max_length=32,
        help_text=_("The 6-digit code your authenticator app shows for Tandem."),
        widget=forms.TextInput(attrs=CODE_ATTRS),
    )

    def clean_otp_token(self):
        code = normalise_code(self.cleaned_data["otp_token"])
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the 6 digits the app shows, without letters."))
        return code


class VerifyForm(TandemForm):
    otp_token = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or one of your 10-digit recovery codes."),
        widget=forms.TextInput(attrs=CODE_ATTRS),
    )

    def clean_otp_token(self):
        code = normalise_code(self.cleaned_data["otp_token"])
        if not (code.isdigit() and len(code) in (6, RECOVERY_CODE_DIGITS)):
            raise forms.ValidationError(
                _("Enter the 6 digits from the app, or a recovery code of 10 digits.")
            )
        return code


class AccessLogFilterForm(TandemForm):
    """Filter the access log by child (reference number), by user (e-mail) and by period."""

    reference = forms.CharField(label=_("Reference number"), max_length=20, required=False)
    user = forms.CharField(label=_("User (e-mail address)"), max_length=254, required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Up to and including"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned
