"""The live indicators a goal can point to: the keys `Goal.indicator` stores and their labels.

Kept apart from agenda/indicators.py, which computes the values from the models (agenda's among
them), so that agenda/models.py can offer these as choices without importing it.
"""

from django.utils.translation import gettext_lazy as _

INDICATOR_LABELS = {
    "special_schools_with_contact": _("(v)so schools with a fixed contact person"),
    "municipalities_with_contact": _("municipalities with a fixed contact person"),
    "fixed_contact_coverage": _("(v)so schools and municipalities with a fixed contact person"),
    "schools_with_tandem": _("schools with an active tandem"),
    "practitioner_meetings": _("practitioner meetings held this calendar year"),
    "inspiration_sessions": _("inspiration sessions held this calendar year"),
    "collective_funding_pilots": _("pilot schools with collective funding"),
    "referrals_submitted": _("referrals submitted in the period"),
    "median_days_to_decision": _("median working days from submission to decision"),
}


def indicator_choices():
    return list(INDICATOR_LABELS.items())
