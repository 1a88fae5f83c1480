"""Forms of the work agenda; querysets are limited to the agenda's region, so a foreign id
is refused as an invalid choice."""

import datetime

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.models import Activity, Goal, Meeting, ProgressUpdate, UpdateStatus
from contacts.models import CareProvider, DistrictTeam, Municipality, Partnership, Region, School
from contacts.selectors import in_region_q
from portal.forms import TandemModelForm

TEXT_LIMIT = 10_000
SCORE_CHOICES = [("", _("not scored")), *[(i, str(i)) for i in range(1, 6)]]
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _limit_text(form, limit=TEXT_LIMIT):
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and not field.max_length:
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = str(limit)


def _check_date_range(value):
    if value and not (EARLIEST <= value <= LATEST):
        raise forms.ValidationError(_("Enter a date between 2000 and 2100."))
    return value


class ProgressUpdateForm(TandemModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["status", "date", "note"]
        widgets = {"status": forms.RadioSelect, "date": DateInput, "note": forms.Textarea(attrs={"rows": 4})}
        labels = {"note": _("What happened, and what is next?")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = UpdateStatus.choices
        self.fields["date"].initial = timezone.localdate
        _limit_text(self)

    def clean_date(self):
        value = _check_date_range(self.cleaned_data["date"])
        if value > timezone.localdate():
            raise forms.ValidationError(_("A progress update cannot be dated in the future."))
        return value


class ScoreField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=SCORE_CHOICES, coerce=int, empty_value=None, required=False, **kwargs)


class ActivityForm(TandemModelForm):
    """The whole activity, for those who edit the agenda."""

    impact = ScoreField(label=_("impact (1–5)"), help_text=_("How much impact does this solution have?"))
    added_value = ScoreField(
        label=_("supra-regional added value (1–5)"),
        help_text=_("How much does it add to take this up across the subregions?"),
    )

    class Meta:
        model = Activity
        fields = [
            "ambition",
            "goal",
            "number",
            "title",
            "description",
            "owner_partnership",
            "owner_municipality",
            "owner_region",
            "owner_person",
            "status",
            "due_date",
            "impact",
            "added_value",
        ]
        widgets = {"title": forms.Textarea(attrs={"rows": 2}), "due_date": DateInput}

    def __init__(self, *args, agenda, **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda = agenda
        self.fields["ambition"].queryset = agenda.ambitions.order_by("number")
        self.fields["goal"].queryset = Goal.objects.filter(ambition__agenda=agenda).select_related("ambition")
        self.fields["goal"].label_from_instance = lambda g: f"{g.code} {g.text[:90]}"
        self.fields["ambition"].label_from_instance = lambda a: f"{a.number}. {a.text[:90]}"
        self.fields["owner_partnership"].queryset = Partnership.objects.filter(
            in_region_q(agenda.region, "region")
        )
        self.fields["owner_municipality"].queryset = Municipality.objects.filter(
            in_region_q(agenda.region, "region")
        )
        self.fields["owner_region"].queryset = Region.objects.filter(pk=agenda.region_id)
        _limit_text(self)

    def clean_due_date(self):
        return _check_date_range(self.cleaned_data.get("due_date"))


class OwnerActivityForm(TandemModelForm):
    """What the owning organisation changes: status, due date, owner person, scores."""

    impact = ActivityForm.base_fields["impact"]
    added_value = ActivityForm.base_fields["added_value"]

    class Meta:
        model = Activity
        fields = ["description", "owner_person", "status", "due_date", "impact", "added_value"]
        widgets = {"due_date": DateInput}

    def __init__(self, *args, agenda=None, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_text(self)

    def clean_due_date(self):
        return _check_date_range(self.cleaned_data.get("due_date"))


class GoalForm(TandemModelForm):
    class Meta:
        model = Goal
        fields = ["text", "target_value", "target_unit", "indicator"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_text(self)


class MeetingForm(TandemModelForm):
    class Meta:
        model = Meeting
        fields = [
            "meeting_type",
            "date",
            "place",
            *Meeting.ORGANISER_FIELDS,
            *Meeting.ATTENDEE_FIELDS,
            "notes",
            "follow_up_activities",
        ]
        widgets = {
            "date": DateInput,
            "notes": forms.Textarea(attrs={"rows": 4}),
            # Long lists: a scroll box, with a search box added by static/js/choice-filter.js (ADR 0111).
            **{
                name: forms.CheckboxSelectMultiple(attrs={"data-choice-filter": "true"})
                for name in (*Meeting.ORGANISER_FIELDS, *Meeting.ATTENDEE_FIELDS, "follow_up_activities")
            },
        }

    def __init__(self, *args, agenda, **kwargs):
        super().__init__(*args, **kwargs)
        region = agenda.region
        partnerships = Partnership.objects.filter(in_region_q(region, "region"))
        municipalities = Municipality.objects.filter(in_region_q(region, "region"))
        for name in ("organising_partnerships", "attending_partnerships"):
            self.fields[name].queryset = partnerships
        for name in ("organising_municipalities", "attending_municipalities"):
            self.fields[name].queryset = municipalities
        self.fields["attending_schools"].queryset = School.objects.filter(
            in_region_q(region, "municipality__region")
        )
        self.fields["attending_district_teams"].queryset = DistrictTeam.objects.filter(
            in_region_q(region, "municipality__region")
        )
        self.fields["attending_care_providers"].queryset = CareProvider.objects.filter(
            Q(region__isnull=True) | in_region_q(region, "region")
        )
        self.fields["follow_up_activities"].queryset = Activity.objects.filter(
            ambition__agenda=agenda
        ).select_related("ambition")
        self.fields["follow_up_activities"].label_from_instance = lambda a: f"{a.code} {a.title[:90]}"
        _limit_text(self)

    def clean_date(self):
        return _check_date_range(self.cleaned_data["date"])
