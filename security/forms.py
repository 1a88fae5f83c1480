from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import TandemForm
from security import subject_access
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


class SubjectAccessForm(TandemForm):
    """Look up the referral of a right-of-access request (AVG art. 15) by reference number."""

    reference = forms.CharField(
        label=_("Reference number"),
        max_length=20,
        help_text=_("As on the referral, for example AJS-2026-00042."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    received_on = forms.DateField(
        label=_("Request received on"),
        help_text=_("The date the request reached your organisation; it is printed in the export."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = None

    def clean_reference(self):
        reference = subject_access.normalise_reference(self.cleaned_data["reference"])
        self.referral = subject_access.find_referral(reference)
        if self.referral is None:
            raise forms.ValidationError(
                _(
                    "No referral has this reference number. Check it against the request; "
                    "it looks like AJS-2026-00042."
                )
            )
        return reference

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class _AnyChoice(forms.MultipleChoiceField):
    """Choices are the referral's same-child candidates, known only after the look-up;
    SubjectAccessExportForm.clean() checks the values against them."""

    def valid_value(self, value):
        return True


class SubjectAccessExportForm(SubjectAccessForm):
    """The preview's download form: the look-up again (hidden) plus the other referrals of the
    same child to include."""

    include = _AnyChoice(
        label=_("Also include these referrals of the same child"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Same first name, last name and date of birth. Include one only when you have checked "
            "that it is about the same child."
        ),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].widget = forms.HiddenInput()
        self.fields["received_on"].widget = forms.HiddenInput()
        self.others = []
        self.set_candidates(candidates)

    def set_candidates(self, candidates):
        self.candidates = list(candidates)
        self.fields["include"].choices = [(str(r.uuid), subject_access.describe(r)) for r in self.candidates]

    def clean(self):
        cleaned = super().clean()
        if self.referral is not None and "include" in cleaned:
            self.set_candidates(subject_access.same_child(self.referral))
            by_uuid = {str(r.uuid): r for r in self.candidates}
            unknown = [v for v in cleaned["include"] if v not in by_uuid]
            if unknown:
                self.add_error("include", _("Choose only from the referrals listed."))
            else:
                self.others = [by_uuid[v] for v in cleaned["include"]]
        return cleaned
