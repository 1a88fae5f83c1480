"""Retention (ADR 0046/0047): closed and declined referrals are anonymised after
TANDEM_RETENTION_CLOSED_MONTHS, untouched drafts deleted after TANDEM_RETENTION_DRAFT_MONTHS,
under frozen time, on PostgreSQL."""

import datetime
import io
import logging
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from escalations import retention as escalation_retention
from escalations.models import Decision, Escalation, Precedent
from portal.models import AccessLog
from referrals import privacy, retention, services, tasks
from referrals.models import (
    Attachment,
    Consent,
    Guardian,
    Message,
    Referral,
    ReferralDomain,
    ReferralEvent,
    Status,
)
from referrals.workflow import transition
from reporting.figures import compute_figures
from reporting.scopes import Scope
from tests.escalations.fixtures import decide, open_escalation
from tests.helpers.browser import assert_no_axe_violations, login
from tests.helpers.world import build_world
from tests.referrals.factories import complete_referral, referral_in
from tests.reporting.escalation_counts import escalation_counts

pytestmark = pytest.mark.django_db

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
PDF = b"%PDF-1.4\n%retention test\n"
# A first name no generated professional can have (Faker gave a worker "Sem van Breugel"): the
# tests assert the child's name is absent from pages and exports once anonymised.
CHILD = ("Qwirijn", "Bewaartermijn")


def ams(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=AMS)


def travel(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def storage(settings, tmp_path):
    """Attachments in a fresh folder, so a test can see files appear and disappear."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    return tmp_path


def _upload(user, referral, name="opp-sem-bewaartermijn.pdf"):
    return services.upload_attachment(
        user, referral, SimpleUploadedFile(name, PDF, content_type="application/pdf"), "application/pdf"
    )


def build_case(world, start, *, outcome="closed", escalate=False, joint=False, publish=False, returned=False):
    """A referral through the real services, one step a day from `start`: drafted with a parent,
    consent and an attachment; submitted, taken up (after a return with a question and an answer
    if `returned`), messages both ways; optionally escalated and
    decided (with a precedent draft, published if `publish`); then accepted, help started and
    closed, or declined. Every free text names the child."""
    coordinator, worker = world.user("school_coordinator"), world.user("district_worker")

    def day(n):
        return start + datetime.timedelta(days=n)

    with travel(day(0)):
        referral = complete_referral(
            world.school,
            coordinator,
            child_first_name=CHILD[0],
            child_last_name=CHILD[1],
            question="Qwirijn loopt vast in de klas.",
            already_done="Gesprekken met Qwirijn.",
            goals="Qwirijn doet weer mee.",
            urgency="high",
            urgency_reason="Qwirijn slaapt slecht.",
            current_help="Qwirijn heeft een logopedist.",
            professionals_involved="Huisarts van Qwirijn.",
        )
        _upload(coordinator, referral)
        referral = services.submit(coordinator, referral)
    with travel(day(1)):
        if returned:
            referral = services.take_up(worker, referral)
            referral = services.return_with_question(worker, referral, "Wat speelt er thuis bij Qwirijn?")
            referral = services.answer_and_resubmit(coordinator, referral, "Qwirijn is verhuisd.")
        referral = services.take_up(worker, referral)
        services.post_message(worker, referral, "Hoe gaat het thuis met Qwirijn?")
        services.post_message(coordinator, referral, "Moeder van Qwirijn belt morgen.")
    if escalate:
        with travel(day(2)):
            escalation = open_escalation(
                world,
                referral,
                position="School: Qwirijn hoort bij jeugdhulp.",
                other_position="Wijkteam: Qwirijn hoort bij onderwijs.",
            )
        with travel(day(3)):
            decision = decide(
                world,
                escalation,
                help="Begeleiding voor Qwirijn.",
                rationale="Qwirijn heeft beide nodig.",
                carried_by="shared",
                split="Qwirijn: helft school, helft gemeente",
                assign_help=outcome != "declined",
            )
            if publish:
                Precedent.objects.filter(decision=decision).update(
                    status=Precedent.Status.PUBLISHED,
                    published_at=day(3),
                    published_by=world.user("partnership_director"),
                    title="Gedrag in de klas en thuis",
                    summary="Een leerling met gedragsproblemen.",
                    outcome="Gedeelde begeleiding.",
                    rationale="Onderwijs en jeugdhulp hebben beide een taak.",
                )
        referral.refresh_from_db()
    if outcome == "declined":
        with travel(day(4)):
            return services.decline(
                worker, referral, reason="education", explanation="Qwirijn: taak van school."
            )
    if referral.status != Status.ACCEPTED:
        with travel(day(4)):
            referral = services.accept(
                worker,
                referral,
                care_provider=world.care_provider,
                planned_help_form="individual",
                expected_start=day(10).date(),
                joint_deployment=joint,
                note="Qwirijn krijgt begeleiding.",
            )
    with travel(day(5)):
        referral = services.start_help(worker, referral, note="Gestart met Qwirijn.")
    with travel(day(6)):
        return services.close(worker, referral, outcome="goals_met", reason="Qwirijn gaat het goed.")


def run(moment, **kwargs):
    with travel(moment):
        return retention.apply_retention(**kwargs)


def snapshot():
    """Every row retention may touch, as plain values."""
    tables = (Referral, Guardian, Consent, Message, Attachment, ReferralEvent, ReferralDomain)
    rows = {m.__name__: list(m.objects.order_by("pk").values()) for m in tables}
    for model in (Escalation, Decision, Precedent, AccessLog):
        rows[model.__name__] = list(model.objects.order_by("pk").values())
    return rows


def tombstone(referral):
    return {f: getattr(referral, f) for f in retention.KEPT_FIELDS if f != "anonymised_at"}


# --- What is blanked, what is kept --------------------------------------------------------------


def test_every_field_and_related_table_is_classified():
    """A new field or table pointing at a referral must be put on one side deliberately."""
    fields = {f.name for f in Referral._meta.concrete_fields}
    assert set(retention.PERSONAL_FIELDS) | set(retention.KEPT_FIELDS) == fields
    assert not set(retention.PERSONAL_FIELDS) & set(retention.KEPT_FIELDS)
    related = {rel.related_model for rel in Referral._meta.related_objects}
    assert related == set(retention.RELATED)
    free_text = {
        f.name
        for f in Escalation._meta.concrete_fields
        if f.get_internal_type() in ("TextField", "CharField") and not f.choices
    }
    assert free_text == set(escalation_retention.ESCALATION_TEXT_FIELDS)
    free_text = {
        f.name
        for f in Decision._meta.concrete_fields
        if f.get_internal_type() in ("TextField", "CharField") and not f.choices
    }
    assert free_text == set(escalation_retention.DECISION_TEXT_FIELDS)


def test_one_rule_says_what_is_blanked_and_how():
    """Retention blanks what the processing register keeps for the referral's term only, each
    field to None where it may be NULL, else to ""; a group request's child fields alike."""
    register = privacy.PERSONAL["referrals.referral"]
    assert set(retention.PERSONAL_FIELDS) == {f for f, e in register.items() if e["retention"] == "referral"}
    assert retention.PERSONAL_FIELDS["child_date_of_birth"] is None
    assert retention.PERSONAL_FIELDS["child_first_name"] == ""
    assert retention.blank_values(["home_municipality", "group_size", "group_name"]) == {
        "home_municipality": None,
        "group_size": None,
        "group_name": "",
    }


def test_months_are_calendar_months_in_amsterdam_time():
    assert retention.months_before(ams(2028, 3, 31, 10), 1) == ams(2028, 2, 29, 10)
    assert retention.months_before(ams(2028, 9, 14, 10), 24) == ams(2026, 9, 14, 10)
    # Across a change of the clocks the wall-clock hour stays (summer time → winter time).
    assert retention.months_before(ams(2027, 1, 10, 10), 4) == ams(2026, 9, 10, 10)
    assert retention.months_before(ams(2026, 1, 15), 3) == ams(2025, 10, 15)


# --- Closed and declined ------------------------------------------------------------------------


def test_closed_referral_is_intact_the_day_before_the_term_and_anonymised_the_day_after(
    world, storage, django_capture_on_commit_callbacks, client
):
    referral = build_case(world, ams(2026, 9, 7), escalate=True)  # closed Sunday 13 September 2026
    other = build_case(world, ams(2026, 9, 7), escalate=True, publish=True)
    published = Precedent.objects.get(decision__escalation__referral=other)
    assert referral.closed_at == ams(2026, 9, 13)
    client.force_login(world.user("school_coordinator"))
    with travel(ams(2026, 10, 1)):
        assert client.get(reverse("referrals:detail", args=[referral.uuid])).status_code == 200
    files = [storage / a.file.name for a in Attachment.objects.filter(referral=referral)]
    assert files and all(f.exists() for f in files)
    assert Precedent.objects.filter(decision__escalation__referral=referral, status="draft").exists()
    before = tombstone(referral)
    events_before = list(referral.events.values_list("action", "from_status", "to_status", "at", "actor_id"))
    access_log_before = list(AccessLog.objects.values())

    # 24 months minus a day: nothing happens.
    unchanged = snapshot()
    assert run(ams(2028, 9, 12)).anonymised == 0
    assert snapshot() == unchanged

    # 24 months plus a day: anonymised, the files go after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        result = run(ams(2028, 9, 14))
    assert result.anonymised == 2
    assert (result.attachments_deleted, result.files_removed, result.file_errors) == (2, 2, 0)
    referral.refresh_from_db()
    assert referral.anonymised_at == ams(2028, 9, 14)
    for name, blank in retention.PERSONAL_FIELDS.items():
        assert getattr(referral, name) == blank, name
    assert tombstone(referral) == before
    assert referral.status == Status.CLOSED and referral.close_outcome == "goals_met"
    assert list(referral.domains.values_list("domain", flat=True)) == ["behaviour"]
    for model in (Guardian, Consent, Message, Attachment):
        assert not model.objects.filter(referral=referral).exists(), model.__name__
    assert not any(f.exists() for f in files)
    assert not files[0].parent.exists()  # the referral's folder is gone too
    # The timeline keeps what happened, who and when; no note survives; one event says why.
    events = list(referral.events.order_by("at", "pk"))
    assert [(e.action, e.from_status, e.to_status, e.at, e.actor_id) for e in events[:-1]] == events_before
    assert all(e.note == "" for e in events)
    assert (events[-1].action, events[-1].actor, events[-1].to_status) == ("anonymised", None, Status.CLOSED)
    escalation = referral.escalations.get()
    assert (escalation.raiser_position, escalation.other_position) == ("", "")
    assert (escalation.state, escalation.reason, escalation.raised_side) == (
        "decided",
        "grey_funding",
        "school",
    )
    assert escalation.decided_at is not None and escalation.raised_at is not None
    decision = escalation.decision
    assert (decision.help, decision.rationale, decision.split) == ("", "", "")
    assert decision.carried_by == "shared" and decision.carry_out_by is not None
    # The unpublished draft could no longer be checked against the name: gone. The published
    # precedent (anonymised by its reviewer) stays as it was.
    assert not Precedent.objects.filter(status="draft").exists()
    published_after = Precedent.objects.get()
    assert (published_after.pk, published_after.summary) == (published.pk, published.summary)
    # The access log is untouched (append-only; reference numbers only).
    assert list(AccessLog.objects.values()) == access_log_before
    # Nothing of the child is left anywhere in the tables retention looks after.
    assert "Qwirijn" not in repr({k: v for k, v in snapshot().items() if k != "Precedent"})


def test_declined_counts_from_the_decline_not_from_an_earlier_acceptance(world, storage):
    """decided_at is the FIRST decision: accepted, escalated, sent back to triage and declined
    two months later, the term runs from the decline."""
    worker = world.user("district_worker")
    with travel(ams(2026, 9, 1)):
        referral = referral_in(world, "accepted")
        accepted_at = referral.decided_at
        referral = transition(referral, "escalate", worker)
        referral = transition(referral, "resume", worker, target=Status.IN_TRIAGE)
    with travel(ams(2026, 11, 2)):
        referral = transition(
            referral, "decline", worker, decline_reason="other", decline_explanation="Qwirijn: elders"
        )
    assert referral.decided_at == accepted_at == ams(2026, 9, 1)
    assert run(ams(2028, 9, 2)).anonymised == 0  # 24 months after the acceptance: not yet
    assert run(ams(2028, 11, 1)).anonymised == 0
    assert run(ams(2028, 11, 3)).anonymised == 1
    referral.refresh_from_db()
    assert referral.decline_explanation == "" and referral.decline_reason == "other"


def test_a_declined_case_with_escalation_and_messages_is_anonymised(world, storage):
    referral = build_case(world, ams(2026, 9, 7), outcome="declined", escalate=True)
    assert referral.status == Status.DECLINED
    assert run(ams(2028, 9, 10)).anonymised == 0  # declined 11 September 2026
    assert run(ams(2028, 9, 12)).anonymised == 1
    referral.refresh_from_db()
    assert referral.child_first_name == "" and referral.decline_reason == "education"
    assert not Message.objects.exists() and not Guardian.objects.exists()


def test_open_referrals_and_open_escalations_are_never_touched(world, storage):
    with travel(ams(2020, 1, 6)):
        for status in ("submitted", "in_triage", "returned", "accepted", "help_started", "escalated"):
            referral_in(world, status)
        declined = referral_in(world, "declined")
        # Inconsistent on purpose: even a declined referral with an open escalation stays.
        Escalation.objects.create(
            referral=declined,
            reason="other",
            raised_side="school",
            partnership=world.partnership,
            municipality=world.municipality,
        )
    before = snapshot()
    assert retention.due_counts(ams(2035, 1, 1)).anonymised == 0
    assert run(ams(2035, 1, 1)).as_dict() == retention.RetentionResult().as_dict()
    assert snapshot() == before


def test_a_second_run_changes_nothing(world, storage):
    build_case(world, ams(2026, 9, 7))
    with travel(ams(2026, 9, 7)):
        complete_referral(world.school, world.user("school_coordinator"))  # a draft
    first = run(ams(2028, 10, 1))
    assert (first.anonymised, first.drafts_deleted) == (1, 1)
    after_first = snapshot()
    second = run(ams(2028, 10, 1))
    assert second.as_dict() == retention.RetentionResult().as_dict()
    assert snapshot() == after_first
    third = run(ams(2031, 1, 1))  # later runs neither
    assert third.anonymised == 0 and snapshot() == after_first


# --- Drafts ---------------------------------------------------------------------------------------


def test_untouched_draft_stays_3_months_minus_a_day_and_goes_a_day_later(
    world, storage, django_capture_on_commit_callbacks
):
    coordinator = world.user("school_coordinator")
    with travel(ams(2026, 9, 1)):
        draft = complete_referral(world.school, coordinator)
        attachment = _upload(coordinator, draft)
        touched = complete_referral(world.school, coordinator)
    with travel(ams(2026, 11, 1)):  # a parent added: the draft is being worked on
        services.add_guardian(coordinator, touched, name="Vader", relation="vader")
    path = storage / attachment.file.name
    assert path.exists()

    assert run(ams(2026, 11, 30)).drafts_deleted == 0
    assert Referral.objects.filter(pk=draft.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        result = run(ams(2026, 12, 2))
    assert (result.drafts_deleted, result.attachments_deleted, result.files_removed) == (1, 1, 1)
    assert not Referral.objects.filter(pk=draft.pk).exists()
    for model in (Guardian, Consent, Attachment, ReferralEvent, ReferralDomain):
        assert not model.objects.filter(referral_id=draft.pk).exists(), model.__name__
    assert not path.exists()
    assert Referral.objects.filter(pk=touched.pk).exists()  # touched on 1 November

    assert run(ams(2027, 1, 31)).drafts_deleted == 0
    assert run(ams(2027, 2, 2)).drafts_deleted == 1
    assert not Referral.objects.exists()


# --- Figures stay the same ------------------------------------------------------------------------


def test_report_and_escalation_figures_are_identical_before_and_after(world, storage):
    for i in range(4):
        build_case(world, ams(2026, 9, 7 + i), escalate=i == 0, joint=i in (1, 2), returned=i == 3)
    for i in range(3):
        build_case(world, ams(2026, 9, 14 + i), outcome="declined", escalate=i == 0)
    with travel(ams(2026, 10, 5)):
        referral_in(world, "help_started")  # still open: stays as it is
    scope = Scope.for_region(world.region)

    def figures():
        computed = compute_figures("2026-H2", scope)
        return (
            computed.key_figures,
            computed.sections,
            escalation_counts("2026-H2", scope),
        )

    with travel(ams(2029, 1, 15)):
        before = figures()
        assert retention.apply_retention().anonymised == 7
        after = figures()
    assert after == before
    # The comparison is about real numbers, not empty tables.
    key_figures, _sections, escalations = before
    assert key_figures[0].display == "8"
    other = {row[0]: row[1] for row in before[1][0].tables[-1].rows}
    assert other == {
        "ten minste één keer teruggestuurd naar de school": "<5",
        "gezamenlijke inzet van onderwijs en jeugdhulp": "<5",
    }
    assert escalations["total"] == 2 and escalations["decided"] == 2
    assert Referral.objects.filter(anonymised_at__isnull=False).count() == 7


# --- Task, schedule, command, batches, log --------------------------------------------------------


def test_the_nightly_task_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["referrals-apply-retention"]
    assert entry["task"] == "referrals.apply_retention"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {30})
    from portal.celery import app

    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    assert "referrals.apply_retention" in app.tasks
    assert settings.CELERY_TIMEZONE == "Europe/Amsterdam"
    assert (settings.TANDEM_RETENTION_CLOSED_MONTHS, settings.TANDEM_RETENTION_DRAFT_MONTHS) == (24, 3)


def test_the_terms_are_documented():
    root = settings.BASE_DIR
    readme, example = (root / "README.md").read_text(), (root / ".env.example").read_text()
    for name, default in (("TANDEM_RETENTION_CLOSED_MONTHS", 24), ("TANDEM_RETENTION_DRAFT_MONTHS", 3)):
        assert f"| `{name}` | `{default}` |" in readme
        assert f"# {name}={default}" in example


def test_the_task_runs_through_celery(world, storage):
    from portal.celery import app

    assert "referrals.apply_retention" in app.tasks
    referral = build_case(world, ams(2026, 9, 7))
    with travel(ams(2028, 10, 1)):
        outcome = tasks.apply_retention.apply().get()
    assert outcome["anonymised"] == 1 and outcome["drafts_deleted"] == 0
    referral.refresh_from_db()
    assert referral.anonymised_at is not None


def test_the_terms_come_from_the_settings(world, storage, settings):
    settings.TANDEM_RETENTION_CLOSED_MONTHS = 6
    build_case(world, ams(2026, 9, 7))  # closed 13 September 2026
    assert run(ams(2027, 3, 12)).anonymised == 0
    assert run(ams(2027, 3, 14)).anonymised == 1


def test_the_command_dry_run_counts_and_changes_nothing(world, storage):
    build_case(world, ams(2026, 9, 7))
    with travel(ams(2026, 9, 7)):
        complete_referral(world.school, world.user("school_coordinator"))
    before = snapshot()
    out = io.StringIO()
    with travel(ams(2028, 10, 1)):
        call_command("apply_retention", "--dry-run", stdout=out)
    assert "would anonymise 1 referrals, delete 1 drafts and 1 attachments" in out.getvalue()
    assert "Qwirijn" not in out.getvalue()
    assert snapshot() == before
    out = io.StringIO()
    with travel(ams(2028, 10, 1)):
        call_command("apply_retention", stdout=out)
    assert "1 referrals anonymised, 1 drafts deleted, 1 attachments deleted" in out.getvalue()
    assert Referral.objects.get().anonymised_at is not None


def _closed_with_everything(world, when):
    """A closed referral (quick, through the workflow) with a message and an attachment."""
    with travel(when):
        referral = referral_in(world, "closed")
        Message.objects.create(referral=referral, author=referral.created_by, body="Over Qwirijn")
        attachment = Attachment(
            referral=referral,
            original_name="opp.pdf",
            content_type="application/pdf",
            size=len(PDF),
            uploaded_by=referral.created_by,
        )
        attachment.file.save("x", ContentFile(PDF), save=False)
        attachment.save()
    return referral


def test_queries_per_batch_do_not_depend_on_the_number_of_referrals(world, storage):
    for _i in range(2):
        _closed_with_everything(world, ams(2026, 9, 1))
    with travel(ams(2028, 10, 1)), CaptureQueriesContext(connection) as two:
        assert retention.apply_retention().anonymised == 2
    for _i in range(6):
        _closed_with_everything(world, ams(2026, 10, 1))
    with travel(ams(2028, 11, 1)), CaptureQueriesContext(connection) as six:
        assert retention.apply_retention().anonymised == 6
    assert len(six.captured_queries) == len(two.captured_queries)


def test_batches_of_a_given_size_cover_everything(world, storage):
    for _i in range(5):
        _closed_with_everything(world, ams(2026, 9, 1))
    with travel(ams(2028, 10, 1)), CaptureQueriesContext(connection) as ctx:
        result = retention.apply_retention(batch_size=2)
    assert result.anonymised == 5 and result.attachments_deleted == 5
    assert not Referral.objects.filter(anonymised_at__isnull=True).exists()
    selects = [q for q in ctx.captured_queries if "FOR UPDATE SKIP LOCKED" in q["sql"]]
    # closed: 2+2+1 and an empty look; declined; lapsed or withdrawn; drafts
    assert len(selects) == 3 + 1 + 1 + 1 + 1


def test_the_log_has_counts_only(world, storage, caplog):
    build_case(world, ams(2026, 9, 7))
    with caplog.at_level(logging.INFO, logger="tandem.retention"):
        run(ams(2028, 10, 1))
    lines = [r.getMessage() for r in caplog.records if r.name == "tandem.retention"]
    assert lines and "1 referrals anonymised" in lines[0]
    assert not any(CHILD[0] in line or CHILD[1] in line for line in lines)


# --- Pages ----------------------------------------------------------------------------------------


def test_anonymised_referral_pages_render_with_the_notice(world, storage, client):
    referral = build_case(world, ams(2026, 9, 7), escalate=True)
    run(ams(2028, 9, 14))
    coordinator, worker = world.user("school_coordinator"), world.user("district_worker")
    client.force_login(coordinator)
    response = client.get(reverse("referrals:detail", args=[referral.uuid]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Persoonsgegevens verwijderd op 14 september 2028 (bewaartermijn)." in html
    assert "— (geanonimiseerd)" in html
    assert "persoonsgegevens verwijderd (bewaartermijn)" in html.lower()
    assert CHILD[0] not in html and CHILD[1] not in html
    assert "Bericht versturen" not in html  # no new messages on an anonymised referral
    listing = client.get(reverse("referrals:list")).content.decode()
    assert "— (geanonimiseerd)" in listing and CHILD[1] not in listing
    escalation = client.get(reverse("escalations:detail", args=[referral.escalations.get().pk]))
    assert escalation.status_code == 200 and CHILD[0] not in escalation.content.decode()
    refused = client.post(reverse("referrals:message", args=[referral.uuid]), {"body": "Over Qwirijn"})
    assert refused.status_code == 403 and not Message.objects.exists()
    client.force_login(worker)
    inbox = client.get(reverse("referrals:inbox"), {"view": "all"}).content.decode()
    assert "— (geanonimiseerd)" in inbox and CHILD[1] not in inbox
    assert client.get(reverse("referrals:detail", args=[referral.uuid])).status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_anonymised_detail_page_in_the_browser_has_no_axe_violations(page, live_server, storage):
    bworld = build_world()
    referral = build_case(bworld, ams(2026, 9, 7))
    run(ams(2028, 9, 14))
    login(page, live_server, bworld.user("school_coordinator").email)
    page.goto(f"{live_server.url}{reverse('referrals:detail', args=[referral.uuid])}")
    assert page.get_by_text("Persoonsgegevens verwijderd op 14 september 2028 (bewaartermijn).").is_visible()
    assert_no_axe_violations(page)


def test_a_batch_that_leaves_its_referrals_due_stops_instead_of_looping(world, storage):
    _closed_with_everything(world, ams(2026, 9, 1))
    due = retention.due_closed(ams(2028, 1, 1))
    with pytest.raises(retention.NoProgress):
        retention._in_batches(due, "closed_at", lambda rows, now, result: None, None, None, 500)
