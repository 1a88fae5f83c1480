"""The breach register (AVG art. 33/34, ADR 0108): recording, scoping from the logs, the
72-hour clock, the decision and the notification; own region only; every step logged; no
e-mail; bad input changes nothing."""

import datetime

import pytest
from axes.models import AccessLog as LoginRecord
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.audit import log_access
from portal.models import AccessLog, Notification
from security import breaches
from security.models import Breach
from tests.referrals.factories import referral_in
from tests.security.factories import breach_for, foreign_region

pytestmark = pytest.mark.django_db
# Session, user, memberships, the breaches, the access-log row (no session save, ADR 0172).
LIST_QUERIES = 5


def _now():
    return timezone.now()


def _form(**changes):
    found = timezone.localtime(_now() - datetime.timedelta(hours=1))
    return {
        "title": "Lijst gemaild",
        "description": "Een lijst met kenmerken is naar een verkeerd adres gemaild.",
        "found_at": found.strftime("%Y-%m-%dT%H:%M"),
        "occurred_from": "",
        "occurred_until": "",
        "references": "",
        "accounts": "",
        **changes,
    }


def test_recording_a_breach_starts_the_72_hour_clock(world):
    referral = referral_in(world, "submitted")
    found = _now() - datetime.timedelta(hours=10)
    breach = breach_for(
        world, found_at=found, references=referral.reference.lower(), accounts="DISTRICT_WORKER@example.test"
    )
    assert breach.region == world.region
    assert breach.references == [referral.reference]
    assert breach.accounts == ["district_worker@example.test"]
    assert breaches.authority_deadline(breach) == found + datetime.timedelta(hours=72)
    assert breaches.hours_left(breach) in (61, 62)
    logged = set(
        AccessLog.objects.filter(object_id=str(breach.pk)).values_list("object_type", "object_reference")
    )
    assert logged == {("security.breach.recorded", ""), ("security.breach.named", referral.reference)}


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"references": "AJS-2099-99999"},
            "references",
            "Geen aanmelding in uw regio heeft dit kenmerk: AJS-2099-99999",
        ),
        ({"accounts": "niemand@example.test"}, "accounts", "Tandem heeft geen account met dit e-mailadres"),
        ({"found_at": "2999-01-01T10:00"}, "found_at", "kan niet in de toekomst liggen"),
        ({"title": ""}, "title", "Zeg in een paar woorden wat er gebeurde"),
        (
            {"occurred_from": "2026-01-02T10:00", "occurred_until": "2026-01-01T10:00"},
            "occurred_until",
            "Het einde van de periode ligt voor het begin",
        ),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_changes_nothing(world, client, changes, field, message):
    client.force_login(world.user("privacy_officer"))
    response = client.post(reverse("security:breach_create"), _form(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert Breach.objects.count() == 0


def test_a_referral_of_another_region_is_unknown_and_a_foreign_breach_is_not_found(world, client):
    officer, foreign = foreign_region()
    with pytest.raises(breaches.RequestError):
        breach_for(world, references=foreign.reference)
    breach = breach_for(world)
    client.force_login(officer)
    assert client.get(reverse("security:breach_detail", args=[breach.pk])).status_code == 404
    url = reverse("security:breach_act", args=[breach.pk, "besluit"])
    assert client.post(url, {}).status_code == 404


def test_scoping_shows_who_read_the_child_in_the_period(world, client):
    referral = referral_in(world, "submitted")
    other = referral_in(world, "submitted")
    worker = world.user("district_worker")
    log_access(worker, AccessLog.Action.VIEW, referral, role="district_worker", organisation="Wijkteam Aan")
    log_access(worker, AccessLog.Action.VIEW, referral, role="district_worker", organisation="Wijkteam Aan")
    log_access(worker, AccessLog.Action.VIEW, other, role="district_worker", organisation="Wijkteam Aan")
    breach = breach_for(world, references=referral.reference)
    rows = breaches.readers(world.user("privacy_officer"), breach, [referral.reference])
    assert [(r["object_reference"], r["user__email"], r["count"]) for r in rows] == [
        (referral.reference, worker.email, 2)
    ]
    assert (
        breaches.readers(
            world.user("privacy_officer"),
            breach,
            [referral.reference],
            end=_now() - datetime.timedelta(days=1),
        )
        == []
    )
    client.force_login(world.user("privacy_officer"))
    url = reverse("security:breach_detail", args=[breach.pk])
    text = client.get(url, {"readers-references": referral.reference}).content.decode()
    assert worker.email in text
    assert AccessLog.objects.filter(
        object_type="security.breach.scope", object_reference=referral.reference
    ).exists()
    # An unknown reference in the look-up: a message next to the field.
    response = client.get(url, {"readers-references": "AJS-2099-00001"})
    assert (
        "readers-references" in response.context["readers_form"].errors
        or response.context["readers_form"].errors
    )


def test_scoping_shows_the_accounts_active_from_an_address(world, client):
    LoginRecord.objects.create(
        username="a@example.test", ip_address="192.0.2.10", user_agent="x", attempt_time=_now()
    )
    LoginRecord.objects.create(
        username="a@example.test", ip_address="192.0.2.10", user_agent="x", attempt_time=_now()
    )
    LoginRecord.objects.create(
        username="b@example.test", ip_address="192.0.2.99", user_agent="x", attempt_time=_now()
    )
    breach = breach_for(world)
    rows = breaches.accounts_from_address(world.user("privacy_officer"), breach, "192.0.2.10")
    assert [(r["username"], r["count"]) for r in rows] == [("a@example.test", 2)]
    client.force_login(world.user("privacy_officer"))
    url = reverse("security:breach_detail", args=[breach.pk])
    response = client.get(url, {"address-address": "geen-adres"})
    assert "address" in response.context["address_form"].errors
    assert "Vul een geldig IP-adres in" in response.content.decode()


def test_decision_needs_both_reasons_then_the_notification_is_recorded(world, client):
    breach = breach_for(world)
    client.force_login(world.user("privacy_officer"))
    decide = reverse("security:breach_act", args=[breach.pk, "besluit"])
    response = client.post(decide, {"decision-notify_authority": "yes", "decision-inform_subjects": "no"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Geef de reden" in text
    breach.refresh_from_db()
    assert not breach.decided
    response = client.post(
        decide,
        {
            "decision-notify_authority": "yes",
            "decision-notify_authority_reason": "Gegevens van kinderen bij een onbekende.",
            "decision-inform_subjects": "no",
            "decision-inform_subjects_reason": "Adres heeft de lijst verwijderd; laag risico.",
        },
    )
    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.decided and breach.notify_authority is True and breach.inform_subjects is False
    notify = reverse("security:breach_act", args=[breach.pk, "melding"])
    future = timezone.localtime(_now() + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(notify, {"notification-authority_notified_at": future})
    assert "notification-authority_notified_at" in response.content.decode()
    response = client.post(notify, {"notification-subjects_informed_on": timezone.localdate().isoformat()})
    assert "Het besluit was de betrokkenen niet te informeren" in response.content.decode()
    breach.refresh_from_db()
    assert breach.authority_notified_at is None and breach.subjects_informed_on is None
    now = timezone.localtime(_now()).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        notify, {"notification-authority_notified_at": now, "notification-authority_case_number": "AP-123"}
    )
    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.closed and breach.authority_case_number == "AP-123"
    steps = set(AccessLog.objects.filter(object_id=str(breach.pk)).values_list("object_type", flat=True))
    assert {"security.breach.recorded", "security.breach.decided", "security.breach.notification"} <= steps


def test_nothing_about_a_breach_is_e_mailed(world, client, django_capture_on_commit_callbacks):
    referral = referral_in(world, "submitted")
    mail.outbox.clear()
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        breach = breach_for(world, references=referral.reference)
        breaches.decide(
            world.user("privacy_officer"),
            breach,
            notify_authority=False,
            notify_authority_reason="Geen risico",
            inform_subjects=False,
            inform_subjects_reason="Geen risico",
        )
    assert mail.outbox == []
    assert Notification.objects.count() == before


@pytest.mark.parametrize(
    "actor", ["school_coordinator", "district_worker", "steering_member", "registry_admin"]
)
def test_other_roles_are_refused(world, client, actor):
    breach = breach_for(world)
    client.force_login(world.user(actor))
    assert client.get(reverse("security:breach_list")).status_code == 403
    assert client.get(reverse("security:breach_detail", args=[breach.pk])).status_code == 403


def test_the_list_pins_its_queries(world, client):
    from tests.helpers.queries import assert_queries_pinned

    client.force_login(world.user("privacy_officer"))

    def add(n):
        for _i in range(n):
            breach_for(world)

    assert_queries_pinned(client, reverse("security:breach_list"), add, expected=LIST_QUERIES)


def test_home_shows_the_72_hour_deadline_until_notified(world, client):
    client.force_login(world.user("privacy_officer"))
    assert "geen open datalekken" in client.get(reverse("home")).content.decode()
    breach = breach_for(world, found_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0)))
    assert "1 datalek te besluiten of te melden, melden bij de AP vóór 5 maart 2026 09:00 (CET)" in (
        client.get(reverse("home")).content.decode()
    )
    breaches.decide(
        world.user("privacy_officer"),
        breach,
        notify_authority=False,
        notify_authority_reason="Geen risico",
        inform_subjects=False,
        inform_subjects_reason="Geen risico",
    )
    assert "geen open datalekken" in client.get(reverse("home")).content.decode()
