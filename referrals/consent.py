"""Consent rules (Jeugdwet; ADR 0050).

- under 12: every parent or guardian with custody (gezag);
- 12 to 15: every parent with custody AND the child;
- 16 and older: the child alone.
A withdrawn consent does not count. `consent_problems` says exactly what is missing.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

CHILD_TOO_FROM = 12
CHILD_ALONE_FROM = 16

# Functions referral -> bool: True while something other than consent keeps the referral from
# being shared, so that new consent does not resume sharing (e.g. a restriction of processing
# under AVG art. 18, registered by the security app; ADR 0106). Registered in AppConfig.ready().
_SHARING_HOLDS = []


def register_sharing_hold(hold):
    if hold not in _SHARING_HOLDS:
        _SHARING_HOLDS.append(hold)


def sharing_held(referral):
    return any(hold(referral) for hold in _SHARING_HOLDS)


def age_on(date_of_birth, day=None):
    if date_of_birth is None:
        return None
    day = day or timezone.localdate()
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def required_givers(age):
    """("parents", "child") as needed for this age."""
    if age is None:
        return ()
    if age >= CHILD_ALONE_FROM:
        return ("child",)
    if age >= CHILD_TOO_FROM:
        return ("parents", "child")
    return ("parents",)


def consent_problems(referral, guardians=None, consents=None):
    """A list of Dutch (translated) sentences naming each missing consent; empty when valid."""
    guardians = list(referral.guardians.listed()) if guardians is None else guardians
    guardians = [g for g in guardians if g.removed_at is None]
    consents = list(referral.consents.all()) if consents is None else consents
    active = [c for c in consents if c.withdrawn_at is None]
    age = age_on(referral.child_date_of_birth)
    if age is None:
        return [_("Fill in the date of birth: it decides whose consent is needed.")]
    problems = []
    needed = required_givers(age)
    if "parents" in needed:
        custody = [g for g in guardians if g.has_custody]
        if not custody:
            problems.append(_("Add the parents or guardians with custody: below 16 their consent is needed."))
        consenting = {c.guardian_id for c in active if c.giver == "parent"}
        for guardian in custody:
            if guardian.pk not in consenting:
                problems.append(
                    _("Consent of %(name)s (holds custody) is missing.") % {"name": guardian.name}
                )
    if "child" in needed:
        if not any(c.giver == "child" for c in active):
            if age >= CHILD_ALONE_FROM:
                problems.append(_("Consent of the pupil is missing: from 16 the pupil decides alone."))
            else:
                problems.append(
                    _(
                        "Consent of the pupil is missing: "
                        "from 12 to 15 the pupil consents as well as the parents."
                    )
                )
    return problems


def consent_summary(age):
    needed = required_givers(age)
    if needed == ("child",):
        return _("The pupil is 16 or older: the pupil's own consent is needed, not the parents'.")
    if needed == ("parents", "child"):
        return _("The pupil is 12 to 15: consent of every parent with custody and of the pupil is needed.")
    if needed == ("parents",):
        return _("The pupil is under 12: consent of every parent with custody is needed.")
    return _("Fill in the date of birth to see whose consent is needed.")
