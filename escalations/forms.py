"""Forms for escalations and precedents. Bad input gets a Dutch message next to the field."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import SchoolType
from escalations import selectors
from escalations.models import AgeBand, CarriedBy, EscalationReason, Precedent
from portal.forms import TandemForm
from referrals.models import Domain

TEXT_MAX = 5000


def _text(label, required=True, help_text="", rows=5):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


NO_CHILD_DATA = _("Describe the disagreement; the deciders can read the referral itself.")


class RaiseForm(TandemForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *EscalationReason.choices])
    position = _text(_("Your position"), help_text=NO_CHILD_DATA)
    other_position = _text(
        _("The other side's position, as you understand it"),
        required=False,
        help_text=_("Optional. The other side is asked to add its own position."),
    )

    def __init__(self, *args, similar_url="", **kwargs):
        super().__init__(*args, **kwargs)
        if similar_url:
            # Changing the reason refreshes the list of similar precedents (htmx, no inline JS).
            self.fields["reason"].widget.attrs.update(
                {
                    "hx-get": similar_url,
                    "hx-trigger": "change",
                    "hx-target": "#similar-precedents",
                    "hx-select": "#similar-precedents",
                    "hx-swap": "outerHTML",
                }
            )


class PositionForm(TandemForm):
    position = _text(_("Your side's position"), help_text=NO_CHILD_DATA)


class DecideForm(TandemForm):
    ASSIGN, RESUME = "assign", "resume"

    agreed_by = forms.ModelChoiceField(
        label=_("Agreed by (decider of the other side)"),
        queryset=None,
        help_text=_("Consult the other decider before recording the decision."),
    )
    help = _text(_("What help"))
    carried_by = forms.ChoiceField(
        label=_("Who carries it"), choices=CarriedBy.choices, widget=forms.RadioSelect
    )
    split = forms.CharField(
        label=_("Split of the costs"),
        required=False,
        max_length=200,
        help_text=_("Required when the help is shared, e.g. “60% education, 40% youth care”."),
    )
    rationale = _text(_("Rationale"))
    carry_out_by = forms.DateField(
        label=_("To be carried out by"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )
    next_step = forms.ChoiceField(
        label=_("What happens to the referral"),
        choices=[
            (ASSIGN, _("The decision assigns help: the referral goes to “accepted”.")),
            (RESUME, _("No help assigned yet: the referral goes back to where it was.")),
        ],
        initial=ASSIGN,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_by"].queryset = candidates
        if candidates is not None and not candidates.exists():
            self.fields["agreed_by"].required = False
            self.fields["agreed_by"].help_text = _(
                "There is no account for a decider of the other side; record the decision alone."
            )

    def clean_carry_out_by(self):
        value = self.cleaned_data["carry_out_by"]
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError(_("Choose today or a later date."))
        if value > today + datetime.timedelta(days=366):
            raise forms.ValidationError(_("Choose a date within a year."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("carried_by") == CarriedBy.SHARED and not (data.get("split") or "").strip():
            self.add_error("split", _("Describe how the costs are split."))
        return data


class PrecedentForm(TandemForm):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    reason = forms.ChoiceField(label=_("Reason"), choices=EscalationReason.choices)
    domains = forms.MultipleChoiceField(
        label=_("Domains"), choices=Domain.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    school_type = forms.ChoiceField(
        label=_("School type"), choices=[("", "---------"), *SchoolType.choices], required=False
    )
    age_band = forms.ChoiceField(
        label=_("Age band"), choices=[("", "---------"), *AgeBand.choices], required=False
    )
    summary = _text(
        _("Situation (anonymised)"),
        required=False,
        help_text=_("No names, no dates of birth, nothing that identifies the child or the family."),
    )
    outcome = _text(_("Outcome: what help was decided"), required=False)
    carried_by = forms.ChoiceField(
        label=_("Who carries it"), choices=CarriedBy.choices, widget=forms.RadioSelect
    )
    split = forms.CharField(label=_("Split of the costs"), max_length=200, required=False)
    rationale = _text(_("Rationale"), required=False)
    reviewed = forms.BooleanField(
        label=_("I have checked that this text identifies no child or family."),
        required=False,
        help_text=_("Required to publish."),
    )

    def __init__(self, *args, publishing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.publishing = publishing

    def clean(self):
        data = super().clean()
        if self.publishing:
            if not data.get("reviewed"):
                self.add_error("reviewed", _("Confirm that you checked the text before publishing."))
            for name in ("title", "summary", "outcome", "rationale"):
                if name in data and not data[name].strip():
                    self.add_error(name, _("Fill this in before publishing."))
            if data.get("carried_by") == CarriedBy.SHARED and not (data.get("split") or "").strip():
                self.add_error("split", _("Describe how the costs are split."))
        return data


class PrecedentFilter(django_filters.FilterSet):
    """Search and filters of the precedent library; the queries are escalations/selectors.py's."""

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    reason = django_filters.ChoiceFilter(label=_("Reason"), choices=EscalationReason.choices)
    domain = django_filters.ChoiceFilter(label=_("Domain"), choices=Domain.choices, method="with_domain")
    school_type = django_filters.ChoiceFilter(label=_("School type"), choices=SchoolType.choices)
    age_band = django_filters.ChoiceFilter(label=_("Age band"), choices=AgeBand.choices)
    carried_by = django_filters.ChoiceFilter(label=_("Who carries it"), choices=CarriedBy.choices)

    class Meta:
        model = Precedent
        fields = ["q", "reason", "domain", "school_type", "age_band", "carried_by"]
        form = TandemForm

    def with_domain(self, queryset, name, value):
        return selectors.with_domain(queryset, [value]) if value else queryset

    def search(self, queryset, name, value):
        return selectors.search(queryset, value)


# --- Mediation before escalation (ADR 0149) ---------------------------------------------------


class MediatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        user = getattr(obj, "user", obj)
        return user.full_name or user.email


class NameMediatorForm(TandemForm):
    region = forms.ModelChoiceField(label=_("Region"), queryset=None)
    user = MediatorChoiceField(
        label=_("Person"),
        queryset=None,
        help_text=_("Someone who works in the region and whom school and district team both trust."),
    )

    def __init__(self, *args, regions=None, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["user"].queryset = candidates
        if regions is not None and len(regions) == 1:
            self.fields["region"].initial = regions[0].pk
            self.fields["region"].widget = forms.HiddenInput()


class AskMediatorForm(TandemForm):
    mediator = MediatorChoiceField(label=_("Mediator"), queryset=None)
    question = _text(
        _("What do school and district team disagree about?"),
        help_text=_("Describe the disagreement; the mediator can read the referral itself."),
    )

    def __init__(self, *args, mediators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = mediators


class MediationOutcomeForm(TandemForm):
    SETTLED, NOT_SETTLED = "settled", "not_settled"
    ASSIGN, AS_IS = "assign", "as_is"

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (SETTLED, _("Settled: school and district team agreed who is responsible and who pays.")),
            (NOT_SETTLED, _("Not settled: the parties may escalate to the deciders.")),
        ],
        widget=forms.RadioSelect,
    )
    carried_by = forms.ChoiceField(
        label=_("Who carries it (when settled)"),
        choices=CarriedBy.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    next_step = forms.ChoiceField(
        label=_("What happens to the referral (when settled)"),
        choices=[
            (ASSIGN, _("The district team provides the help: the referral goes to “accepted”.")),
            (AS_IS, _("The referral continues where it was; the district team takes it up again.")),
        ],
        required=False,
        initial=AS_IS,
        widget=forms.RadioSelect,
    )
    note = _text(_("Short note on the agreement"), required=False, rows=3)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == self.SETTLED:
            if not data.get("carried_by"):
                self.add_error("carried_by", _("Record who carries the help according to the agreement."))
            if not data.get("next_step"):
                self.add_error("next_step", _("Choose what happens to the referral."))
        return data
