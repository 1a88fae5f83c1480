"""Factories and a crafted dataset for the reports."""

import datetime

import factory

from referrals.models import Referral, ReferralDomain, ReferralEvent, Status
from reporting.models import ProgressReport
from reporting.periods import AMSTERDAM
from tests.referrals.factories import ReferralFactory


def ams(year, month, day, hour=9, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def referral(school, *, submitted, decided=None, help_started=None, closed=None, status=None, **kwargs):
    """A referral with its measured moments set directly (the workflow is tested elsewhere)."""
    if status is None:
        status = Status.SUBMITTED
        if decided is not None:
            status = Status.ACCEPTED
        if help_started is not None:
            status = Status.HELP_STARTED
        if closed is not None:
            status = Status.CLOSED
    return ReferralFactory(
        school=school,
        status=status,
        first_submitted_at=submitted,
        submitted_at=submitted,
        decided_at=decided,
        help_started_at=help_started,
        closed_at=closed,
        **kwargs,
    )


def add_domains(ref, *domains):
    for domain in domains:
        ReferralDomain.objects.create(referral=ref, domain=domain)


def add_return(ref, actor):
    ReferralEvent.objects.create(
        referral=ref, actor=actor, action="return", from_status="in_triage", to_status="returned"
    )


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    period = "2026-H1"
    status = ProgressReport.Status.QUEUED


__all__ = ["Referral", "ProgressReportFactory", "add_domains", "add_return", "ams", "referral"]
