"""Forms of the registry's edit flows and import."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import DistrictTeam, Person
from contacts.models import norms as norm_limits
from contacts.registry_import import KIND_LABELS
from portal.forms import TandemForm, TandemModelForm

IMPORT_MAX_BYTES = 5 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.email})"


def _persons():
    return Person.objects.order_by("name", "email")


class SaneDateField(forms.DateField):
    widget = DateInput

    def clean(self, value):
        value = super().clean(value)
        if value is not None and not (1990 <= value.year <= 2100):
            raise forms.ValidationError(_("Enter a date between 1990 and 2100."), code="out_of_range")
        return value


class AssignmentForm(TandemForm):
    person = PersonChoiceField(label=_("New fixed contact"), queryset=_persons())
    backup = PersonChoiceField(label=_("Backup"), queryset=_persons(), required=False)
    valid_from = SaneDateField(
        label=_("From"), help_text=_("The current contact stays until the day before.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()


class TandemReplaceForm(TandemForm):
    school_coordinator = PersonChoiceField(label=_("School coordinator (IB-er)"), queryset=_persons())
    district_worker = PersonChoiceField(label=_("District-team worker"), queryset=_persons())
    district_team = forms.ModelChoiceField(
        label=_("District team"),
        queryset=DistrictTeam.objects.select_related("municipality").order_by("name"),
    )
    valid_from = SaneDateField(label=_("From"), help_text=_("The current tandem stays until the day before."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()


class EndForm(TandemForm):
    valid_to = SaneDateField(label=_("Last day"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_to"].initial = timezone.localdate()


class PersonForm(TandemModelForm):
    class Meta:
        model = Person
        fields = ["name", "email", "phone", "function"]


AFFILIATION_FIELDS = ("schools", "district_teams", "municipalities", "partnerships", "care_providers")


class PersonAffiliationsForm(TandemModelForm):
    """The registry admin also edits whom a person works for."""

    class Meta:
        model = Person
        fields = ["name", "email", "phone", "function", *AFFILIATION_FIELDS]

    def __init__(self, *args, user=None, **kwargs):
        from contacts.permissions import affiliation_querysets

        super().__init__(*args, **kwargs)
        # Only the admin's own region's organisations (ADR 0147); links elsewhere stay as they are.
        allowed = affiliation_querysets(user)
        for name in AFFILIATION_FIELDS:
            self.fields[name].queryset = allowed[name].order_by("name")
        self.fields["district_teams"].queryset = self.fields["district_teams"].queryset.select_related(
            "municipality"
        )
        for name in AFFILIATION_FIELDS:
            self.fields[name].help_text = _("Hold Ctrl (Cmd on a Mac) to choose more than one.")


class PersonCreateForm(PersonForm):
    organisation = forms.ChoiceField(label=_("Works for"))

    def __init__(self, *args, organisation_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "---------"), *organisation_choices]
        if len(organisation_choices) == 1:
            self.fields["organisation"].initial = organisation_choices[0][0]


class ImportForm(TandemForm):
    kind = forms.ChoiceField(label=_("What is in the file"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, separated by commas or semicolons) or XLSX, at most 5 MB."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(KIND_LABELS.items())
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."), code="extension")
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."), code="size")
        return upload


class NumericInput(forms.TextInput):
    """A text box for a whole number (inputmode numeric): type=number hides bad input from the
    server and from screen readers."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "class": "tandem-input-short",
                **(attrs or {}),
            }
        )


class RegionNormForm(TandemForm):
    """The region's own norms (ADR 0091); the service checks the same rules again."""

    valid_from = SaneDateField(
        label=_("Applies from"),
        help_text=_("At the earliest tomorrow. Referrals submitted before this date keep their norm."),
    )
    decision_days = forms.IntegerField(
        label=_("Decision within"),
        help_text=_("Working days from submission to the district team's decision."),
        widget=NumericInput,
    )
    help_started_days = forms.IntegerField(
        label=_("Help started within"),
        help_text=_("Working days from submission to the start of help."),
        widget=NumericInput,
    )
    escalation_margin_days = forms.IntegerField(
        label=_("Automatic escalation after"),
        help_text=_(
            "Extra working days past the decision norm before a referral is escalated automatically."
        ),
        widget=NumericInput,
    )

    def __init__(self, *args, norms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate() + datetime.timedelta(days=1)
        if norms is not None:
            self.fields["decision_days"].initial = norms.decision_days
            self.fields["help_started_days"].initial = norms.help_started_days
            self.fields["escalation_margin_days"].initial = norms.escalation_margin_days
        for name in ("decision_days", "help_started_days", "escalation_margin_days"):
            self.fields[name].error_messages["invalid"] = _("Enter a whole number of working days, e.g. 5.")

    def clean_valid_from(self):
        value = self.cleaned_data["valid_from"]
        if value <= timezone.localdate():
            raise forms.ValidationError(norm_limits.PAST_START_MESSAGE)
        return value

    def _clean_days(self, name, maximum):
        value = self.cleaned_data[name]
        if not 1 <= value <= maximum:
            raise forms.ValidationError(norm_limits.DAYS_RANGE_MESSAGE % {"max": maximum})
        return value

    def clean_decision_days(self):
        return self._clean_days("decision_days", norm_limits.DECISION_DAYS_MAX)

    def clean_help_started_days(self):
        return self._clean_days("help_started_days", norm_limits.HELP_STARTED_DAYS_MAX)

    def clean_escalation_margin_days(self):
        return self._clean_days("escalation_margin_days", norm_limits.MARGIN_DAYS_MAX)

    def clean(self):
        data = super().clean()
        decision, help_started = data.get("decision_days"), data.get("help_started_days")
        if decision is not None and help_started is not None and help_started < decision:
            self.add_error("help_started_days", norm_limits.HELP_BEFORE_DECISION_MESSAGE % {"n": decision})
        return data
