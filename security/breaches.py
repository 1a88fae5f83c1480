"""The breach register (AVG art. 33/34): one function per action of the privacy officer, and
the access-log look-ups that help scope a breach (ADR 0108).

The officer records a suspected breach (what, when found, the period, which referrals and
accounts), scopes it from the logs (who read which child in a period; which accounts logged in
from an address), decides whether to notify the Autoriteit Persoonsgegevens (within 72 hours
of finding it, art. 33(1)) and whether to inform the data subjects (art. 34), each with a
reason, and records the notifications. Every step and every look-up writes an access-log row.
Nothing about a breach is e-mailed: there is no notification at all, the officer works from
the page.
"""

import datetime

from axes.models import AccessLog as LoginRecord
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contacts.models import Role, User
from portal.audit import log_access
from portal.dates import moment_with_zone
from portal.models import AccessLog
from referrals.models import Referral
from security.data_subject import (
    RequestError,
    may_handle_requests,
    officer_memberships,
    officer_region,
    referrals_in_region,
)
from security.models import Breach

OBJECT_TYPE = Breach._meta.label_lower
AUTHORITY_HOURS = 72


def _require(user):
    if not may_handle_requests(user):
        raise PermissionDenied


def visible_breaches(user):
    return Breach.objects.filter(region_id__in=[m.region_id for m in officer_memberships(user)])


def authority_deadline(breach):
    return breach.found_at + datetime.timedelta(hours=AUTHORITY_HOURS)


def hours_left(breach, now=None):
    """Whole hours until the 72-hour deadline (negative: past it)."""
    seconds = (authority_deadline(breach) - (now or timezone.now())).total_seconds()
    return int(seconds // 3600)


def _log(user, breach, step="", reference=""):
    return log_access(
        user,
        AccessLog.Action.SEARCH if step == "scope" else AccessLog.Action.VIEW,
        role=Role.PRIVACY_OFFICER.value,
        organisation=str(breach.region),
        object_type=f"{OBJECT_TYPE}.{step}" if step else OBJECT_TYPE,
        object_id=str(breach.pk),
        reference=reference,
    )


def parse_lines(text):
    """Reference numbers or e-mail addresses, one per line (commas and spaces also separate)."""
    values = []
    for value in (text or "").replace(",", "\n").split():
        value = value.strip()
        if value and value not in values:
            values.append(value)
    return values


def check_references(region, text):
    references = [r.upper() for r in parse_lines(text)]
    found = set(
        referrals_in_region(region).filter(reference__in=references).values_list("reference", flat=True)
    )
    unknown = [r for r in references if r not in found]
    if unknown:
        raise RequestError(
            "references",
            _("No referral in your region has this reference number: %(unknown)s.")
            % {"unknown": ", ".join(unknown)},
        )
    return references


def check_accounts(text):
    accounts = [a.lower() for a in parse_lines(text)]
    found = {e.lower() for e in User.objects.filter(email__in=accounts).values_list("email", flat=True)}
    found |= {
        e.lower()
        for a in accounts
        for e in User.objects.filter(email__iexact=a).values_list("email", flat=True)
    }
    unknown = [a for a in accounts if a not in found]
    if unknown:
        raise RequestError(
            "accounts",
            _("Tandem has no account with this e-mail address: %(unknown)s.")
            % {"unknown": ", ".join(unknown)},
        )
    return accounts


def _check_period(start, end, field="occurred_until"):
    if start and end and end < start:
        raise RequestError(field, _("The end of the period lies before its start."))


def record_breach(
    user, *, title, description, found_at, occurred_from=None, occurred_until=None, references="", accounts=""
):
    _require(user)
    region = officer_region(user)
    now = timezone.now()
    if found_at > now:
        raise RequestError("found_at", _("The moment the breach was found cannot lie in the future."))
    _check_period(occurred_from, occurred_until)
    if occurred_from and occurred_from > found_at:
        raise RequestError("occurred_from", _("A breach cannot have started after it was found."))
    references = check_references(region, references)
    accounts = check_accounts(accounts)
    with transaction.atomic():
        breach = Breach.objects.create(
            region=region,
            title=title.strip(),
            description=description.strip(),
            found_at=found_at,
            occurred_from=occurred_from,
            occurred_until=occurred_until,
            references=references,
            accounts=accounts,
            created_by=user,
        )
        _log(user, breach, "recorded")
        for reference in references:
            # The child's own access history shows that its referral is named in a breach.
            _log(user, breach, "named", reference=reference)
    return breach


def read_breach(user, breach):
    _require(user)
    return _log(user, breach)


def decide(
    user, breach, *, notify_authority, notify_authority_reason, inform_subjects, inform_subjects_reason
):
    """Art. 33(1)/34: notify the AP unless the breach is unlikely to result in a risk; inform the
    data subjects when it is likely to result in a high risk. Both with the reason (art. 33(5))."""
    _require(user)
    if breach.decided:
        raise RequestError(None, _("The decision on this breach has been recorded already."))
    notify_authority_reason = (notify_authority_reason or "").strip()
    inform_subjects_reason = (inform_subjects_reason or "").strip()
    if not notify_authority_reason:
        raise RequestError(
            "notify_authority_reason",
            _(
                "Give the reason: why the breach must, or need not, be notified to the "
                "Autoriteit Persoonsgegevens."
            ),
        )
    if not inform_subjects_reason:
        raise RequestError(
            "inform_subjects_reason",
            _("Give the reason: why the children and parents must, or need not, be informed."),
        )
    with transaction.atomic():
        breach.notify_authority = notify_authority
        breach.notify_authority_reason = notify_authority_reason
        breach.inform_subjects = inform_subjects
        breach.inform_subjects_reason = inform_subjects_reason
        breach.decided_at = timezone.now()
        breach.decided_by = user
        breach.save(
            update_fields=[
                "notify_authority",
                "notify_authority_reason",
                "inform_subjects",
                "inform_subjects_reason",
                "decided_at",
                "decided_by",
            ]
        )
        _log(user, breach, "decided")
    return breach


def record_notification(
    user, breach, *, authority_notified_at=None, authority_case_number="", subjects_informed_on=None, note=""
):
    _require(user)
    if not breach.decided:
        raise RequestError(None, _("Record the decision first."))
    now = timezone.now()
    if authority_notified_at is not None:
        if not breach.notify_authority:
            raise RequestError(
                "authority_notified_at", _("The decision was not to notify the Autoriteit Persoonsgegevens.")
            )
        if authority_notified_at > now:
            raise RequestError(
                "authority_notified_at", _("The moment of notification cannot lie in the future.")
            )
        if authority_notified_at < breach.found_at:
            raise RequestError(
                "authority_notified_at", _("The notification cannot lie before the breach was found.")
            )
    elif breach.notify_authority and breach.authority_notified_at is None and authority_case_number:
        raise RequestError("authority_notified_at", _("Fill in when the breach was notified."))
    if subjects_informed_on is not None:
        if not breach.inform_subjects:
            raise RequestError("subjects_informed_on", _("The decision was not to inform the data subjects."))
        if subjects_informed_on > timezone.localdate():
            raise RequestError("subjects_informed_on", _("The date cannot lie in the future."))
    if authority_notified_at is None and subjects_informed_on is None and not (note or "").strip():
        raise RequestError(None, _("Fill in what was notified, or write a note."))
    with transaction.atomic():
        fields = []
        if authority_notified_at is not None:
            breach.authority_notified_at = authority_notified_at
            breach.authority_case_number = (authority_case_number or "").strip()
            fields += ["authority_notified_at", "authority_case_number"]
        if subjects_informed_on is not None:
            breach.subjects_informed_on = subjects_informed_on
            fields.append("subjects_informed_on")
        if (note or "").strip():
            stamp = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
            breach.notification_note = "\n".join(
                filter(None, [breach.notification_note, f"{stamp}: {note.strip()}"])
            )
            fields.append("notification_note")
        breach.save(update_fields=fields)
        _log(user, breach, "notification")
    return breach


# --- Scoping from the logs ------------------------------------------------------------------------


def _period_q(field, start, end):
    q = Q()
    if start:
        q &= Q(**{f"{field}__gte": start})
    if end:
        q &= Q(**{f"{field}__lte": end})
    return q


def readers(user, breach, references, start=None, end=None):
    """Who read which of these referrals (by reference, referral id or attachment) in the
    period: one row per referral, user, role and organisation, with counts and first/last."""
    _require(user)
    _check_period(start, end, "end")
    references = check_references(breach.region, "\n".join(references))
    ids = dict(Referral.objects.filter(reference__in=references).values_list("pk", "reference"))
    condition = Q(object_reference__in=references) | Q(
        object_type="referrals.referral", object_id__in=[str(pk) for pk in ids]
    )
    rows = list(
        AccessLog.objects.filter(condition)
        .filter(_period_q("at", start, end))
        .exclude(object_type__startswith=OBJECT_TYPE)
        .values("object_reference", "object_id", "object_type", "user__email", "role", "organisation")
        .annotate(count=Count("id"), first=Min("at"), last=Max("at"))
        .order_by("object_reference", "first")
    )
    for row in rows:
        if not row["object_reference"] and row["object_type"] == "referrals.referral":
            row["object_reference"] = ids.get(int(row["object_id"]), "")
        row["role_label"] = capfirst(Role(row["role"]).label) if row["role"] in Role.values else row["role"]
    for reference in references:
        _log(user, breach, "scope", reference=reference)
    return rows


def accounts_from_address(user, breach, address, start=None, end=None):
    """Which accounts logged in from `address` in the period (django-axes' login records,
    kept TANDEM_LOGIN_LOG_RETENTION_DAYS): one row per account, with counts and first/last."""
    _require(user)
    _check_period(start, end, "end")
    rows = list(
        LoginRecord.objects.filter(ip_address=address)
        .filter(_period_q("attempt_time", start, end))
        .values("username")
        .annotate(count=Count("id"), first=Min("attempt_time"), last=Max("attempt_time"))
        .order_by("first")
    )
    _log(user, breach, "scope")
    return rows


def home_summary(membership):
    """The privacy officer's home: the open breaches and the first 72-hour deadline still to meet."""
    waiting = list(
        Breach.objects.filter(region_id=membership.region_id)
        .filter(Q(decided_at__isnull=True) | Q(notify_authority=True, authority_notified_at__isnull=True))
        .only("found_at")
    )
    if not waiting:
        return _("no open breaches")
    first = min(authority_deadline(b) for b in waiting)
    return ngettext(
        "%(n)s breach to decide or notify, notify the AP by %(moment)s",
        "%(n)s breaches to decide or notify, notify the AP by %(moment)s",
        len(waiting),
    ) % {"n": len(waiting), "moment": moment_with_zone(first)}
