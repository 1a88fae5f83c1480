"""The district worker's worklist reads only the referrals that can still wait for the worker
(ADR 0140): open ones, and ended ones whose cooperation check is still to answer (ADR 0151)."""

import datetime
from unittest import mock

import pytest
from django.db.models.query import QuerySet
from django.utils import timezone

from referrals.models import Referral, Status
from referrals.selectors import district_worker_worklist
from tests.escalations.fixtures import referral_in

pytestmark = pytest.mark.django_db


def _read_by_the_worklist(membership):
    """The referrals the worklist's one counting query runs over."""
    seen = []
    real = QuerySet.aggregate

    def spy(self, *args, **kwargs):
        if self.model is Referral:
            seen.append(set(self.values_list("pk", flat=True)))
        return real(self, *args, **kwargs)

    with mock.patch.object(QuerySet, "aggregate", spy):
        items = district_worker_worklist(membership)
    [pks] = seen
    return pks, items


def _ended(world, status, days_ago):
    referral = referral_in(world, "in_triage")
    when = timezone.now() - datetime.timedelta(days=days_ago)
    Referral.objects.filter(pk=referral.pk).update(status=status, closed_at=when, ended_at=when)
    return referral


def test_closed_withdrawn_lapsed_and_declined_referrals_are_not_read(world):
    submitted = referral_in(world, "submitted")
    running = referral_in(world, "help_started")
    to_answer = _ended(world, Status.CLOSED, days_ago=3)  # its cooperation check still waits
    for status in (Status.CLOSED, Status.LAPSED):
        _ended(world, status, days_ago=400)
    for status in (Status.WITHDRAWN, Status.DECLINED):
        _ended(world, status, days_ago=3)
    membership = world.user("district_worker").memberships.get()
    pks, items = _read_by_the_worklist(membership)
    assert pks == {submitted.pk, running.pk, to_answer.pk}
    assert [item.count for item in items] == [1, 0, 0, 1, 0]
