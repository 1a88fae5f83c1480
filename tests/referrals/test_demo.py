import pytest

from contacts import demo as contacts_demo
from contacts.models import User
from referrals import demo, transition
from referrals.models import Referral, Status
from referrals.permissions import visible_referrals
from referrals.waiting import waiting_for

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_some_over_the_norm_and_is_idempotent():
    contacts_demo.seed({"password": None})
    created = demo.seed({})
    assert created == len(demo.REFERRALS) + len(demo.GROUP_REQUESTS)
    assert demo.seed({}) == 0
    assert Referral.objects.count() == len(demo.REFERRALS) + len(demo.GROUP_REQUESTS)
    kinds = set(Referral.objects.values_list("subject_kind", flat=True))
    assert kinds == {"child", "group", "school_wide"}
    assert set(Referral.objects.values_list("status", flat=True)) == set(Status) - {Status.ESCALATED}
    from escalations import demo as escalation_demo

    escalation_demo.seed({})
    assert set(Referral.objects.values_list("status", flat=True)) == set(Status)
    levels = {getattr(waiting_for(r), "level", None) for r in Referral.objects.all()}
    assert "over" in levels


def test_the_demo_has_one_referral_with_a_pending_transition_for_the_demo_worker():
    """`make run` shows the 18-/18+ task (ADR 0153) on a referral the demo district worker sees."""
    contacts_demo.seed({"password": None})
    demo.seed({})
    pending = Referral.objects.filter(transition.pending_q())
    assert pending.count() == 1
    worker = User.objects.get(email=f"wijkteam@{demo.DOMAIN}")
    referral = visible_referrals(worker).get(pk=pending.get().pk)
    assert transition.is_due(referral)
    assert transition.days_left(referral) == demo.TURNS_18_IN_DAYS["baken-1"]
