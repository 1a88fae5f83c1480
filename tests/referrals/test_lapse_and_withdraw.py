"""Referrals that never end (ADR 0096): a returned referral the school does not answer, or one
not shared since consent was withdrawn, is reminded and then lapses; the school may withdraw a
referral before it is accepted. Both are final, on the timeline, with a notice, and retention
reaches them."""

import datetime
import os
import subprocess
import sys
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal.celery import app
from portal.models import Notification
from referrals import lapse, retention, services, tasks
from referrals.models import Referral, ReferralEvent, Status
from referrals.workflow import TransitionNotAllowed
from tests.referrals.factories import complete_referral, referral_in

pytestmark = pytest.mark.django_db

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour=7, minute=15):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=AMS)


def travel(moment):
    return time_machine.travel(moment, tick=False)


def _returned_on_monday_2_november(world):
    sc, dw = world.user("school_coordinator"), world.user("district_worker")
    with travel(at(2026, 11, 2, 10)):
        referral = services.take_up(dw, services.submit(sc, complete_referral(world.school, sc)))
        return services.return_with_question(dw, referral, "Wat speelt er thuis?")


def test_the_task_is_on_the_beat_schedule_and_known_to_the_worker():
    tasks_ = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "referrals.lapse_stale_referrals" in tasks_
    app.loader.import_default_modules()
    assert app.tasks["referrals.lapse_stale_referrals"].__module__ == "referrals.tasks"


def test_an_unanswered_return_is_reminded_once_then_lapses(world, settings):
    settings.TANDEM_LAPSE_REMINDER_DAYS, settings.TANDEM_LAPSE_DAYS = 3, 5
    referral = _returned_on_monday_2_november(world)
    sc = world.user("school_coordinator")
    # Thursday 5 November: 3 working days → the reminder, once.
    with travel(at(2026, 11, 4)):
        assert tasks.lapse_stale_referrals() == {"reminded": 0, "lapsed": 0}
    with travel(at(2026, 11, 5)):
        assert tasks.lapse_stale_referrals() == {"reminded": 1, "lapsed": 0}
    with travel(at(2026, 11, 6)):
        assert tasks.lapse_stale_referrals() == {"reminded": 0, "lapsed": 0}
    reminder = Notification.objects.get(kind="referral_lapse_reminder")
    assert reminder.user == sc
    # Monday 9 November: 5 working days → lapsed, school and team told.
    with travel(at(2026, 11, 9)):
        assert tasks.lapse_stale_referrals() == {"reminded": 0, "lapsed": 1}
        assert tasks.lapse_stale_referrals() == {"reminded": 0, "lapsed": 0}
    referral.refresh_from_db()
    assert referral.status == Status.LAPSED and referral.ended_at == at(2026, 11, 9)
    event = ReferralEvent.objects.get(referral=referral, action="lapse")
    assert event.actor is None and event.from_status == Status.RETURNED and "5" in event.note
    told = set(Notification.objects.filter(kind="referral_lapsed").values_list("user__email", flat=True))
    assert told == {sc.email, world.user("district_worker").email}


def test_an_answer_stops_the_clock(world, settings):
    settings.TANDEM_LAPSE_REMINDER_DAYS, settings.TANDEM_LAPSE_DAYS = 3, 5
    referral = _returned_on_monday_2_november(world)
    with travel(at(2026, 11, 4)):
        services.answer_and_resubmit(world.user("school_coordinator"), referral, "Antwoord")
    with travel(at(2026, 11, 20)):
        assert tasks.lapse_stale_referrals() == {"reminded": 0, "lapsed": 0}
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED


def test_withdrawn_consent_lapses_after_the_term_and_the_team_link_opens(world, settings, client):
    sc, dw = world.user("school_coordinator"), world.user("district_worker")
    with travel(at(2026, 11, 2, 10)):
        referral = services.take_up(dw, services.submit(sc, complete_referral(world.school, sc)))
        services.withdraw_consent(sc, referral.consents.get())
    with travel(at(2026, 11, 30)):  # 20 working days
        assert lapse.lapse_stale_referrals().lapsed == 1
    referral.refresh_from_db()
    assert referral.status == Status.LAPSED
    for n in Notification.objects.filter(kind="referral_lapsed"):
        client.force_login(n.user)
        assert client.get(n.url).status_code == 200, n.user.email


def test_an_escalated_referral_does_not_lapse(world):
    referral = referral_in(world, "escalated")
    Referral.objects.filter(pk=referral.pk).update(sharing_stopped_at=at(2026, 1, 5))
    with travel(at(2026, 11, 30)):
        assert lapse.lapse_stale_referrals().lapsed == 0


def test_nobody_lapses_a_referral_by_hand(world):
    referral = referral_in(world, "returned")
    with pytest.raises(PermissionDenied):
        services.lapse(world.user("school_coordinator"), referral)


def test_the_school_withdraws_with_a_reason_before_acceptance(world, client):
    sc = world.user("school_coordinator")
    referral = referral_in(world, "in_triage")
    client.force_login(sc)
    url = reverse("referrals:act", args=[referral.uuid, "withdraw"])
    invalid = client.post(url, {"withdraw-reason": "   "})
    assert invalid.status_code == 200 and 'aria-invalid="true"' in invalid.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE
    assert client.post(url, {"withdraw-reason": "x\x00"}).status_code == 200
    response = client.post(url, {"withdraw-reason": "Ouders hebben zelf hulp gevonden"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.WITHDRAWN and referral.ended_at is not None
    event = ReferralEvent.objects.get(referral=referral, action="withdraw")
    assert event.note == "Ouders hebben zelf hulp gevonden" and event.actor == sc
    notice = Notification.objects.get(kind="referral_withdrawn")
    assert notice.user == world.user("district_worker")
    client.force_login(notice.user)
    assert client.get(notice.url).status_code == 200


@pytest.mark.parametrize("status", ["accepted", "help_started", "closed", "declined", "draft"])
def test_no_withdrawal_once_accepted_or_ended(world, status):
    referral = referral_in(world, status)
    with pytest.raises((PermissionDenied, TransitionNotAllowed)):
        services.withdraw(world.user("school_coordinator"), referral, reason="Te laat")


def test_the_team_cannot_withdraw(world):
    with pytest.raises(PermissionDenied):
        services.withdraw(world.user("district_worker"), referral_in(world, "submitted"), reason="x")


@pytest.mark.parametrize("status", ["withdrawn", "lapsed"])
def test_retention_reaches_lapsed_and_withdrawn_referrals(world, status):
    with travel(at(2026, 9, 1, 10)):
        referral = referral_in(world, status)
    assert referral.ended_at == at(2026, 9, 1, 10)
    with travel(at(2028, 8, 31)):
        assert retention.due_counts().anonymised == 0
        assert retention.apply_retention().anonymised == 0
    with travel(at(2028, 9, 2)):
        assert retention.due_counts().anonymised == 1
        assert retention.apply_retention().anonymised == 1
    referral.refresh_from_db()
    assert referral.anonymised_at is not None and referral.child_first_name == ""
    assert referral.status == status


def test_the_terms_are_documented_and_checked():
    root = settings.BASE_DIR
    readme, example = (root / "README.md").read_text(), (root / ".env.example").read_text()
    for name, default in (("TANDEM_LAPSE_REMINDER_DAYS", 15), ("TANDEM_LAPSE_DAYS", 20)):
        assert f"| `{name}` | `{default}` |" in readme
        assert f"# {name}={default}" in example
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_DEBUG="true", TANDEM_LAPSE_REMINDER_DAYS="20", TANDEM_LAPSE_DAYS="20")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "TANDEM_LAPSE_REMINDER_DAYS" in result.stderr
