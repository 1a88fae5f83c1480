"""Every notification's link opens for its recipient (ADR 0095).

One journey makes every kind of notification the referrals and escalations apps send; after
each step the links of the notifications it sent are opened as their recipients, then and
there (a link is a promise at the moment it is sent: a later withdrawal of consent may close
it again). Every kind the apps declare must have been seen, so a new kind joins this test. Each notice
also says which case it is about: its subject starts with the referral's reference number and
names the event; no child's name or date of birth appears in it (ADR 0115).
"""

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from contacts.models import Role
from escalations import services as esc_services
from escalations.models import CarriedBy
from portal.models import AccessLog, Notification
from portal.workdays import working_days_between
from referrals import lapse, services
from referrals.models import Referral, ReferralEvent
from referrals.tasks import send_transition_reminders, send_waiting_time_reminders
from tests.contacts import factories as cf
from tests.escalations.fixtures import decide
from tests.referrals.factories import complete_referral, referral_in

pytestmark = pytest.mark.django_db


class Links:
    """Opens the links of the notifications sent since the last check, as their recipients."""

    def __init__(self):
        self.last = 0
        self.kinds = set()
        self.checked = 0

    def check(self, step):
        new = list(Notification.objects.filter(pk__gt=self.last).select_related("user").order_by("pk"))
        assert new, f"{step}: no notification was sent"
        failures = []
        for n in new:
            client = Client()
            client.force_login(n.user)
            response = client.get(n.url)
            if response.status_code != 200:
                failures.append(f"{n.kind} → {n.user.email}: {n.url} answered {response.status_code}")
            failures.extend(_says_which_case(n))
            self.kinds.add(n.kind)
            self.checked += 1
        self.last = new[-1].pk
        assert not failures, f"{step}:\n" + "\n".join(failures)


def _says_which_case(n):
    """The reference of the referral the notice is about leads subject and body; the child stays out."""
    referral = Referral.objects.filter(reference=n.subject.split(" · ")[0]).first()
    if referral is None:
        return [f"{n.kind}: the subject {n.subject!r} does not start with a reference number"]
    subject, body = NOTICES_BY_KIND[n.kind]
    problems = []
    if n.subject != f"{referral.reference} · {subject}" or n.body != f"{referral.reference}: {body}":
        problems.append(f"{n.kind}: {n.subject!r} / {n.body!r} is not reference + the kind's own text")
    text = n.subject + n.body
    dob = referral.child_date_of_birth
    for secret in (
        referral.child_first_name,
        referral.child_last_name,
        dob.isoformat(),
        dob.strftime("%d-%m-%Y"),
        f"{dob.day}-{dob.month}-{dob.year}",
    ):
        if secret.lower() in text.lower():
            problems.append(f"{n.kind}: {secret!r} (child data) appears in the notice")
    return problems


def _backdate(referral, days):
    moment = timezone.now() - datetime.timedelta(days=days)
    Referral.objects.filter(pk=referral.pk).update(first_submitted_at=moment, submitted_at=moment)
    referral.refresh_from_db()
    return referral


def _all_kinds():
    return set(services.NOTICES) | set(esc_services.NOTICES)


class _NoticesByKind(dict):
    """kind -> (subject, body) rendered in the site's language, as notify() stores them."""

    def __missing__(self, kind):
        subject, body = {**services.NOTICES, **esc_services.NOTICES}[kind]
        with translation.override(settings.LANGUAGE_CODE):
            self[kind] = (str(subject), str(body))
        return self[kind]


NOTICES_BY_KIND = _NoticesByKind()


def test_each_kind_of_event_has_its_own_subject():
    """Fifteen notices in a row tell their events apart: one subject per kind, except the two
    audiences of one event (the withheld escalation told to school and team)."""
    subjects = {}
    for kind in sorted(_all_kinds()):
        subjects.setdefault(NOTICES_BY_KIND[kind][0], []).append(kind)
    shared = [kinds for kinds in subjects.values() if len(kinds) > 1]
    assert shared == [["escalation_withheld_school", "escalation_withheld_team"]]


def test_every_notification_link_answers_200_for_its_recipient(world):
    sc, dw = world.user("school_coordinator"), world.user("district_worker")
    colleague = cf.make_member(Role.DISTRICT_WORKER, world.district_team, email="collega@example.test")
    contact = world.user("other_municipal_officer")
    cf.ContactAssignmentFactory(person=contact.person, municipality=world.other_municipality)
    links = Links()

    # The pupil lives in the other municipality: its vaste contactpersoon is told.
    referral = services.submit(
        sc, complete_referral(world.school, sc, home_municipality=world.other_municipality)
    )
    links.check("submit")
    assert Notification.objects.filter(user=contact, kind="referral_home_municipality").exists()
    referral = services.take_up(dw, referral, assignee=colleague)
    links.check("take up for a colleague")
    referral = services.assign(colleague, referral, dw)
    links.check("assign")
    referral = services.return_with_question(dw, referral, "Graag het OPP")
    links.check("return")
    referral = services.answer_and_resubmit(sc, referral, "Bijgevoegd")
    links.check("resubmit")
    services.post_message(sc, referral, "Nog een vraag")
    links.check("message from the school")
    referral = services.take_up(dw, referral)
    services.post_message(dw, referral, "Antwoord")
    links.check("message from the team")
    services.add_team_document(
        dw,
        referral,
        SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
        "application/pdf",
    )
    links.check("document added by the team")

    # Escalated by the school, a position of the team, decided, the precedent drafted.
    escalation = esc_services.raise_escalation(sc, referral, reason="grey_funding", position="Standpunt")
    links.check("escalation raised")
    esc_services.add_position(dw, escalation, "Ons standpunt")
    links.check("position added")
    decide(world, escalation, actor="partnership_director", agreed="other_municipal_officer")
    links.check("decided")
    referral.refresh_from_db()
    referral = services.start_help(dw, referral) if referral.status == "accepted" else referral
    links.check("help started")
    referral = services.close(dw, referral, outcome="goals_met", reason="Klaar")
    links.check("closed")

    # A decision whose carry-out date passed without help.
    second = services.take_up(dw, services.submit(sc, complete_referral(world.school, sc)))
    links.check("second submitted")
    # Escalating makes sense once the team has answered (ADR 0141): it asks a question first.
    second = services.return_with_question(dw, second, "Wat is er al geprobeerd?")
    links.check("second returned")
    escalation = esc_services.raise_escalation(dw, second, reason="grey_funding", position="Standpunt")
    links.check("escalation raised by the team")
    decide(
        world,
        escalation,
        carried_by=CarriedBy.SHARED,
        split="50/50",
        carry_out_by=timezone.localdate() + datetime.timedelta(days=1),
    )
    links.check("second decided")
    assert esc_services.send_decision_reminders(today=timezone.localdate() + datetime.timedelta(days=3))
    links.check("decision overdue")

    # Accepted, declined; automatic escalation.
    third = services.take_up(dw, services.submit(sc, complete_referral(world.school, sc)))
    services.accept(
        dw,
        third,
        care_provider=world.care_provider,
        planned_help_form="group",
        expected_start=timezone.localdate(),
        joint_deployment=False,
    )
    links.check("accepted")
    fourth = services.take_up(dw, services.submit(sc, complete_referral(world.school, sc)))
    services.decline(dw, fourth, reason="other", explanation="Niet voor ons")
    links.check("declined")

    # Mediation before escalation (ADR 0149): asked and settled, asked and not settled.
    mediator_user = world.user("steering_member")
    mediator = esc_services.name_mediator(
        world.user("registry_admin"), region=world.region, mediator_user=mediator_user
    )
    fourth.refresh_from_db()
    mediation = esc_services.ask_mediator(sc, fourth, mediator=mediator, question="Wie betaalt?")
    links.check("mediator asked")
    esc_services.record_mediation_outcome(
        mediator_user, mediation, settled=True, carried_by=CarriedBy.EDUCATION
    )
    links.check("mediation settled")
    third.refresh_from_db()
    mediation = esc_services.ask_mediator(dw, third, mediator=mediator, question="Wie betaalt?")
    links.check("mediator asked by the team")
    esc_services.record_mediation_outcome(mediator_user, mediation, settled=False)
    links.check("mediation not settled")
    overdue = services.submit(sc, complete_referral(world.school, sc))
    links.check("overdue submitted")
    _backdate(overdue, 60)
    assert esc_services.auto_escalate() == 1
    links.check("automatic escalation")

    # Waiting-time reminders: one near the norm, one over it.
    near = services.submit(sc, complete_referral(world.school, sc))
    links.check("near submitted")
    today = timezone.localdate()
    start = today
    while working_days_between(start, today) < 4:  # one day before the decision norm of 5
        start -= datetime.timedelta(days=1)
    moment = timezone.make_aware(datetime.datetime.combine(start, datetime.time(12)))
    Referral.objects.filter(pk=near.pk).update(first_submitted_at=moment, submitted_at=moment)
    over = services.submit(sc, complete_referral(world.school, sc))
    links.check("over submitted")
    _backdate(over, 30)
    assert send_waiting_time_reminders() >= 2
    links.check("waiting-time reminders")

    # The 18-/18+ transition (ADR 0153): a reminder before the 18th birthday.
    birthday = today + datetime.timedelta(days=30)
    if (birthday.month, birthday.day) == (2, 29):
        birthday += datetime.timedelta(days=1)
    referral_in(world, "help_started", child_date_of_birth=birthday.replace(year=birthday.year - 18))
    assert send_transition_reminders() >= 1
    links.check("transition reminder")

    # Consent withdrawn after submission: the team is told, and the link still opens for it.
    fifth = services.submit(sc, complete_referral(world.school, sc))
    links.check("fifth submitted")
    services.withdraw_consent(sc, fifth.consents.get())
    links.check("consent withdrawn")
    _backdate(fifth, 60)
    esc_services.auto_escalate()
    links.check("automatic escalation withheld")

    # The school withdraws one; another, returned and never answered, is reminded and lapses.
    sixth = services.submit(sc, complete_referral(world.school, sc))
    links.check("sixth submitted")
    services.withdraw(sc, sixth, reason="Ouders hebben zelf hulp gevonden")
    links.check("withdrawn")
    seventh = services.take_up(dw, services.submit(sc, complete_referral(world.school, sc)))
    links.check("seventh submitted")
    seventh = services.return_with_question(dw, seventh, "Vraag")
    links.check("seventh returned")
    ReferralEvent.objects.filter(referral=seventh, action="return").update(
        at=timezone.now() - datetime.timedelta(days=23)
    )
    assert lapse.lapse_stale_referrals().reminded == 1
    links.check("lapse reminder")
    ReferralEvent.objects.filter(referral=seventh, action__in=["return", "lapse_reminder"]).update(
        at=timezone.now() - datetime.timedelta(days=40)
    )
    assert lapse.lapse_stale_referrals().lapsed >= 1
    links.check("lapsed")

    missing = _all_kinds() - links.kinds
    assert not missing, f"kinds of notification this test never made: {sorted(missing)}"
    assert links.checked > 30


def test_the_informed_contact_sees_the_summary_and_no_case_content(world, client):
    sc = world.user("school_coordinator")
    contact = world.user("other_municipal_officer")
    cf.ContactAssignmentFactory(person=contact.person, municipality=world.other_municipality)
    referral = services.submit(
        sc, complete_referral(world.school, sc, home_municipality=world.other_municipality)
    )
    notice = Notification.objects.get(user=contact, kind="referral_home_municipality")
    client.force_login(contact)
    assert client.get(f"/aanmeldingen/{referral.uuid}/").status_code == 404  # no party
    response = client.get(notice.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert referral.reference in html and world.school.name in html and world.district_team.name in html
    for secret in (referral.child_first_name, referral.child_last_name, referral.question):
        assert secret not in html
    entry = AccessLog.objects.get(user=contact)
    assert entry.object_reference == referral.reference and entry.object_type == "referrals.referral"
    assert entry.organisation == world.other_municipality.name


def test_the_summary_says_nothing_more_once_sharing_stopped(world, client):
    sc = world.user("school_coordinator")
    contact = world.user("other_municipal_officer")
    cf.ContactAssignmentFactory(person=contact.person, municipality=world.other_municipality)
    referral = complete_referral(world.school, sc, home_municipality=world.other_municipality)
    referral = services.submit(sc, referral)
    services.withdraw_consent(sc, referral.consents.get())
    client.force_login(contact)
    html = client.get(f"/aanmeldingen/{referral.uuid}/samenvatting/").content.decode()
    assert 'id="summary-not-shared"' in html and world.district_team.name not in html


def test_no_summary_for_a_contact_of_another_municipality_or_a_former_one(world, client):
    sc = world.user("school_coordinator")
    contact = world.user("other_municipal_officer")
    cf.ContactAssignmentFactory(
        person=contact.person,
        municipality=world.other_municipality,
        valid_to=timezone.localdate() - datetime.timedelta(days=1),
    )
    referral = services.submit(
        sc, complete_referral(world.school, sc, home_municipality=world.other_municipality)
    )
    client.force_login(contact)
    assert client.get(f"/aanmeldingen/{referral.uuid}/samenvatting/").status_code == 404
