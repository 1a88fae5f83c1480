"""A referral with a unique child name goes through the whole flow; the name and the date of
birth appear in no e-mail (neither its text nor its HTML part, nor the daily digest: ADR 0152),
no log output, no Celery task argument, no notification, no URL, no
access-log row. What the notices and e-mails do carry is the reference number (ADR 0115)."""

import datetime
import logging

import pytest
import time_machine
from celery.app.task import Task
from django.urls import reverse

from portal.models import AccessLog, Notification, NotificationPreference
from portal.tasks import send_digests
from referrals.models import Referral, ReferralEvent
from referrals.tasks import send_transition_reminders
from tests.referrals.factories import ConsentFactory, referral_in

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zyxwaldine", "Qorthbeek"


def test_child_name_never_leaves_the_case(
    client, world, caplog, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    task_calls = []
    original = Task.apply_async

    def recording(self, args=None, kwargs=None, *rest, **options):
        task_calls.append((self.name, args, kwargs))
        return original(self, args, kwargs, *rest, **options)

    monkeypatch.setattr(Task, "apply_async", recording)
    sc, dw = world.user("school_coordinator"), world.user("district_worker")
    # The school coordinator reads the daily digest, the district worker gets each e-mail at once.
    NotificationPreference.objects.create(user=sc, delivery=NotificationPreference.Delivery.DAILY_DIGEST)
    urls = []

    def post(user, url, data=None):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data or {})
        assert response.status_code in (200, 302), (url, response.status_code)
        urls.append(url)
        if response.status_code == 302:
            urls.append(response["Location"])
        return response

    post(
        sc,
        reverse("referrals:create"),
        {
            "child_first_name": FIRST,
            "child_last_name": LAST,
            "child_date_of_birth": "2016-03-01",
            "school": world.school.pk,
            "child_group": "groep 6",
            "home_municipality": world.other_municipality.pk,
            "domains": ["behaviour"],
            "question": f"{FIRST} slaat",
            "already_done": "x",
            "goals": "y",
            "urgency": "normal",
            "desired_form": "individual",
        },
    )
    referral = Referral.objects.get(child_first_name=FIRST)
    u = referral.uuid
    post(
        sc,
        reverse("referrals:guardian_add", args=[u]),
        {"guardian-name": f"Moeder {LAST}", "guardian-has_custody": "on"},
    )
    guardian = referral.guardians.get()
    post(
        sc,
        reverse("referrals:consent_add", args=[u]),
        {
            "consent-giver": "parent",
            "consent-guardian": guardian.pk,
            "consent-given_on": "2026-01-05",
            "consent-form": "written",
            "consent-recipients": "wijkteam",
        },
    )
    post(sc, reverse("referrals:submit", args=[u]))
    post(dw, reverse("referrals:act", args=[u, "take_up"]), {"take_up-assignee": dw.pk})
    post(dw, reverse("referrals:act", args=[u, "return"]), {"return-question": f"Hoe gaat het met {FIRST}?"})
    post(sc, reverse("referrals:act", args=[u, "resubmit"]), {"resubmit-answer": f"{FIRST} is er weer"})
    post(dw, reverse("referrals:act", args=[u, "take_up"]), {"take_up-assignee": dw.pk})
    post(dw, reverse("referrals:message", args=[u]), {"message-body": f"Gesprek met {FIRST} gepland"})
    post(
        dw,
        reverse("referrals:act", args=[u, "accept"]),
        {"accept-planned_help_form": "individual", "accept-expected_start": "2099-01-01"},
    )
    post(dw, reverse("referrals:act", args=[u, "start_help"]), {})
    post(
        dw,
        reverse("referrals:act", args=[u, "close"]),
        {"close-outcome": "goals_met", "close-reason": f"{FIRST} ok"},
    )
    for actor in (sc, dw):
        client.force_login(actor)
        assert client.get(reverse("referrals:detail", args=[u])).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 1
    digests = [m for m in mailoutbox if m.to == [sc.email]]

    referral.refresh_from_db()
    assert referral.status == "closed"
    assert len(digests) == 1 and referral.reference in digests[0].body
    assert ReferralEvent.objects.filter(referral=referral).count() > 5
    assert mailoutbox, "the flow sends e-mails"
    assert task_calls, "the flow queues Celery tasks"
    haystacks = {
        "e-mail": "\n".join(
            m.subject + m.body + "".join(content for content, _type in m.alternatives) + str(m.to)
            for m in mailoutbox
        ),
        "log": caplog.text + "\n".join(str(r.args) for r in caplog.records),
        "celery": repr(task_calls),
        "notifications": "\n".join(n.subject + n.body + n.url for n in Notification.objects.all()),
        "urls": "\n".join(urls),
        "access log": repr(list(AccessLog.objects.values())),
    }
    for where, text in haystacks.items():
        for name in (FIRST, LAST):
            assert name.lower() not in text.lower(), f"{name} found in {where}"
    for where in ("e-mail", "notifications"):
        for birth_date in ("2016-03-01", "01-03-2016", "1-3-2016", "1 maart 2016", "01/03/2016"):
            assert birth_date not in haystacks[where], f"the date of birth found in {where}"
    # Every notice and every e-mail says which case: the reference number leads the subject.
    notices = list(Notification.objects.all())
    assert notices and all(n.subject.startswith(f"{referral.reference} · ") for n in notices)
    assert all(n.body.startswith(f"{referral.reference}: ") for n in notices)
    assert all(len(m.alternatives) == 1 and referral.reference in m.alternatives[0][0] for m in mailoutbox)
    immediate = [m for m in mailoutbox if m not in digests]
    assert all(m.subject.startswith(f"Tandem: {referral.reference} · ") for m in immediate)
    assert {m.subject for m in immediate} == {f"Tandem: {n.subject}" for n in notices if n.user != sc}
    assert all(n.title in digests[0].body for n in notices if n.user == sc)


@time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_the_transition_and_its_reminders_carry_no_child_data(
    client, world, caplog, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    """The 18-/18+ checklist and its reminders (ADR 0153): neither the name, nor the date of
    birth, nor the 18th birthday (which gives the date of birth away) leaves the case."""
    caplog.set_level(logging.DEBUG)
    task_calls = []
    original = Task.apply_async

    def recording(self, args=None, kwargs=None, *rest, **options):
        task_calls.append((self.name, args, kwargs))
        return original(self, args, kwargs, *rest, **options)

    monkeypatch.setattr(Task, "apply_async", recording)
    sc, dw = world.user("school_coordinator"), world.user("district_worker")
    referral = referral_in(
        world,
        "help_started",
        child_first_name=FIRST,
        child_last_name=LAST,
        child_date_of_birth=datetime.date(2009, 1, 1),  # 18 on 1 January 2027, in 30 days
    )
    ConsentFactory(referral=referral, giver="child", guardian=None, recorded_by=sc)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_transition_reminders() == 1
    url = reverse("referrals:transition", args=[referral.uuid])
    client.force_login(dw)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "transition-adult_services": "on",
                "transition-municipality_contact": "on",
                "transition-municipality_contact_note": f"Wmo-loket, over {FIRST}",
                "transition-adult_consent": "on",
                "transition-prepared_on": "2026-12-02",
            },
        )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).transition.prepared_on == datetime.date(2026, 12, 2)
    assert mailoutbox and task_calls
    haystacks = {
        "e-mail": "\n".join(m.subject + m.body + str(m.to) for m in mailoutbox),
        "log": caplog.text + "\n".join(str(r.args) for r in caplog.records),
        "celery": repr(task_calls),
        "notifications": "\n".join(n.subject + n.body + n.url for n in Notification.objects.all()),
        "urls": url + response["Location"],
        "access log": repr(list(AccessLog.objects.values())),
    }
    for where, text in haystacks.items():
        for name in (FIRST, LAST):
            assert name.lower() not in text.lower(), f"{name} found in {where}"
    for where in ("e-mail", "notifications"):
        for day in (
            "2009-01-01",
            "01-01-2009",
            "1-1-2009",
            "1 januari 2009",
            "01/01/2009",
            "2027-01-01",
            "1 januari 2027",
            "01-01-2027",
        ):
            assert day not in haystacks[where], f"{day} found in {where}"
    assert {n.kind for n in Notification.objects.all()} == {"referral_transition_reminder"}
