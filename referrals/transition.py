"""The 18-/18+ transition (ADR 0153): when a referral shows the transition task, and the one
date rule everything else uses (the page, the reminders, the worklist, the report).

A pupil turns 18 on the 18th anniversary of the date of birth; one born on 29 February on
1 March in a year without that day, as `referrals.consent.age_on` counts. The task shows on
an open referral (submitted and not yet declined, closed, lapsed or withdrawn) of a pupil who
is under 18 today and turns 18 within TANDEM_TRANSITION_HORIZON_DAYS days (the horizon day
itself included)."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from contacts.models import Person
from referrals.models import OPEN_STATUSES

ADULT_AGE = 18


def eighteenth_birthday(date_of_birth):
    if date_of_birth is None:
        return None
    try:
        return date_of_birth.replace(year=date_of_birth.year + ADULT_AGE)
    except ValueError:  # 29 February, in a year without it
        return datetime.date(date_of_birth.year + ADULT_AGE, 3, 1)


def latest_birth_for_adult_on(day):
    """The latest date of birth of someone who is 18 on `day`."""
    try:
        return day.replace(year=day.year - ADULT_AGE)
    except ValueError:  # `day` is 29 February; 18 years back there is none: 28 February
        return datetime.date(day.year - ADULT_AGE, 2, 28)


def horizon_days():
    return settings.TANDEM_TRANSITION_HORIZON_DAYS


def born_between(today=None):
    """(after, up_to): the pupil is under 18 today and 18 on the horizon day exactly when
    after < date of birth <= up_to."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=horizon_days())
    return latest_birth_for_adult_on(today), latest_birth_for_adult_on(horizon)


def due_q(today=None, prefix=""):
    """A Q on Referral: open, with a pupil under 18 who turns 18 within the horizon."""
    after, up_to = born_between(today)
    return Q(
        **{
            f"{prefix}status__in": OPEN_STATUSES,
            f"{prefix}child_date_of_birth__gt": after,
            f"{prefix}child_date_of_birth__lte": up_to,
            f"{prefix}anonymised_at__isnull": True,
        }
    )


def pending_q(today=None):
    """Due and not yet marked prepared (no Transition, or one without a prepared date)."""
    return due_q(today) & (Q(transition__isnull=True) | Q(transition__prepared_on__isnull=True))


def is_due(referral, today=None):
    if referral.status not in OPEN_STATUSES or referral.anonymised_at is not None:
        return False
    if referral.child_date_of_birth is None:
        return False
    after, up_to = born_between(today)
    return after < referral.child_date_of_birth <= up_to


def days_left(referral, today=None):
    """Days until the 18th birthday (0 on the day itself), or None without a date of birth."""
    birthday = eighteenth_birthday(referral.child_date_of_birth)
    if birthday is None:
        return None
    return (birthday - (today or timezone.localdate())).days


def reminder_due(referral, today=None):
    """The number of days before the birthday of the reminder that is due now (the closest of
    TANDEM_TRANSITION_REMINDER_DAYS that has been reached), or None. A reminder day missed
    (the referral was submitted later) is not sent afterwards: only the latest reached counts."""
    left = days_left(referral, today)
    if left is None or left <= 0:
        return None
    reached = [d for d in settings.TANDEM_TRANSITION_REMINDER_DAYS if left <= d]
    return min(reached) if reached else None


def registry_contact(municipality):
    """The home municipality's Wmo/Wlz contact from the network registry: a contact person of
    the municipality whose function names the Wmo or the Wlz. None when there is none (the
    checklist then asks whom the worker informed)."""
    if municipality is None:
        return None
    return (
        Person.objects.filter(municipalities=municipality)
        .filter(Q(function__icontains="wmo") | Q(function__icontains="wlz"))
        .order_by("name", "pk")
        .first()
    )
