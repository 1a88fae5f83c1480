from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import TandemForm
from reporting.periods import Period, recent_periods


class FiguresForm(TandemForm):
    """Period and scope, for the dashboard, the exports and report requests."""

    period = forms.ChoiceField(label=_("Half-year"))
    scope = forms.ChoiceField(label=_("Scope"))

    def __init__(self, *args, scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes = {s.key: s for s in scopes}
        self.fields["period"].choices = [(p.label, f"{p.label} ({p.verbose})") for p in recent_periods(6)]
        self.fields["scope"].choices = [(s.key, s.label[:1].upper() + s.label[1:]) for s in scopes]

    def clean_period(self):
        value = self.cleaned_data["period"]
        return Period.parse(value) if value else None

    def clean_scope(self):
        value = self.cleaned_data["scope"]
        return self.scopes[value] if value else None
