"""The pages `make bench` measures: NAME -> which URL, with which arguments, as whom.

Argument builders run in the benchmark process against the bench database. A URL name that
does not exist raises NoReverseMatch (tests/bench/test_queries.py resolves every page).
"""

from dataclasses import dataclass, field

from django.urls import reverse

from bench.loadgen import BENCH_ACCOUNTS
from contacts.models import Membership, User
from referrals.models import Referral


def _bench_user(role):
    return User.objects.get(email=BENCH_ACCOUNTS[role])


def _detail_args():
    """The newest submitted referral of the bench school: visible to the bench IB-er."""
    school = Membership.objects.get(
        user=_bench_user("school_coordinator"), role="school_coordinator"
    ).school_id
    referral = (
        Referral.objects.filter(school_id=school)
        .exclude(status="draft")
        .order_by("-created_at")
        .only("pk", "uuid")
        .first()
    )
    return [referral.uuid]


@dataclass
class Page:
    name: str
    url_name: str
    account: str | None  # a key of BENCH_ACCOUNTS; None: anonymous
    args: object = None  # callable -> positional arguments of the URL
    query: str = ""
    notes: list = field(default_factory=list)

    def resolve(self):
        """The path to measure."""
        return reverse(self.url_name, args=self.args() if self.args else []) + self.query


PAGES = [
    Page("healthz", "healthz", None),
    # The logged-in floor: session, memberships, navigation, base template.
    Page("home", "home", "school_coordinator"),
    Page("triage_inbox", "referrals:inbox", "district_worker"),
    Page("school_referrals", "referrals:list", "school_coordinator"),
    Page("referral_detail", "referrals:detail", "school_coordinator", args=_detail_args),
    Page("directory_search", "contacts:directory", "school_coordinator", query="?q=wijk"),
    Page("precedent_search", "escalations:precedents", "partnership_director", query="?q=arrangement"),
    Page("escalation_inbox", "escalations:inbox", "partnership_director"),
    Page("dashboard", "reporting:dashboard", "steering_member"),
]
