import pytest

from contacts import demo as contacts_demo
from referrals import demo
from referrals.models import Referral, Status
from referrals.waiting import waiting_for

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_some_over_the_norm_and_is_idempotent():
    contacts_demo.seed({"password": None})
    created = demo.seed({})
    assert created == len(demo.REFERRALS)
    assert demo.seed({}) == 0
    assert Referral.objects.count() == len(demo.REFERRALS)
    assert set(Referral.objects.values_list("status", flat=True)) == set(Status) - {Status.ESCALATED}
    from escalations import demo as escalation_demo

    escalation_demo.seed({})
    assert set(Referral.objects.values_list("status", flat=True)) == set(Status)
    levels = {getattr(waiting_for(r), "level", None) for r in Referral.objects.all()}
    assert "over" in levels
