import threading

import pytest
from django.db import connection

from referrals.models import FINAL_STATUSES, ReferralEvent, Status
from referrals.workflow import ACTIONS, TransitionNotAllowed, moves_from, transition
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def test_happy_path_writes_one_event_per_move_and_stamps_moments():
    referral = ReferralFactory()
    actor = referral.created_by
    for action in ["submit", "take_up", "accept", "start_help", "close"]:
        referral = transition(referral, action, actor)
    assert referral.status == Status.CLOSED
    assert referral.reference.startswith("AJS-") and len(referral.reference) == 14
    assert referral.submitted_at and referral.decided_at and referral.help_started_at and referral.closed_at
    events = list(ReferralEvent.objects.filter(referral=referral).values_list("from_status", "to_status"))
    assert events == [
        ("draft", "submitted"),
        ("submitted", "in_triage"),
        ("in_triage", "accepted"),
        ("accepted", "help_started"),
        ("help_started", "closed"),
    ]


def test_a_forbidden_move_is_refused_and_changes_nothing():
    referral = ReferralFactory()
    with pytest.raises(TransitionNotAllowed):
        transition(referral, "accept", referral.created_by)
    referral.refresh_from_db()
    assert referral.status == Status.DRAFT
    assert not ReferralEvent.objects.exists()


def test_return_and_resubmit_keeps_reference_and_first_submission():
    referral = ReferralFactory()
    actor = referral.created_by
    referral = transition(referral, "submit", actor)
    first, reference = referral.first_submitted_at, referral.reference
    referral = transition(referral, "take_up", actor)
    referral = transition(referral, "return", actor, note="Graag het OPP toevoegen")
    referral = transition(referral, "resubmit", actor)
    assert referral.reference == reference
    assert referral.first_submitted_at == first
    assert referral.submitted_at > first


def test_escalation_resumes_where_it_was():
    referral = ReferralFactory()
    actor = referral.created_by
    referral = transition(transition(referral, "submit", actor), "take_up", actor)
    referral = transition(referral, "escalate", actor)
    assert referral.status_before_escalation == Status.IN_TRIAGE
    referral = transition(referral, "resume", actor)
    assert referral.status == Status.IN_TRIAGE
    with pytest.raises(TransitionNotAllowed):
        transition(transition(referral, "escalate", actor), "resume", actor, target=Status.CLOSED)


def test_every_status_has_a_way_on_or_is_final():
    finals = set(FINAL_STATUSES)
    assert finals == {Status.DECLINED, Status.CLOSED, Status.LAPSED, Status.WITHDRAWN}
    # A decline can still be disputed before the deciders (ADR 0141) or settled with a mediator
    # (ADR 0149); no other way on.
    disputes = ["escalate", "mediation_settled"]
    assert moves_from(Status.DECLINED) == disputes
    for status in Status:
        ways_on = [m for m in moves_from(status) if not (status in finals and m in disputes)]
        assert bool(ways_on) != (status in finals), status
    assert all(m.target in (None, *Status) for m in ACTIONS.values() if m.changes_status)
    assert [a.name for a in ACTIONS.values() if not a.changes_status] == ["assign"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_taking_up_at_once_exactly_one_wins():
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL row locks")
    referral = ReferralFactory()
    referral = transition(referral, "submit", referral.created_by)
    results = []
    barrier = threading.Barrier(2)

    def take_up():
        barrier.wait()
        try:
            transition(referral, "take_up", referral.created_by)
            results.append("won")
        except TransitionNotAllowed:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=take_up) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["refused", "won"]
    assert ReferralEvent.objects.filter(referral=referral, action="take_up").count() == 1
