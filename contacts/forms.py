"""Forms of the registry's edit flows and import."""

import datetime

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts import permissions
from contacts.models import (
    CareProvider,
    DistrictTeam,
    Municipality,
    Partnership,
    Person,
    Region,
    Role,
    School,
)
from contacts.models import arrangements as arrangement_limits
from contacts.models import norms as norm_limits
from contacts.registry_import import KIND_LABELS
from portal import theme, theme_images
from portal.forms import TandemForm, TandemModelForm, TandemSetPasswordForm

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
        super().__init__(*args, **kwargs)
        # Only the admin's own region's organisations (ADR 0147); links elsewhere stay as they are.
        allowed = permissions.affiliation_querysets(user)
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
                "class": "utrecht-textbox--numeric",
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


# --- Accounts (ADR 0137) -----------------------------------------------------------------------

ORGANISATION_GROUPS = (
    ("region", _("Regions"), Region),
    ("municipality", _("Municipalities"), Municipality),
    ("partnership", _("Partnerships"), Partnership),
    ("school", _("Schools"), School),
    ("district_team", _("District teams"), DistrictTeam),
)


def organisation_choices(user):
    """The organisations of the regions the user keeps the registry of as grouped choices
    "kind:pk" (one query per kind), cached with the registry for those regions (ADR 0169)."""
    regions = sorted(permissions.registry_admin_region_ids(user))

    def load():
        return [
            [
                (f"{kind}:{pk}", name)
                for pk, name in model.objects.filter(permissions.regions_q(regions, kind))
                .order_by("name")
                .values_list("pk", "name")
            ]
            for kind, _label, model in ORGANISATION_GROUPS
        ]

    options = permissions.registry_cached("organisation-choices", load, *regions)
    return [
        (label, group) for (_kind, label, _model), group in zip(ORGANISATION_GROUPS, options, strict=True)
    ]


def organisation_of(value, user):
    """The organisation named by a choice value "kind:pk" within a region the user keeps the
    registry of, or None."""
    kind, _sep, pk = (value or "").partition(":")
    models = {kind: model for kind, _label, model in ORGANISATION_GROUPS}
    if kind not in models or not (pk.isascii() and pk.isdigit()):
        return None
    return models[kind].objects.filter(permissions.admin_region_q(user, kind), pk=int(pk)).first()


class OrganisationChoiceField(forms.ChoiceField):
    def __init__(self, user, **kwargs):
        super().__init__(choices=[("", "---------"), *organisation_choices(user)], **kwargs)
        self.user = user

    def clean(self, value):
        value = super().clean(value)
        return organisation_of(value, self.user) if value else None


class AccountFilterForm(TandemForm):
    """Filter the region's accounts; every field may stay empty."""

    YES_NO = (("", _("All")), ("yes", _("Yes")), ("no", _("No")))
    LAST_LOGIN = (
        ("", _("All")),
        ("never", _("Never logged in")),
        ("stale", _("Not in the last 90 days")),
        ("recent", _("In the last 90 days")),
    )

    q = forms.CharField(label=_("Name or e-mail address"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("All")), *Role.choices], required=False)
    active = forms.ChoiceField(label=_("Active"), choices=YES_NO, required=False)
    two_factor = forms.ChoiceField(label=_("Two-step verification set up"), choices=YES_NO, required=False)
    last_login = forms.ChoiceField(label=_("Last login"), choices=LAST_LOGIN, required=False)
    INVITATION = (
        ("", _("All")),
        ("pending", _("Pending (not yet accepted)")),
        ("expired", _("Expired (not accepted)")),
        ("none", _("None or accepted")),
    )
    invitation = forms.ChoiceField(label=_("Invitation"), choices=INVITATION, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = OrganisationChoiceField(user, label=_("Organisation"), required=False)
        self.order_fields(["q", "organisation", "role", "active", "two_factor", "last_login", "invitation"])
        self.fields["q"].widget.input_type = "search"


class MembershipAddForm(TandemForm):
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = OrganisationChoiceField(user, label=_("Organisation"))

    def clean_organisation(self):
        organisation = self.cleaned_data.get("organisation")
        if organisation is None:
            raise forms.ValidationError(_("Choose an organisation of your own region."))
        return organisation


class MembershipEndForm(TandemForm):
    ended_on = SaneDateField(label=_("Last day"), help_text=_("Today or an earlier day."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()


class InvitationAcceptForm(TandemSetPasswordForm):
    """The invited person's first password: Django's own checks (AUTH_PASSWORD_VALIDATORS and
    the repeat); the service sets it (contacts.services.accept_invitation)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A password longer than any real one is refused before it reaches the hasher.
        for name in ("new_password1", "new_password2"):
            self.fields[name].validators.append(MaxLengthValidator(4096))


class InvitationForm(TandemForm):
    """The registry administrator's "Uitnodigen": who, which organisation of the own region
    (grouped by kind), which role. The rules are the service's (contacts.services.invite_person),
    whose field-keyed messages land at these fields."""

    email = forms.CharField(label=_("E-mail address"), max_length=254)
    full_name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.ChoiceField(
        label=_("Organisation"), help_text=_("The organisations of your region, by kind.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices])

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.objects = {}
        groups = [("", "---------")]
        for kind, objects in organisations:
            options = []
            for obj in objects:
                key = f"{kind}:{obj.pk}"
                self.objects[key] = obj
                options.append((key, str(obj)))
            if options:
                groups.append((INVITATION_KIND_LABELS[kind], options))
        self.fields["organisation"].choices = groups
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def organisation_object(self):
        return self.objects.get(self.cleaned_data.get("organisation"))


INVITATION_KIND_LABELS = {
    "region": _("Region and subregions"),
    "municipality": _("Municipalities"),
    "partnership": _("Partnerships"),
    "school": _("Schools"),
    "district_team": _("District teams"),
}


class ColourField(forms.CharField):
    """A colour as "#rrggbb" (also accepted without "#" and in capitals); stored lower case."""

    default_error_messages = {"invalid": _("Enter a colour as # and six hexadecimal digits, e.g. #0b4f6c.")}

    def __init__(self, **kwargs):
        super().__init__(max_length=7, strip=True, **kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false", "size": "8"})

    def to_python(self, value):
        value = super().to_python(value)
        if value and not value.startswith("#"):
            value = "#" + value
        return value.lower()

    def validate(self, value):
        super().validate(value)
        if value and not theme.HEX_COLOUR.match(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class RegionThemeForm(TandemForm):
    """A region's house style (ADR 0164); the service checks the contrast again."""

    display_name = forms.CharField(
        label=_("Name in the header"),
        max_length=80,
        help_text=_("Shown at the top of every page and on the cover of the progress report."),
    )
    primary_color = ColourField(
        label=_("Primary colour"),
        help_text=_("The background of the header and of primary buttons, e.g. #0b4f6c."),
    )
    primary_text_color = ColourField(
        label=_("Text colour on the primary colour"),
        help_text=_("Usually #ffffff (white) or #1b1b1b (near black)."),
    )
    link_color = ColourField(
        label=_("Link colour"),
        required=False,
        help_text=_("Links, headings of the report and the bars of the charts; empty: the primary colour."),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("SVG or PNG, at most %(max)s. Leave empty to keep the current logo."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/svg+xml,image/png"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    favicon = forms.FileField(
        label=_("Favicon"),
        required=False,
        help_text=_("The small icon in the browser tab: SVG or PNG, at most %(max)s."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/svg+xml,image/png"}),
    )
    remove_favicon = forms.BooleanField(label=_("Remove the favicon"), required=False)

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        limit = filesizeformat(settings.TANDEM_THEME_IMAGE_MAX_BYTES)
        for name in ("logo", "favicon"):
            self.fields[name].help_text = self.fields[name].help_text % {"max": limit}
            # A plain file input: "remove" is a checkbox of its own.
            self.fields[name].widget = forms.FileInput(attrs=self.fields[name].widget.attrs)
        if current is not None:
            self.fields["display_name"].initial = current.name
            self.fields["primary_color"].initial = current.primary
            self.fields["primary_text_color"].initial = current.primary_text
            if current.link != current.primary:
                self.fields["link_color"].initial = current.link

    def _clean_image(self, name):
        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        return theme_images.validate_image(upload)

    def clean_logo(self):
        return self._clean_image("logo")

    def clean_favicon(self):
        return self._clean_image("favicon")

    def clean(self):
        data = super().clean()
        primary, text = data.get("primary_color"), data.get("primary_text_color")
        if primary and text and "link_color" not in self.errors:
            for field, (ratio, background) in theme.contrast_problems(
                primary, text, data.get("link_color", "")
            ).items():
                self.add_error(field, theme.contrast_message(field, ratio, background))
        return data


# --- Collective arrangements (ADR 0161) -------------------------------------------------------


class _LabelledChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class ArrangementForm(TandemForm):
    """A collective arrangement of one region; the service (contacts/arrangements.py) checks
    the same rules again and adds the ones across fields (regions, period, care workers)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    schools = _LabelledChoices(
        label=_("Schools"),
        queryset=School.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The schools where the care workers are present."),
    )
    providers = _LabelledChoices(
        label=_("Care providers"), queryset=CareProvider.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    care_workers = _LabelledChoices(
        label=_("Fixed care workers in the school"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("People of the chosen care providers who work in the schools."),
    )
    education_percentage = forms.IntegerField(
        label=_("Share paid by education (%)"),
        help_text=_("From 0 to 100; youth care (the municipality) pays the rest."),
        widget=NumericInput,
    )
    valid_from = SaneDateField(label=_("Starts on"))
    valid_to = SaneDateField(label=_("Ends on"), required=False, help_text=_("Leave empty while it runs."))
    capacity = forms.IntegerField(
        label=_("Capacity (pupils per school year)"),
        widget=NumericInput,
        help_text=_("How many pupils the arrangement can help in one school year."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        regional = permissions.region_q("municipality__region", [region.pk])
        self.fields["schools"].queryset = School.objects.filter(regional).order_by("name")
        providers = CareProvider.objects.filter(
            permissions.region_q("region", [region.pk]) | Q(region__isnull=True)
        ).order_by("name")
        self.fields["providers"].queryset = providers
        self.fields["care_workers"].queryset = (
            Person.objects.filter(care_providers__in=providers)
            .distinct()
            .prefetch_related("care_providers")
            .order_by("name", "email")
        )
        for name in ("education_percentage", "capacity"):
            self.fields[name].error_messages["invalid"] = _("Enter a whole number, e.g. 60.")
        if not self.is_bound and "valid_from" not in self.initial:
            self.fields["valid_from"].initial = timezone.localdate()

    def clean_education_percentage(self):
        value = self.cleaned_data["education_percentage"]
        if not 0 <= value <= 100:
            raise forms.ValidationError(arrangement_limits.PERCENT_MESSAGE)
        return value

    def clean_capacity(self):
        value = self.cleaned_data["capacity"]
        if value < 1:
            raise forms.ValidationError(arrangement_limits.CAPACITY_MESSAGE)
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end date cannot be before the start date."))
        return cleaned


class ArrangementFilterForm(TandemForm):
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False, empty_label=_("All schools")
    )

    def __init__(self, *args, region_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(
            permissions.region_q("municipality__region", region_ids)
        ).order_by("name")
