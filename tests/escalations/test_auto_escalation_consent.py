"""A referral whose consent was withdrawn is not escalated automatically (its deciders could not
open it); the school and the routed team are told instead, once (ADR 0096)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from escalations import services
from escalations.models import Escalation
from portal.models import Notification
from referrals import services as referral_services
from referrals.models import Referral
from tests.referrals.factories import complete_referral

pytestmark = pytest.mark.django_db


def _overdue_and_unshared(world):
    sc, dw = world.user("school_coordinator"), world.user("district_worker")
    referral = referral_services.take_up(
        dw, referral_services.submit(sc, complete_referral(world.school, sc))
    )
    moment = timezone.now() - datetime.timedelta(days=60)
    Referral.objects.filter(pk=referral.pk).update(first_submitted_at=moment, submitted_at=moment)
    referral_services.withdraw_consent(sc, referral.consents.get())
    Notification.objects.all().delete()
    return referral


def test_not_escalated_and_school_and_team_told_once(world):
    referral = _overdue_and_unshared(world)
    assert services.auto_escalate() == 0
    assert services.auto_escalate() == 0  # the next day: nobody is told twice
    assert not Escalation.objects.exists()
    referral.refresh_from_db()
    assert referral.status == "in_triage"
    assert referral.events.filter(action="auto_escalation_withheld").count() == 1
    told = {(n.user, n.kind) for n in Notification.objects.all()}
    assert told == {
        (world.user("school_coordinator"), "escalation_withheld_school"),
        (world.user("district_worker"), "escalation_withheld_team"),
    }
    assert not Notification.objects.filter(
        user__in=[world.user("partnership_director"), world.user("municipal_officer")]
    )
    for n in Notification.objects.all():
        client = Client()
        client.force_login(n.user)
        assert client.get(n.url).status_code == 200, n.kind


def test_escalated_once_consent_is_valid_again(world):
    sc = world.user("school_coordinator")
    referral = _overdue_and_unshared(world)
    services.auto_escalate()
    referral_services.record_consent(
        sc,
        referral,
        giver="parent",
        guardian=referral.guardians.get(),
        given_on=timezone.localdate(),
        form="written",
        recipients="wijkteam",
    )
    assert services.auto_escalate() == 1
    assert Escalation.objects.get().referral == referral
