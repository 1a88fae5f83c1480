from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import MembershipRecord
from portal.forms import TandemForm
from security import data_subject, subject_access
from security.models import Outcome, Requester, RequestKind
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


class AccountRecordFilterForm(TandemForm):
    """Filter the account records (ADR 0137) by period and by what was done."""

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Up to and including"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("All")), *MembershipRecord.Kind.choices]
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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.referral = None

    def clean_reference(self):
        reference = subject_access.normalise_reference(self.cleaned_data["reference"])
        self.referral = subject_access.find_referral(self.user, reference)
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
            self.set_candidates(subject_access.same_child(self.user, self.referral))
            by_uuid = {str(r.uuid): r for r in self.candidates}
            unknown = [v for v in cleaned["include"] if v not in by_uuid]
            if unknown:
                self.add_error("include", _("Choose only from the referrals listed."))
            else:
                self.others = [by_uuid[v] for v in cleaned["include"]]
        return cleaned


# --- Data-subject requests (ADR 0106) ----------------------------------------------------------

DATE_INPUT = {"type": "date"}


class DataSubjectRequestForm(TandemForm):
    kind = forms.ChoiceField(label=_("What is asked"), choices=RequestKind.choices, widget=forms.RadioSelect)
    requester_name = forms.CharField(
        label=_("Who made the request"),
        max_length=200,
        help_text=_("The name as in the request, for example the parent's."),
        error_messages={"required": _("Fill in who made the request, for example the parent's name.")},
    )
    requester_relation = forms.ChoiceField(label=_("The requester is"), choices=Requester.choices)
    received_on = forms.DateField(
        label=_("Received on"),
        help_text=_("The date the request reached your organisation; the deadline is one month later."),
        widget=forms.DateInput(attrs=DATE_INPUT),
        error_messages={"required": _("Fill in the date the request was received.")},
    )
    reference = forms.CharField(
        label=_("Reference number of the referral"),
        max_length=20,
        required=False,
        help_text=_("Optional: as in the request, for example AJS-2026-00042."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    description = forms.CharField(
        label=_("What the request says"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In short; do not copy the child's file here."),
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region

    # The service checks the same again; here every field gets its message at once.
    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(data_subject.FUTURE_RECEIPT)
        return day

    def clean_reference(self):
        reference = (self.cleaned_data["reference"] or "").strip().upper()
        if reference and data_subject.find_referral(self.region, reference) is None:
            raise forms.ValidationError(data_subject.UNKNOWN_REFERENCE)
        return reference


class ExtendForm(TandemForm):
    prefix = "extend"
    until = forms.DateField(
        label=_("New deadline"),
        widget=forms.DateInput(attrs=DATE_INPUT),
        error_messages={"required": _("Fill in the new deadline.")},
    )
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the number or complexity of the requests (AVG art. 12 lid 3)."),
        error_messages={"required": _("Give the reason for the extension; the requester must be told why.")},
    )


class NoteForm(TandemForm):
    text = forms.CharField(
        label=_("Text"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the text of this step.")},
    )

    def __init__(self, *args, label=None, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label
        self.fields["text"].help_text = help_text


class RefuseForm(TandemForm):
    prefix = "refuse"
    reason = forms.CharField(
        label=_("Legal reason for the refusal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: the referral is still open and needed for the help (AVG art. 17 lid 3 b, "
            "Jeugdwet art. 2.3)."
        ),
        error_messages={
            "required": _(
                "Give the legal reason for the refusal, for example the article of the AVG or the Jeugdwet."
            )
        },
    )


class AnswerForm(TandemForm):
    prefix = "answer"
    answered_on = forms.DateField(
        label=_("Answer sent on"),
        widget=forms.DateInput(attrs=DATE_INPUT),
        error_messages={"required": _("Fill in the date the answer was sent.")},
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    summary = forms.CharField(
        label=_("Summary of the answer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was sent, without copying the child's data."),
        error_messages={"required": _("Summarise the answer that was sent.")},
    )


# --- The breach register (ADR 0108) --------------------------------------------------------------

DATETIME_INPUT = {"type": "datetime-local"}


def datetime_field(label, *, required=False, **kwargs):
    """A date and time typed into the browser's own datetime-local control."""
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs=DATETIME_INPUT, format="%Y-%m-%dT%H:%M"),
        **kwargs,
    )


YES_NO = [("yes", _("yes")), ("no", _("no"))]


def _yes(value):
    return value == "yes"


class BreachForm(TandemForm):
    title = forms.CharField(
        label=_("What happened, in short"),
        max_length=200,
        help_text=_("For example: export sent to the wrong address. No names of children."),
        error_messages={"required": _("Say in a few words what happened.")},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What happened, how it was found and what was done at once. "
            "Name children by reference number only."
        ),
        error_messages={"required": _("Describe what happened.")},
    )
    found_at = datetime_field(
        _("Found at"),
        required=True,
        help_text=_("When your organisation became aware of it: the 72 hours start here."),
        error_messages={"required": _("Fill in when the breach was found.")},
    )
    occurred_from = datetime_field(_("Occurred from"))
    occurred_until = datetime_field(_("Occurred until"))
    references = forms.CharField(
        label=_("Referrals concerned"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("Reference numbers, one per line."),
    )
    accounts = forms.CharField(
        label=_("Accounts concerned"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("E-mail addresses of the accounts, one per line."),
    )


class BreachDecisionForm(TandemForm):
    prefix = "decision"
    notify_authority = forms.TypedChoiceField(
        label=_("Notify the Autoriteit Persoonsgegevens?"),
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
        help_text=_(
            "Yes, unless the breach is unlikely to result in a risk to the people concerned (AVG art. 33)."
        ),
        error_messages={"required": _("Choose yes or no.")},
    )
    notify_authority_reason = forms.CharField(
        label=_("Reason (Autoriteit Persoonsgegevens)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _(
                "Give the reason: why the breach must, or need not, be notified to the "
                "Autoriteit Persoonsgegevens."
            )
        },
    )
    inform_subjects = forms.TypedChoiceField(
        label=_("Inform the children and parents concerned?"),
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
        help_text=_("Yes when the breach is likely to result in a high risk to them (AVG art. 34)."),
        error_messages={"required": _("Choose yes or no.")},
    )
    inform_subjects_reason = forms.CharField(
        label=_("Reason (data subjects)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Give the reason: why the children and parents must, or need not, be informed.")
        },
    )


class BreachNotificationForm(TandemForm):
    prefix = "notification"
    authority_notified_at = datetime_field(_("Notified to the Autoriteit Persoonsgegevens at"))
    authority_case_number = forms.CharField(
        label=_("Notification number of the Autoriteit Persoonsgegevens"), max_length=64, required=False
    )
    subjects_informed_on = forms.DateField(
        label=_("Data subjects informed on"), required=False, widget=forms.DateInput(attrs=DATE_INPUT)
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example how the data subjects were informed, or a follow-up notification."),
    )


class ReadersScopeForm(TandemForm):
    prefix = "readers"
    references = forms.CharField(
        label=_("Reference numbers"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_("One per line; the breach's referrals are filled in."),
        error_messages={"required": _("Fill in at least one reference number.")},
    )
    start = datetime_field(_("From"))
    end = datetime_field(_("Until"))


class AddressScopeForm(TandemForm):
    prefix = "address"
    address = forms.GenericIPAddressField(
        label=_("IP address"),
        error_messages={
            "required": _("Fill in an IP address."),
            "invalid": _("Enter a valid IP address, for example 192.0.2.10."),
        },
    )
    start = datetime_field(_("From"))
    end = datetime_field(_("Until"))
