"""The 18-/18+ transition (ADR 0153): when the task shows, the checklist's service and page,
the reminders, the district worker's worklist and the inbox filter it links to."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse

from portal.models import Notification
from referrals import services
from referrals import transition as rules
from referrals.models import Referral, ReferralEvent, Transition, TransitionReminder
from referrals.selectors import district_worker_worklist
from referrals.tasks import send_transition_reminders
from tests.contacts.factories import PersonFactory
from tests.referrals.factories import ConsentFactory, referral_in

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)
NOW = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)
frozen = time_machine.travel(NOW, tick=False)


def born_for_birthday_in(days, today=TODAY):
    """The date of birth of a pupil who turns 18 `days` after `today`."""
    return rules.latest_birth_for_adult_on(today + datetime.timedelta(days=days))


def _referral(world, status="help_started", days=60, **kwargs):
    kwargs.setdefault("child_date_of_birth", born_for_birthday_in(days))
    return referral_in(world, status, **kwargs)


def _adult_consent(world, referral):
    return ConsentFactory(
        referral=referral, giver="child", guardian=None, recorded_by=world.user("school_coordinator")
    )


# --- The date rule ----------------------------------------------------------------------------


def test_the_18th_birthday_and_29_february():
    assert rules.eighteenth_birthday(datetime.date(2009, 5, 31)) == datetime.date(2027, 5, 31)
    assert rules.eighteenth_birthday(datetime.date(2008, 2, 29)) == datetime.date(2026, 3, 1)
    assert rules.eighteenth_birthday(None) is None
    # the same as the consent rules' age (referrals/consent.py)
    from referrals.consent import age_on

    assert age_on(datetime.date(2008, 2, 29), datetime.date(2026, 2, 28)) == 17
    assert age_on(datetime.date(2008, 2, 29), datetime.date(2026, 3, 1)) == 18
    assert rules.latest_birth_for_adult_on(datetime.date(2028, 2, 29)) == datetime.date(2010, 2, 28)


@frozen
@override_settings(TANDEM_TRANSITION_HORIZON_DAYS=180)
@pytest.mark.parametrize(
    ("date_of_birth", "due"),
    [
        (born_for_birthday_in(180), True),  # exactly on the horizon
        (born_for_birthday_in(181), False),  # the day after it
        (born_for_birthday_in(1), True),  # 18 tomorrow
        (born_for_birthday_in(0), False),  # 18 today: already 18
        (datetime.date(2007, 1, 1), False),  # long 18
        (datetime.date(2016, 5, 17), False),  # a child
        (None, False),  # no date of birth
    ],
)
def test_the_task_is_due_within_the_horizon_only(world, date_of_birth, due):
    referral = _referral(world, child_date_of_birth=date_of_birth)
    assert rules.is_due(referral) is due
    # the SQL filter of the worklist, the inbox, the reminders says the same
    assert Referral.objects.filter(rules.due_q(), pk=referral.pk).exists() is due


@frozen
@pytest.mark.parametrize(
    ("status", "due"),
    [
        ("draft", False),
        ("submitted", True),
        ("returned", True),
        ("accepted", True),
        ("escalated", True),
        ("declined", False),
        ("closed", False),
        ("withdrawn", False),
        ("lapsed", False),
    ],
)
def test_only_an_open_referral_has_the_task(world, status, due):
    referral = _referral(world, status)
    assert rules.is_due(referral) is due
    assert Referral.objects.filter(rules.due_q(), pk=referral.pk).exists() is due


@frozen
@override_settings(TANDEM_TRANSITION_HORIZON_DAYS=30)
def test_the_horizon_is_a_setting(world):
    assert not rules.is_due(_referral(world, days=31))
    assert rules.is_due(_referral(world, days=30))


# --- The service -------------------------------------------------------------------------------


@frozen
def test_the_worker_ticks_each_step_with_who_and_when_and_marks_it_prepared(world):
    dw = world.user("district_worker")
    referral = _referral(world)
    _adult_consent(world, referral)
    assert not Transition.objects.exists()  # created lazily
    services.update_transition(
        dw,
        referral,
        adult_services=True,
        municipality_contact=True,
        municipality_contact_note=" Wmo-loket Aan ",
    )
    record = Transition.objects.get(referral=referral)
    assert record.adult_services_by == dw and record.adult_services_at == NOW
    assert record.municipality_contact_by == dw and record.municipality_contact_note == "Wmo-loket Aan"
    assert record.adult_consent_at is None and record.prepared_on is None
    sc = world.user("school_coordinator")
    services.update_transition(
        sc, referral, adult_services=True, municipality_contact=True, adult_consent=True, prepared_on=TODAY
    )
    record.refresh_from_db()
    assert record.adult_services_by == dw  # a step ticked stays with who ticked it first
    assert record.adult_consent_by == sc and record.prepared_by == sc and record.prepared_on == TODAY
    actions = list(
        ReferralEvent.objects.filter(referral=referral, action__startswith="transition").values_list(
            "action", "actor"
        )
    )
    assert actions == [
        ("transition_adult_services", dw.pk),
        ("transition_municipality_contact", dw.pk),
        ("transition_adult_consent", sc.pk),
        ("transition_prepared", sc.pk),
    ]


@frozen
def test_prepared_needs_every_step_and_adult_consent_needs_the_ledger(world):
    dw = world.user("district_worker")
    referral = _referral(world)
    with pytest.raises(services.TransitionRefused) as refused:
        services.update_transition(dw, referral, adult_services=True, adult_consent=True, prepared_on=TODAY)
    assert set(refused.value.errors) == {"adult_consent", "prepared_on"}
    # nothing changed: no record, no event
    assert not Transition.objects.exists()
    assert not ReferralEvent.objects.filter(action__startswith="transition").exists()


@frozen
def test_only_the_parties_who_act_today_may_tick(world):
    referral = _referral(world)
    for actor in (
        "other_district_worker",
        "other_school_coordinator",
        "partnership_director",
        "steering_member",
    ):
        with pytest.raises(PermissionDenied):
            services.update_transition(world.user(actor), referral, adult_services=True)
    adult = _referral(world, child_date_of_birth=datetime.date(2007, 1, 1))
    with pytest.raises(PermissionDenied):  # not due: already 18
        services.update_transition(world.user("district_worker"), adult, adult_services=True)
    assert not Transition.objects.exists()


# --- The referral page -------------------------------------------------------------------------


@frozen
def test_the_page_shows_the_task_and_the_municipality_without_a_registry_contact(client, world):
    referral = _referral(world)
    client.force_login(world.user("district_worker"))
    html = client.get(reverse("referrals:detail", args=[referral.uuid])).content.decode()
    assert 'id="transition"' in html
    assert world.municipality.name in html
    assert 'name="transition-municipality_contact_note"' in html
    not_due = _referral(world, child_date_of_birth=datetime.date(2016, 5, 17))
    html = client.get(reverse("referrals:detail", args=[not_due.uuid])).content.decode()
    assert 'id="transition"' not in html


@frozen
def test_a_registry_contact_is_shown_instead_of_the_free_text(client, world):
    contact = PersonFactory(name="Wanda Wmo", function="Wmo-consulent")
    contact.municipalities.add(world.municipality)
    PersonFactory(name="Bert Beleid", function="Beleidsmedewerker jeugd").municipalities.add(
        world.municipality
    )
    referral = _referral(world)
    assert rules.registry_contact(world.municipality) == contact
    client.force_login(world.user("district_worker"))
    html = client.get(reverse("referrals:detail", args=[referral.uuid])).content.decode()
    assert "Wanda Wmo" in html and "Bert Beleid" not in html
    assert 'name="transition-municipality_contact_note"' not in html
    response = client.post(
        reverse("referrals:transition", args=[referral.uuid]), {"transition-municipality_contact": "on"}
    )
    assert response.status_code == 302
    assert Transition.objects.get(referral=referral).municipality_contact_at is not None


@frozen
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"transition-prepared_on": "2026-12-03", "transition-adult_services": "on"},
            "prepared_on",
            "toekomst",
        ),
        (
            {"transition-prepared_on": "2026-12-01", "transition-adult_services": "on"},
            "prepared_on",
            "Vink elke stap",
        ),
        ({"transition-municipality_contact": "on"}, "municipality_contact_note", "Wmo/Wlz-contactpersoon"),
        (
            {"transition-municipality_contact": "on", "transition-municipality_contact_note": "Wmo\x00loket"},
            "municipality_contact_note",
            "",
        ),
        ({"transition-adult_consent": "on"}, "adult_consent", "toestemmingsregister"),
        ({"transition-prepared_on": "morgen"}, "prepared_on", "geldige datum"),
        ({}, None, "Vink een stap aan"),
    ],
)
def test_bad_input_is_a_dutch_message_at_the_field_and_changes_nothing(client, world, data, field, message):
    referral = _referral(world)
    client.force_login(world.user("district_worker"))
    response = client.post(
        reverse("referrals:transition", args=[referral.uuid]), data, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert response.status_code == 200
    html = response.content.decode()
    if field:
        assert f'id="id_transition-{field}"' in html and 'aria-invalid="true"' in html
    assert message in html
    assert not Transition.objects.exists()
    assert not ReferralEvent.objects.filter(action__startswith="transition").exists()


@frozen
def test_a_prepared_transition_shows_no_form_and_takes_no_more_ticks(client, world):
    referral = _referral(world)
    _adult_consent(world, referral)
    dw = world.user("district_worker")
    services.update_transition(
        dw,
        referral,
        adult_services=True,
        municipality_contact=True,
        municipality_contact_note="x",
        adult_consent=True,
        prepared_on=TODAY,
    )
    client.force_login(dw)
    html = client.get(reverse("referrals:detail", args=[referral.uuid])).content.decode()
    assert 'id="transition-prepared"' in html
    assert reverse("referrals:transition", args=[referral.uuid]) not in html
    with pytest.raises(services.TransitionRefused):
        services.update_transition(dw, referral, prepared_on=TODAY)


# --- Reminders ---------------------------------------------------------------------------------


def _run_on(day):
    with time_machine.travel(
        datetime.datetime.combine(day, datetime.time(7, 40), tzinfo=datetime.UTC), tick=False
    ):
        return send_transition_reminders()


@override_settings(TANDEM_TRANSITION_REMINDER_DAYS=(90, 30))
def test_reminders_at_90_and_30_days_once_each(world, django_capture_on_commit_callbacks, mailoutbox):
    with frozen:
        referral = _referral(world, days=100)
    birthday = TODAY + datetime.timedelta(days=100)
    with django_capture_on_commit_callbacks(execute=True):
        assert _run_on(birthday - datetime.timedelta(days=91)) == 0
        assert _run_on(birthday - datetime.timedelta(days=90)) == 1
        assert _run_on(birthday - datetime.timedelta(days=90)) == 0  # idempotent
        assert _run_on(birthday - datetime.timedelta(days=60)) == 0
        assert _run_on(birthday - datetime.timedelta(days=30)) == 1
        assert _run_on(birthday - datetime.timedelta(days=29)) == 0
        assert _run_on(birthday) == 0  # 18: no more
    assert sorted(TransitionReminder.objects.values_list("days_before", flat=True)) == [30, 90]
    assert Transition.objects.filter(referral=referral).exists()  # created by the first reminder
    notified = set(
        Notification.objects.filter(kind="referral_transition_reminder").values_list("user", flat=True)
    )
    # the assigned worker and the school's coordinator
    assert notified == {world.user("district_worker").pk, world.user("school_coordinator").pk}
    assert len(mailoutbox) == 4
    for mail in mailoutbox:
        assert referral.child_first_name not in mail.body + mail.subject
        assert referral.reference in mail.subject


@override_settings(TANDEM_TRANSITION_REMINDER_DAYS=(90, 30))
def test_a_missed_reminder_day_gives_only_the_latest_and_a_prepared_one_none(world):
    with frozen:
        late = _referral(world, days=20)
        prepared = _referral(world, days=20)
        _adult_consent(world, prepared)
        services.update_transition(
            world.user("district_worker"),
            prepared,
            adult_services=True,
            municipality_contact=True,
            municipality_contact_note="x",
            adult_consent=True,
            prepared_on=TODAY,
        )
        assert send_transition_reminders() == 1
    assert list(TransitionReminder.objects.values_list("referral", "days_before")) == [(late.pk, 30)]


def test_the_transition_reminder_is_on_the_beat_schedule():
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "referrals.tasks.send_transition_reminders" in entries
    assert settings.TANDEM_TRANSITION_HORIZON_DAYS == 180
    assert settings.TANDEM_TRANSITION_REMINDER_DAYS == (90, 30)


# --- Worklist and inbox ------------------------------------------------------------------------


@frozen
def test_the_worklist_counts_what_the_inbox_filter_lists(client, world):
    pending = [_referral(world, "help_started"), _referral(world, "submitted")]
    _referral(world, child_date_of_birth=datetime.date(2016, 5, 17))  # not due
    _referral(world, "closed")  # not open
    done = _referral(world)
    Transition.objects.create(referral=done, prepared_on=TODAY)
    _referral(world, other=True)  # another team's
    dw = world.user("district_worker")
    membership = dw.memberships.get(role="district_worker")
    item = next(i for i in district_worker_worklist(membership) if "18+" in str(i.label))
    assert item.count == 2
    client.force_login(dw)
    response = client.get(item.url)
    assert response.status_code == 200
    listed = {row["referral"].pk for row in response.context["rows"]}
    assert listed == {r.pk for r in pending}
