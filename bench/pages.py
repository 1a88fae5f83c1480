"""The pages `make bench` measures: NAME -> which URL, with which arguments, as whom.

Argument builders run in the benchmark process against the bench database. A URL name that
does not exist raises NoReverseMatch (tests/bench/test_queries.py resolves every page).
"""

from dataclasses import dataclass, field

from django.urls import reverse

from agenda.models import Activity, Agenda, Goal
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


def _bench_school_id():
    return Membership.objects.get(user=_bench_user("school_coordinator"), role="school_coordinator").school_id


def _bench_agenda():
    """The work agenda of the bench steering member's region (seed_agenda: one per region)."""
    region = Membership.objects.get(user=_bench_user("steering_member"), role="steering_member").region_id
    return Agenda.objects.filter(region_id=region).order_by("id").first()


def _agenda_args():
    return [_bench_agenda().slug]


def _goal_args():
    return [
        Goal.objects.filter(ambition__agenda=_bench_agenda()).order_by("ambition__number", "number")[0].pk
    ]


def _activity_args():
    activity = Activity.objects.filter(ambition__agenda=_bench_agenda()).order_by(
        "ambition__number", "number"
    )
    return [activity[0].pk]


def _school_args():
    return [_bench_school_id()]


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
    # The work agenda of the bench region, one of its goals (the edit form: steering members
    # edit the agenda) and activities, and its meetings.
    Page("agenda_detail", "agenda:detail", "steering_member", args=_agenda_args),
    Page("goal_edit", "agenda:goal_edit", "steering_member", args=_goal_args),
    Page("activity_detail", "agenda:activity", "steering_member", args=_activity_args),
    Page("meetings", "agenda:meetings", "steering_member", args=_agenda_args),
    Page("coverage", "contacts:coverage", "registry_admin"),
    # The directory's organisation page the search leads to most: a school's (who to call).
    Page("school_detail", "contacts:school_detail", "school_coordinator", args=_school_args),
    Page("access_log", "security:access_log", "privacy_officer"),
    Page("report_list", "reporting:report_list", "steering_member"),
    Page("notifications", "notifications:list", "district_worker"),
    Page("accounts", "contacts:accounts", "registry_admin"),
]
