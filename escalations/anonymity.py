"""Does a precedent text identify the child? (ADR 0061)

A precedent is published in a library every professional reads, so its free text must not
name the child, a parent or guardian, or give the child's date of birth. `identifying_findings`
is the check the services run before a draft is saved and again before it is published.
"""

import re

from django.utils.translation import gettext_lazy

PRECEDENT_TEXT_FIELDS = ("title", "summary", "outcome", "rationale", "split")
MONTHS_NL = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
MONTHS_EN = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def _name_patterns(referral):
    names = set()
    for value in (referral.child_first_name, referral.child_last_name):
        value = (value or "").strip()
        if len(value) >= 2:
            names.add(value)
        for part in value.split():
            if len(part) >= 3:  # "van", "de" are prefixes, not the name
                names.add(part)
    for name in referral.guardians.values_list("name", flat=True):
        for part in name.split():
            if len(part) >= 3:
                names.add(part)
    # A name counts wherever no letter touches it ("Sem2" yes, "Semester" no).
    return [re.compile(rf"(?<![^\W\d_]){re.escape(n)}(?![^\W\d_])", re.IGNORECASE) for n in sorted(names)]


def _date_patterns(day):
    if not day:
        return []
    d, m, y = day.day, day.month, day.year
    sep = r"\s*[-/.]\s*"
    return [
        re.compile(rf"(?<!\d)0?{d}{sep}0?{m}{sep}({y}|{y % 100:02d})(?!\d)"),
        re.compile(rf"(?<!\d){y}{sep}0?{m}{sep}0?{d}(?!\d)"),
        re.compile(
            rf"(?<!\d)0?{d}\s+({MONTHS_NL[m - 1]}|{MONTHS_EN[m - 1]}|{MONTHS_NL[m - 1][:3]})\.?\s+{y}", re.I
        ),
    ]


IDENTIFYING_MESSAGE = gettext_lazy(
    "This text identifies the child (a name or the date of birth). Rewrite it without them."
)


def identifying_findings(precedent, values=None):
    """{field: message} for every text field that contains the child's (or a guardian's) name
    or the child's date of birth. `values` overrides the precedent's stored texts."""
    decision = precedent.decision
    if decision is None:
        return {}
    referral = decision.escalation.referral
    patterns = _name_patterns(referral) + _date_patterns(referral.child_date_of_birth)
    findings = {}
    for field in PRECEDENT_TEXT_FIELDS:
        text = (values or {}).get(field, getattr(precedent, field)) or ""
        if any(p.search(text) for p in patterns):
            findings[field] = IDENTIFYING_MESSAGE
    return findings


__all__ = ["IDENTIFYING_MESSAGE", "PRECEDENT_TEXT_FIELDS", "identifying_findings"]
