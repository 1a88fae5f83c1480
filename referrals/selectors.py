"""Read-only questions about referrals that more than one page asks: the inbox's filters and
the home-page worklists of the IB-er and the district worker (ADR 0140). The worklist counts
use exactly the filters of the lists they link to, so a count and its list always agree."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.norms import NormBook
from portal.home import WorkItem
from referrals import permissions as perms
from referrals import transition as transition_rules
from referrals.models import FINAL_STATUSES, OPEN_STATUSES, FeedbackReceipt, Referral, ReferralEvent, Status
from referrals.waiting import over_norm_q

# What still needs the team's decision: the inbox's default tab (ADR 0117).
TO_DECIDE = (Status.SUBMITTED, Status.IN_TRIAGE, Status.RETURNED)
RECENT_DECISION_DAYS = 14
# How long after a referral ended its cooperation check stays on the worklist (ADR 0151).
FEEDBACK_DAYS = 60


def answered_q():
    """Referrals the school resubmitted with the answer to the team's question, while the team
    still has to decide on them."""
    resubmitted = ReferralEvent.objects.filter(action="resubmit").values("referral_id")
    return Q(pk__in=resubmitted, status__in=(Status.SUBMITTED, Status.IN_TRIAGE))


def over_the_norm_q(book=None):
    """Over the norm: awaiting a decision past the decision norm, or accepted and awaiting the
    start of help past that norm; each against its region's norm valid at its submission."""
    book = book or NormBook()
    over_decision = Q(decided_at__isnull=True) & over_norm_q("decision", book=book)
    awaiting_help = Q(status=Status.ACCEPTED, help_started_at__isnull=True)
    over_help = awaiting_help & over_norm_q("help_started", book=book)
    return (over_decision | over_help) & ~Q(status__in=FINAL_STATUSES)


def inbox_tab_counts(filtered, tabs, open_work, school_id=None, municipality_id=None, by_place_only=True):
    """Each counted inbox tab's number of open referrals under the other filters (ADR 0117):
    `tabs` maps a tab to its statuses. With no filter but the school and the home municipality
    (`by_place_only`) they are summed from `open_work` (permissions.open_work_by_place, which
    the filter options read too); otherwise one aggregate over `filtered`'s open work."""
    if not by_place_only:
        return filtered.filter(status__in=OPEN_STATUSES).aggregate(
            **{f"tab_{tab}": Count("pk", filter=Q(status__in=statuses)) for tab, statuses in tabs.items()}
        )
    return {
        f"tab_{tab}": sum(
            n
            for s, m, status, n in open_work
            if status in statuses and school_id in (None, s) and municipality_id in (None, m)
        )
        for tab, statuses in tabs.items()
    }


def decided_since(today=None):
    today = today or timezone.localdate()
    return timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=RECENT_DECISION_DAYS), datetime.time.min)
    )


def district_worker_worklist(membership):
    """New referrals, those over the norm (in the default tab), the questions a school
    answered, the cooperation checks of ended referrals (ADR 0151) and the 18-/18+ transitions
    to prepare (in every tab, ADR 0153): one query (and the norms' one)."""
    user = membership.user
    # Only what can still wait for the worker: open referrals, and ended ones whose
    # cooperation check is still to answer; declined, withdrawn and other ended ones never count.
    base = perms.visible_referrals(user).filter(Q(status__in=OPEN_STATUSES) | feedback_waiting_q(user))
    to_decide = Q(status__in=TO_DECIDE)
    counts = base.aggregate(
        new=Count("pk", filter=Q(status=Status.SUBMITTED)),
        over=Count("pk", filter=to_decide & over_the_norm_q()),
        answered=Count("pk", filter=to_decide & answered_q()),
        feedback=Count("pk", filter=Q(status__in=perms.FEEDBACK_STATUSES) & feedback_waiting_q(user)),
        transition=Count("pk", filter=transition_rules.pending_q()),
    )
    inbox = reverse("referrals:inbox")
    return [
        WorkItem(_("new referrals"), counts["new"], f"{inbox}?status={Status.SUBMITTED}"),
        WorkItem(_("over the norm"), counts["over"], f"{inbox}?over_norm=on"),
        WorkItem(_("questions answered by a school"), counts["answered"], f"{inbox}?answered=on"),
        _feedback_item(counts["feedback"]),
        WorkItem(
            _("prepare the transition to 18+"),
            counts["transition"],
            f"{inbox}?view=all&transition=on",
        ),
    ]


def _feedback_item(count):
    return WorkItem(_("cooperation checks to answer"), count, reverse("referrals:feedback_pending"))


def school_coordinator_worklist(membership):
    """Questions from the team (returned), drafts, decisions of the last two weeks, and the
    cooperation checks of ended referrals (ADR 0151)."""
    base = Referral.objects.filter(school_id__in=perms.school_ids(membership.user))
    counts = base.aggregate(
        returned=Count("pk", filter=Q(status=Status.RETURNED)),
        drafts=Count("pk", filter=Q(status=Status.DRAFT)),
        decided=Count("pk", filter=Q(decided_at__gte=decided_since())),
        feedback=Count("pk", filter=feedback_waiting_q(membership.user)),
    )
    school_list = reverse("referrals:list")
    return [
        WorkItem(_("questions from the team"), counts["returned"], f"{school_list}?status={Status.RETURNED}"),
        WorkItem(_("drafts"), counts["drafts"], f"{school_list}?status={Status.DRAFT}"),
        WorkItem(_("decided recently"), counts["decided"], f"{school_list}?decided=recent"),
        _feedback_item(counts["feedback"]),
    ]


def feedback_waiting_q(user):
    """Referrals that ended in the last FEEDBACK_DAYS and still wait for `user`'s cooperation
    check (ADR 0151): the list's filter and the worklists' count."""
    since = timezone.now() - datetime.timedelta(days=FEEDBACK_DAYS)
    answered = FeedbackReceipt.objects.filter(user=user).values("referral_id")
    return (
        perms.feedback_party_q(user)
        & (Q(closed_at__gte=since) | Q(ended_at__gte=since))
        & ~Q(pk__in=answered)
    )


def feedback_pending(user):
    """The ended referrals waiting for `user`'s answers, the most recently ended first."""
    return Referral.objects.filter(feedback_waiting_q(user)).order_by("-closed_at", "-ended_at", "-pk")
