"""The pages `make bench` measures: NAME -> which URL, with which arguments, as whom.

A page is measured once one of its URL names resolves; until then the benchmark prints
"not available yet". Each page lists candidate URL names (the name the issue expects first)
and candidate argument builders, tried in order, so a page is picked up as soon as it lands
without editing this file; add a row or a candidate when a page lands under another name.
Argument builders run in the benchmark process against the bench database.
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from portal.loadgen import BENCH_ACCOUNTS


def _bench_user(role):
    from contacts.models import User

    return User.objects.get(email=BENCH_ACCOUNTS[role])


def _membership(role, attr):
    from contacts.models import Membership

    return getattr(Membership.objects.get(user=_bench_user(role), role=role), attr)


def _school():
    return _membership("school_coordinator", "school_id")


def _team():
    return _membership("district_worker", "district_team_id")


def _detail_referral():
    """The newest submitted referral of the bench school: visible to the bench IB-er."""
    from referrals.models import Referral

    return (
        Referral.objects.filter(school_id=_school())
        .exclude(status="draft")
        .order_by("-created_at")
        .only("pk", "uuid", "reference")
        .first()
    )


def _detail_args():
    r = _detail_referral()
    return [(r.pk,), (str(r.uuid),), (r.reference,)]


@dataclass
class Page:
    name: str
    url_names: list
    account: str | None  # a key of BENCH_ACCOUNTS; None: anonymous
    args: object = None  # callable -> list of candidate positional-arg tuples
    query: str = ""
    notes: list = field(default_factory=list)

    def resolve(self):
        """The path to measure, or None when no URL name resolves yet."""
        candidates = self.args() if self.args else [()]
        for url_name in self.url_names:
            for args in candidates:
                try:
                    return reverse(url_name, args=args) + self.query
                except NoReverseMatch:
                    continue
        return None


PAGES = [
    Page("healthz", ["healthz"], None),
    # The logged-in floor: session, memberships, navigation, base template.
    Page("home", ["home"], "school_coordinator"),
    Page(
        "triage_inbox",
        ["triage_inbox", "referrals:triage_inbox", "referrals:inbox", "inbox"],
        "district_worker",
        args=lambda: [(), (_team(),)],
    ),
    Page(
        "school_referrals",
        ["school_referrals", "referrals:list", "referrals:school_referrals", "referral_list"],
        "school_coordinator",
        args=lambda: [(), (_school(),)],
    ),
    Page(
        "referral_detail",
        ["referral_detail", "referrals:referral_detail", "referrals:detail"],
        "school_coordinator",
        args=_detail_args,
    ),
    Page(
        "directory_search",
        [
            "directory_search",
            "contacts:directory_search",
            "contacts:directory",
            "contacts:search",
            "directory",
        ],
        "school_coordinator",
        query="?q=wijk",
    ),
    Page(
        "precedent_search",
        [
            "precedent_search",
            "referrals:precedent_search",
            "escalations:precedent_search",
            "escalations:precedents",
            "precedents",
        ],
        "partnership_director",
        query="?q=arrangement",
    ),
    Page(
        "escalation_inbox",
        ["escalation_inbox", "referrals:escalation_inbox", "escalations:inbox"],
        "partnership_director",
    ),
    Page(
        "dashboard",
        ["dashboard", "reporting:dashboard"],
        "steering_member",
    ),
]
