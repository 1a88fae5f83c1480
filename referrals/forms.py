"""The referral form (in sections) and the triage forms. Every free text is length-limited;
Django's form fields refuse NUL characters; foreign ids are not among the choices."""

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.arrangements import current_for_school
from contacts.models import CareProvider, CollectiveArrangement, Municipality, School
from portal.forms import TandemForm, TandemModelForm
from referrals.consent import age_on
from referrals.files import validate_attachment
from referrals.models import (
    Answer,
    CloseOutcome,
    Consent,
    DeclineReason,
    DesiredForm,
    Domain,
    Guardian,
    Referral,
    Status,
    SubjectKind,
    Urgency,
)
from referrals.submission import CHILD_ONLY_FIELDS, GROUP_ONLY_FIELDS, SUBMIT_REQUIRED, required_for

TEXT_MAX = 5000
MESSAGE_MAX = 5000


def _limit(form, max_length=TEXT_MAX):
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and not field.max_length:
            field.max_length = max_length
            field.validators.append(MaxLengthValidator(max_length))
            field.widget.attrs.setdefault("maxlength", str(max_length))


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value


class ReferralForm(TandemModelForm):
    """Sections 1 (pupil), 4 (the question) and 5 (help at home). Saved as a draft at any
    point; completeness is checked on submit (services.submit_problems)."""

    domains = forms.MultipleChoiceField(
        label=_("Concern domains"),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose all that apply."),
    )

    SECTIONS = [
        (
            "pupil",
            _("1. Who the question is about"),
            [
                "subject_kind",
                "group_name",
                "group_size",
                "child_first_name",
                "child_last_name",
                "child_date_of_birth",
                "school",
                "child_group",
                "home_municipality",
            ],
        ),
        (
            "question",
            _("2. The question"),
            ["domains", "question", "already_done", "goals", "urgency", "urgency_reason", "desired_form"],
        ),
        ("home", _("3. Help at home"), ["current_help", "professionals_involved"]),
    ]

    class Meta:
        model = Referral
        fields = [
            "subject_kind",
            "group_name",
            "group_size",
            "child_first_name",
            "child_last_name",
            "child_date_of_birth",
            "school",
            "child_group",
            "home_municipality",
            "question",
            "already_done",
            "goals",
            "urgency",
            "urgency_reason",
            "desired_form",
            "current_help",
            "professionals_involved",
        ]
        widgets = {
            "child_date_of_birth": DateInput,
            "urgency": forms.RadioSelect,
            "desired_form": forms.RadioSelect,
            "subject_kind": forms.RadioSelect,
        }
        labels = {"subject_kind": _("Who is the question about?")}
        help_texts = {
            "child_date_of_birth": _(
                "The pupil is 2 to 21 years old. The age decides whose consent is needed."
            ),
            "home_municipality": _(
                "Where the pupil lives; this municipality pays for youth care (woonplaatsbeginsel)."
            ),
            "subject_kind": _(
                "A question about a group or the whole school carries no data of a pupil and "
                "needs no consent: do not write names of pupils in any of the texts."
            ),
            "group_name": _("For example: groep 6b."),
            "urgency_reason": _("Only when the urgency is high."),
            "current_help": _("One family, one plan: which help does the family already receive?"),
        }

    def __init__(self, *args, user_school_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self)
        self.fields["school"].queryset = School.objects.filter(pk__in=user_school_ids).order_by("name")
        self.fields["school"].empty_label = None if len(user_school_ids) == 1 else "---------"
        self.fields["home_municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["urgency"].choices = Urgency.choices
        self.fields["subject_kind"].choices = SubjectKind.choices
        # Not posted (an older form, a script): the request is about one pupil, as before.
        self.fields["subject_kind"].required = False
        self.fields["group_size"].min_value = 1
        self.fields["group_size"].max_value = 2000
        self.fields["group_size"].validators.extend([MinValueValidator(1), MaxValueValidator(2000)])
        if self.instance.pk and (self.instance.guardians.exists() or self.instance.consents.exists()):
            # Parents or consent recorded: the request stays about this pupil (ADR 0154).
            self.fields["subject_kind"].disabled = True
        self.fields["desired_form"].choices = DesiredForm.choices
        self.fields["desired_form"].required = False
        # Marked required: what submission needs (services.SUBMIT_REQUIRED), though a draft
        # may be saved without it (ADR 0119).
        for name in [
            field for _section, field, _message in SUBMIT_REQUIRED + required_for(SubjectKind.GROUP)
        ] + ["domains"]:
            self.fields[name].needed_for_submit = True
        self.fields["child_date_of_birth"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["child_date_of_birth"].widget.attrs["data-age-target"] = "age-display"
        if self.instance.pk and self.instance.status != Status.DRAFT:
            # Once submitted the school (and so the routing) stays as it was.
            self.fields["school"].disabled = True
            self.fields["school"].queryset = School.objects.filter(pk=self.instance.school_id)
        if self.instance.pk:
            self.initial.setdefault("domains", list(self.instance.domains.values_list("domain", flat=True)))

    def clean_subject_kind(self):
        return self.cleaned_data.get("subject_kind") or (self.instance.subject_kind or SubjectKind.CHILD)

    def clean_child_date_of_birth(self):
        value = self.cleaned_data.get("child_date_of_birth")
        if value is None:
            return value
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        age = age_on(value)
        if not 2 <= age <= 21:
            raise forms.ValidationError(
                _("The pupil would be %(age)s years old; referrals are for pupils of 2 to 21.") % {"age": age}
            )
        return value

    def clean(self):
        data = super().clean()
        kind = data.get("subject_kind") or SubjectKind.CHILD
        # Fields of another kind are not asked and not kept (services.save_draft blanks them):
        # their errors do not stop the save either (ADR 0154).
        ignored = (CHILD_ONLY_FIELDS if kind != SubjectKind.CHILD else ()) + (
            GROUP_ONLY_FIELDS if kind != SubjectKind.GROUP else ()
        )
        for name in ignored:
            self._errors.pop(name, None)
            data[name] = None if name in ("child_date_of_birth", "home_municipality", "group_size") else ""
        if data.get("urgency") == Urgency.HIGH and not (data.get("urgency_reason") or "").strip():
            self.add_error("urgency_reason", _("Give the reason for high urgency."))
        return data

    def subject_kind(self):
        """The kind the form shows fields for: the posted one, else the saved one."""
        value = self["subject_kind"].value()
        return value if value in SubjectKind.values else SubjectKind.CHILD

    def sections(self):
        """(key, title, [(field, only_for_kind, shown)]): fields of one kind only are hidden
        for the others; static/js/referral-form.js switches them as the kind changes."""
        kind = self.subject_kind()

        def only_for(name):
            if name in CHILD_ONLY_FIELDS:
                return SubjectKind.CHILD
            if name in GROUP_ONLY_FIELDS:
                return SubjectKind.GROUP
            return ""

        return [
            (key, title, [(self[name], only_for(name), only_for(name) in ("", kind)) for name in names])
            for key, title, names in self.SECTIONS
        ]


class GuardianForm(TandemModelForm):
    prefix = "guardian"

    class Meta:
        model = Guardian
        fields = ["name", "relation", "phone", "email", "has_custody"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self, 300)


class ConsentForm(TandemModelForm):
    prefix = "consent"

    class Meta:
        model = Consent
        fields = ["giver", "guardian", "given_on", "form", "recipients"]
        widgets = {"given_on": DateInput, "giver": forms.RadioSelect, "form": forms.RadioSelect}
        help_texts = {
            "guardian": _("Only when a parent or guardian gives consent."),
            "recipients": _("For example: the district team and the school's youth-care provider."),
        }

    def __init__(self, *args, referral=None, guardians=None, **kwargs):
        """`guardians`: the referral's listed guardians when the page has read them already;
        the options are then written from that list instead of a query of their own (the
        choice is still checked against the database when the form is posted)."""
        super().__init__(*args, **kwargs)
        _limit(self, 300)
        self.fields["giver"].choices = Consent.Giver.choices
        self.fields["form"].choices = Consent.Form.choices
        field = self.fields["guardian"]
        field.queryset = (
            referral.guardians.listed().filter(has_custody=True) if referral else Guardian.objects.none()
        )
        if guardians is not None:
            field.choices = [
                ("", field.empty_label),
                *((g.pk, field.label_from_instance(g)) for g in guardians if g.has_custody),
            ]
        field.required = False
        self.fields["given_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_given_on(self):
        value = self.cleaned_data.get("given_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Consent cannot be given in the future."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("giver") == Consent.Giver.PARENT and not data.get("guardian"):
            self.add_error("guardian", _("Choose the parent or guardian with custody who gave consent."))
        return data


class AttachmentForm(TandemForm):
    prefix = "attachment"
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (DOCX), PNG or JPEG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.png,.jpg,.jpeg"}),
        max_length=200,
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        # Judged by content; a keyword of services.upload_attachment like the file itself.
        self.cleaned_data["content_type"] = validate_attachment(uploaded)
        return uploaded


# --- The one-page form (ADR 0163) ----------------------------------------------------------
# The draft's fields (ReferralForm), and in the same <form> the parents and consent to add, the
# rows to take off and the files to upload. Each sub-form is a formset with one empty row; an
# untouched row is no input. Without the management form (a page of before the one-page form,
# still open in a tab) no sub-form was posted.

GUARDIANS = "guardians"
CONSENTS = "consents"
ATTACHMENTS = "attachments"

GuardianFormSet = forms.formset_factory(GuardianForm, extra=1, max_num=10, validate_max=True)
ConsentFormSet = forms.formset_factory(ConsentForm, extra=1, max_num=10, validate_max=True)
AttachmentFormSet = forms.formset_factory(AttachmentForm, extra=1, max_num=10, validate_max=True)


def _guardian_label(guardian):
    parts = [guardian.name]
    if guardian.relation:
        parts.append(f"({guardian.relation})")
    custody = _("holds custody") if guardian.has_custody else _("no custody")
    return " ".join(parts) + f" — {custody}"


class RowsToRemoveForm(TandemForm):
    """The parents to take off and the consents whose withdrawal to record, ticked on the
    one-page form and done with its "Save draft"."""

    prefix = "rows"
    remove_guardians = forms.ModelMultipleChoiceField(
        label=_("Remove when saving"),
        queryset=Guardian.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The consent a removed parent gave stays in the consent record."),
    )
    withdraw_consents = forms.ModelMultipleChoiceField(
        label=_("Record the withdrawal when saving"),
        queryset=Consent.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, referral=None, **kwargs):
        super().__init__(*args, **kwargs)
        if referral is None:
            del self.fields["remove_guardians"]
            del self.fields["withdraw_consents"]
            return
        guardians = referral.guardians.listed()
        self.fields["remove_guardians"].queryset = guardians
        self.fields["remove_guardians"].label_from_instance = _guardian_label
        consents = referral.consents.filter(withdrawn_at__isnull=True).select_related("guardian")
        self.fields["withdraw_consents"].queryset = consents
        self.fields["withdraw_consents"].label_from_instance = self._consent_label
        if not guardians.exists():
            del self.fields["remove_guardians"]
        if not consents.exists():
            del self.fields["withdraw_consents"]

    @staticmethod
    def _consent_label(consent):
        who = _("the pupil") if consent.giver == Consent.Giver.CHILD else consent.guardian.name
        return f"{who}: {consent.get_form_display()}, {consent.given_on:%d-%m-%Y}"


class OnePageForm:
    """The one-page form as one object for the view: the draft form, the formsets and the rows
    to remove, bound together or not at all; valid when every part is. The parents' and consent
    parts count only for a request about one pupil (ADR 0154)."""

    def __init__(self, data=None, files=None, *, referral=None, user_school_ids=()):
        self.referral = referral
        self.form = ReferralForm(data, instance=referral, user_school_ids=user_school_ids)
        self.guardians = self._formset(GuardianFormSet, GUARDIANS, data, files)
        self.consents = self._formset(
            ConsentFormSet, CONSENTS, data, files, form_kwargs={"referral": referral}
        )
        self.attachments = self._formset(AttachmentFormSet, ATTACHMENTS, data, files)
        posted = data is not None and f"{GUARDIANS}-TOTAL_FORMS" in data
        self.rows = RowsToRemoveForm(data if posted else None, referral=referral)

    @staticmethod
    def _formset(klass, prefix, data, files, **kwargs):
        if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
            data = files = None  # not posted: an older page, no sub-form (see above)
        return klass(data, files, prefix=prefix, **kwargs)

    @property
    def is_bound(self):
        return self.form.is_bound

    def about_one_pupil(self):
        return self.form.subject_kind() == SubjectKind.CHILD

    def parts(self):
        """The posted parts: the draft form always, the others when their management form (or,
        for the rows to remove, the guardians' one) was posted."""
        parts = [self.form, self.rows, self.attachments]
        if self.about_one_pupil():
            parts += [self.guardians, self.consents]
        return [part for part in parts if part is self.form or part.is_bound]

    def is_valid(self):
        return all([part.is_valid() for part in self.parts()])

    def has_errors(self):
        return self.is_bound and not self.is_valid()

    def error_links(self):
        """The error summary's entries for every part in the order of the page."""
        links = [(None, None, message) for message in self.form.non_field_errors()]
        links += self.form.error_links()
        for formset, title in (
            (self.guardians, _("Parent or guardian")),
            (self.consents, _("Consent")),
            (self.attachments, _("Attachment")),
        ):
            if formset not in self.parts() or not formset.is_bound:
                continue
            for message in formset.non_form_errors():
                links.append((f"section-{formset.prefix}", title, message))
            for sub in formset.forms:
                for message in sub.non_field_errors():
                    links.append((f"section-{formset.prefix}", title, message))
                for anchor, label, message in sub.error_links():
                    links.append((anchor, f"{title}: {label}", message))
        return links

    def uploads_lost(self):
        """A file was chosen but the page had errors: the browser cannot keep the choice."""
        return self.has_errors() and any(
            sub.cleaned_data.get("file") for sub in self.attachments.forms if hasattr(sub, "cleaned_data")
        )

    def part(self, services_part):
        """The cleaned sub-forms as the service's FormPart (the class is passed in: the forms
        do not import the services)."""
        pupil = self.about_one_pupil()
        rows = self.rows.cleaned_data if self.rows.is_bound else {}

        def filled(formset):
            if not formset.is_bound:
                return []
            return [f.cleaned_data for f in formset.forms if f.has_changed() and f.cleaned_data]

        return services_part(
            new_guardians=filled(self.guardians) if pupil else [],
            removed_guardians=list(rows.get("remove_guardians") or []),
            new_consents=filled(self.consents) if pupil else [],
            withdrawn_consents=list(rows.get("withdraw_consents") or []),
            uploads=[(f["file"], f["content_type"]) for f in filled(self.attachments) if f.get("file")],
        )


class MessageForm(TandemForm):
    prefix = "message"
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MESSAGE_MAX
    )


class ActionFormMixin:
    """A form on the referral page that performs a workflow action (referrals/workflow.py
    ACTIONS). Every action form is built alike, `Form(data, colleagues=…, user=…)`, and its
    cleaned data are the keyword arguments of the action's service."""

    def __init__(self, *args, colleagues=None, user=None, referral=None, **kwargs):
        super().__init__(*args, **kwargs)


class ActionForm(ActionFormMixin, TandemForm):
    pass


class AnswerForm(ActionForm):
    prefix = "resubmit"
    answer = forms.CharField(
        label=_("Your answer to the district team's question"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX,
    )


class TakeUpForm(ActionForm):
    prefix = "take_up"
    assignee = forms.ModelChoiceField(label=_("Take up for"), queryset=None, empty_label=None)

    def __init__(self, *args, colleagues=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = colleagues
        if user is not None:
            self.fields["assignee"].initial = user.pk


class AssignForm(TakeUpForm):
    prefix = "assign"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].label = _("Assign to")


class AcceptForm(ActionFormMixin, TandemModelForm):
    prefix = "accept"
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Referral
        fields = ["care_provider", "planned_help_form", "expected_start", "joint_deployment"]
        widgets = {"expected_start": DateInput, "planned_help_form": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self)
        self.fields["care_provider"].queryset = CareProvider.objects.order_by("name")
        self.fields["care_provider"].required = False
        self.fields["care_provider"].help_text = _(
            "Leave empty when the district team gives the help itself."
        )
        self.fields["planned_help_form"].choices = DesiredForm.choices
        self.fields["planned_help_form"].required = True
        self.fields["expected_start"].required = True

    def clean_expected_start(self):
        value = self.cleaned_data.get("expected_start")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The expected start cannot be in the past."))
        return value


class ArrangementHelpForm(ActionForm):
    """Help through the school's collective arrangement (ADR 0161): which arrangement, and a
    note; no care provider or indication."""

    prefix = "accept_arrangement"
    arrangement = forms.ModelChoiceField(
        label=_("Collective arrangement"),
        queryset=CollectiveArrangement.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, referral=None, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self)
        self.fields["arrangement"].queryset = current_for_school(referral.school if referral else None)
        self.fields["arrangement"].help_text = _(
            "The school's arrangement that helps the pupil; no individual indication is needed."
        )


class ReturnForm(ActionForm):
    prefix = "return"
    question = forms.CharField(
        label=_("Your question to the school"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MESSAGE_MAX,
    )


class DeclineForm(ActionForm):
    prefix = "decline"
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices, widget=forms.RadioSelect)
    explanation = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MESSAGE_MAX,
        help_text=_("Required; tell the school where the pupil can go instead."),
    )


class WithdrawForm(ActionForm):
    prefix = "withdraw"
    reason = forms.CharField(
        label=_("Why the school withdraws the referral"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MESSAGE_MAX,
        help_text=_("Required. The district team reads it on the timeline."),
    )


class StartHelpForm(ActionForm):
    prefix = "start_help"
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=MESSAGE_MAX
    )


class CloseForm(ActionForm):
    prefix = "close"
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CloseOutcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason for scaling down"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MESSAGE_MAX
    )


class InboxFilterForm(TandemForm):
    """The inbox's filters within one of its tabs (`view`, ADR 0117): the default tab holds
    what still needs the team's decision, "running" the accepted and running cases, "all"
    everything. The status choices are those of the tab."""

    OPEN = "open"
    VIEWS = {
        "": (Status.SUBMITTED, Status.IN_TRIAGE, Status.RETURNED),
        "running": (Status.ACCEPTED, Status.HELP_STARTED, Status.ESCALATED),
        "all": tuple(s for s in Status if s != Status.DRAFT),
    }
    # The tabs of open work show how many referrals they hold; "All" holds the history too.
    COUNTED_VIEWS = ("", "running")
    # The filters besides the school and the home municipality that the tab counts obey (the
    # status belongs to a tab and does not).
    COUNTED_FILTERS = ("urgency", "mine", "over_norm", "answered", "transition")
    VIEW_LABELS = {
        "": _("To decide"),
        "running": _("Accepted and running"),
        "all": _("All"),
    }
    view = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), required=False)
    # The options are [(id, name)] from the registry cache (permissions.inbox_filter_choices);
    # the cleaned value is the id, or None.
    school = forms.TypedChoiceField(label=_("School"), coerce=int, empty_value=None, required=False)
    municipality = forms.TypedChoiceField(
        label=_("Home municipality"), coerce=int, empty_value=None, required=False
    )
    urgency = forms.ChoiceField(label=_("Urgency"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    over_norm = forms.BooleanField(label=_("Over the norm"), required=False)
    answered = forms.BooleanField(label=_("Question answered by the school"), required=False)
    transition = forms.BooleanField(label=_("Turns 18 soon: transition to prepare"), required=False)

    def __init__(self, *args, schools=None, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["view"].choices = [(v, label) for v, label in self.VIEW_LABELS.items()]
        view = self.data.get("view", "") if self.is_bound else ""
        statuses = self.VIEWS.get(view, self.VIEWS[""])
        self.fields["status"].choices = [
            ("", _("Every status in this tab")),
            *[(s.value, s.label) for s in statuses],
        ]
        self.fields["urgency"].choices = [("", _("All")), *Urgency.choices]
        self.fields["school"].choices = [("", "---------"), *(schools or ())]
        self.fields["municipality"].choices = [("", "---------"), *(municipalities or ())]


class SchoolListFilterForm(TandemForm):
    status = forms.ChoiceField(label=_("Status"), required=False)
    decided = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", _("All")), ("recent", _("Decided in the last 14 days"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *Status.choices]


class CooperationFeedbackForm(TandemForm):
    """The two questions after a referral ends (ADR 0151): yes, partly or no."""

    cooperation = forms.ChoiceField(
        label=_("Did the cooperation work?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the cooperation worked: yes, partly or no.")},
    )
    route_clear = forms.ChoiceField(
        label=_("Was the route clear?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the route was clear: yes, partly or no.")},
    )


class TransitionForm(TandemForm):
    """The 18-/18+ checklist (ADR 0153). A step already ticked shows ticked and cannot be
    unticked; a date in "prepared on" marks the transition prepared, once every step is ticked.
    The service checks the steps against the referral (the consent ledger, the registry)."""

    prefix = "transition"
    adult_services = forms.BooleanField(label=_("Adult services contacted"), required=False)
    municipality_contact = forms.BooleanField(
        label=_("Wmo/Wlz contact of the home municipality informed"), required=False
    )
    municipality_contact_note = forms.CharField(
        label=_("Wmo/Wlz contact of the home municipality"),
        help_text=_("Name, team or phone number of the contact you reached."),
        max_length=300,
        required=False,
    )
    adult_consent = forms.BooleanField(
        label=_("Consent of the young adult alone (from 18) recorded"), required=False
    )
    prepared_on = forms.DateField(
        label=_("Transition prepared on"),
        help_text=_("Fill in the date once every step is done: that marks the transition prepared."),
        required=False,
        widget=DateInput,
    )

    STEPS = ("adult_services", "municipality_contact", "adult_consent")

    def __init__(self, *args, transition=None, registry_contact=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prepared_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if registry_contact is not None:
            del self.fields["municipality_contact_note"]
        elif transition is not None and transition.municipality_contact_note:
            self.fields["municipality_contact_note"].initial = transition.municipality_contact_note
        for step in self.STEPS:
            if transition is not None and transition.step_done(step):
                self.fields[step].initial = True
                self.fields[step].disabled = True
        if transition is not None and transition.step_done("municipality_contact"):
            if "municipality_contact_note" in self.fields:
                self.fields["municipality_contact_note"].disabled = True

    def clean_prepared_on(self):
        value = self.cleaned_data.get("prepared_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The transition cannot be prepared in the future."))
        return value

    def clean(self):
        data = super().clean()
        if (
            "municipality_contact_note" in self.fields
            and data.get("municipality_contact")
            and not self.fields["municipality_contact"].disabled
            and not (data.get("municipality_contact_note") or "").strip()
        ):
            self.add_error(
                "municipality_contact_note",
                _("The registry has no Wmo/Wlz contact for this municipality: say whom you informed."),
            )
        if data.get("prepared_on") and not all(data.get(step) for step in self.STEPS):
            self.add_error("prepared_on", _("Tick every step before you mark the transition prepared."))
        if not self.has_changed_anything(data):
            raise forms.ValidationError(_("Tick a step or fill in the date the transition was prepared."))
        return data

    def has_changed_anything(self, data):
        new_steps = [s for s in self.STEPS if data.get(s) and not self.fields[s].disabled]
        return bool(new_steps or data.get("prepared_on"))
