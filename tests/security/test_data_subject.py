"""Data-subject requests (AVG art. 15-21, ADR 0106): registering, deadlines, the work done, the
answer; own region only; every step in the access log; bad input changes nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AccessLog, Notification
from referrals.models import Referral, ReferralEvent
from security import data_subject
from security.models import DataSubjectRequest, RequestStatus, RequestStep, StepKind
from tests.helpers.queries import assert_queries_pinned
from tests.referrals.factories import referral_in
from tests.security.factories import foreign_region, request_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
# Session, user, memberships, open requests, answered count and page, the access-log row (no
# session save, ADR 0172).
LIST_QUERIES = 7


def _log_rows(request):
    return list(
        AccessLog.objects.filter(
            object_id=str(request.pk), object_type__startswith="security.datasubjectrequest"
        )
        .order_by("id")
        .values_list("object_type", "object_reference")
    )


@pytest.mark.parametrize(
    "received, deadline, latest",
    [
        (datetime.date(2026, 1, 31), datetime.date(2026, 2, 28), datetime.date(2026, 4, 30)),
        (datetime.date(2028, 1, 31), datetime.date(2028, 2, 29), datetime.date(2028, 4, 30)),
        (datetime.date(2026, 11, 15), datetime.date(2026, 12, 15), datetime.date(2027, 2, 15)),
    ],
)
def test_the_deadline_is_one_month_after_receipt(received, deadline, latest):
    assert data_subject.legal_deadline(received) == deadline
    assert data_subject.latest_extension(received) == latest


def test_registering_sets_the_deadline_and_logs_the_step(world):
    referral = referral_in(world, "submitted")
    request = request_for(world, reference=referral.reference.lower(), received_on=TODAY())
    assert request.region == world.region
    assert request.reference == referral.reference
    assert request.deadline == data_subject.legal_deadline(TODAY())
    assert [s.kind for s in request.steps.all()] == [StepKind.REGISTERED]
    assert _log_rows(request) == [("security.datasubjectrequest.registered", referral.reference)]


@pytest.mark.parametrize(
    "field, changes, message",
    [
        ("reference", {"reference": "AJS-2099-99999"}, "Geen aanmelding in uw regio heeft dit kenmerk"),
        (
            "received_on",
            {"received_on": "2999-01-01"},
            "De datum van ontvangst kan niet in de toekomst liggen",
        ),
        ("requester_name", {"requester_name": "  "}, "Vul in wie het verzoek deed"),
        ("requester_name", {"requester_name": "Nul\x00teken"}, "Null"),
    ],
)
def test_bad_input_on_registration_is_shown_next_to_the_field(world, client, field, changes, message):
    client.force_login(world.user("privacy_officer"))
    data = {
        "kind": "access",
        "requester_name": "J. de Ouder",
        "requester_relation": "parent",
        "received_on": TODAY().isoformat(),
        "reference": "",
        **changes,
    }
    response = client.post(reverse("security:request_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    if message != "Null":
        assert message in " ".join(form.errors[field])
    assert DataSubjectRequest.objects.count() == 0
    assert not AccessLog.objects.filter(object_type__startswith="security.datasubjectrequest.").exists()


def test_a_referral_of_another_region_is_an_unknown_reference(world):
    _officer, foreign = foreign_region()
    with pytest.raises(data_subject.RequestError) as error:
        request_for(world, reference=foreign.reference)
    assert error.value.field == "reference"
    assert DataSubjectRequest.objects.count() == 0


def test_a_request_of_another_region_is_not_found(world, client):
    officer, _referral = foreign_region()
    client.force_login(officer)
    request = request_for(world)
    assert client.get(reverse("security:request_detail", args=[request.pk])).status_code == 404
    url = reverse("security:request_act", args=[request.pk, "notitie"])
    assert client.post(url, {"note-text": "x"}).status_code == 404
    assert request.steps.count() == 1


def test_the_page_creates_and_shows_a_request(world, client):
    referral = referral_in(world, "submitted")
    client.force_login(world.user("privacy_officer"))
    response = client.post(
        reverse("security:request_create"),
        {
            "kind": "access",
            "requester_name": "J. de Ouder",
            "requester_relation": "parent",
            "received_on": TODAY().isoformat(),
            "reference": referral.reference,
        },
    )
    request = DataSubjectRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("security:request_detail", args=[request.pk])
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Inzage (art. 15)" in text
    assert f"?reference={referral.reference}" in text
    assert ("security.datasubjectrequest", referral.reference) in _log_rows(request)


class TestExtension:
    def test_extension_needs_a_reason_and_a_date_in_range(self, world, client):
        request = request_for(world, received_on=TODAY() - datetime.timedelta(days=3))
        client.force_login(world.user("privacy_officer"))
        url = reverse("security:request_act", args=[request.pk, "verlengen"])
        cases = [
            (
                {"extend-until": (TODAY() + datetime.timedelta(days=40)).isoformat(), "extend-reason": ""},
                "reason",
            ),
            (
                {"extend-until": (TODAY() - datetime.timedelta(days=1)).isoformat(), "extend-reason": "Veel"},
                "until",
            ),
            (
                {
                    "extend-until": (TODAY() + datetime.timedelta(days=200)).isoformat(),
                    "extend-reason": "Veel",
                },
                "until",
            ),
            ({"extend-until": request.deadline.isoformat(), "extend-reason": "Veel"}, "until"),
        ]
        for data, field in cases:
            response = client.post(url, data)
            assert response.status_code == 200, data
            form = response.context["actions"]["extend"]["form"]
            assert field in form.errors, data
        request.refresh_from_db()
        assert request.extended_until is None and request.extension_reason == ""
        assert request.steps.count() == 1

    def test_the_past_deadline_message_is_dutch(self, world, client):
        request = request_for(world)
        client.force_login(world.user("privacy_officer"))
        url = reverse("security:request_act", args=[request.pk, "verlengen"])
        data = {"extend-until": "2020-01-01", "extend-reason": "Veel verzoeken"}
        response = client.post(url, data)
        assert "De nieuwe termijn ligt in het verleden" in response.content.decode()

    def test_extending_moves_the_deadline_once(self, world):
        request = request_for(world)
        until = request.deadline + datetime.timedelta(days=30)
        data_subject.extend_deadline(
            world.user("privacy_officer"), request, until=until, reason="Veel verzoeken"
        )
        request.refresh_from_db()
        assert request.current_deadline == until
        with pytest.raises(data_subject.RequestError):
            data_subject.extend_deadline(
                world.user("privacy_officer"), request, until=until, reason="Nog eens"
            )

    def test_no_extension_after_the_first_deadline(self, world):
        request = request_for(world, received_on=TODAY() - datetime.timedelta(days=45))
        with pytest.raises(data_subject.RequestError) as error:
            data_subject.extend_deadline(
                world.user("privacy_officer"),
                request,
                until=TODAY() + datetime.timedelta(days=5),
                reason="Laat",
            )
        assert error.value.field == "until"


class TestWorkDone:
    def test_erasure_of_a_closed_referral_anonymises_it(self, world, client):
        referral = referral_in(world, "closed")
        request = request_for(world, kind="erasure", reference=referral.reference)
        client.force_login(world.user("privacy_officer"))
        response = client.post(reverse("security:request_act", args=[request.pk, "wissen"]))
        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.anonymised_at is not None and referral.child_first_name == ""
        assert request.steps.filter(kind=StepKind.ERASED).exists()
        assert ("security.datasubjectrequest.erased", referral.reference) in _log_rows(request)

    def test_erasure_of_an_open_referral_is_refused_with_a_reason(self, world, client):
        referral = referral_in(world, "in_triage")
        request = request_for(world, kind="erasure", reference=referral.reference)
        client.force_login(world.user("privacy_officer"))
        page = client.get(reverse("security:request_detail", args=[request.pk])).content.decode()
        assert "nog open" in page
        response = client.post(reverse("security:request_act", args=[request.pk, "wissen"]))
        assert response.status_code == 200
        assert "nog open" in response.content.decode()
        referral.refresh_from_db()
        assert referral.anonymised_at is None
        url = reverse("security:request_act", args=[request.pk, "weigeren"])
        response = client.post(url, {"refuse-reason": ""})
        assert "refuse-reason" in response.content.decode()
        assert "Geef de wettelijke reden" in response.content.decode()
        assert not request.steps.filter(kind=StepKind.ERASURE_REFUSED).exists()
        client.post(url, {"refuse-reason": "Hulp loopt nog (AVG art. 17 lid 3 b)"})
        assert request.steps.filter(kind=StepKind.ERASURE_REFUSED).exists()

    def test_restriction_stops_sharing_like_withdrawn_consent(self, world):
        referral = referral_in(world, "in_triage")
        request = request_for(world, kind="restriction", reference=referral.reference)
        data_subject.restrict(world.user("privacy_officer"), request)
        referral.refresh_from_db()
        assert referral.sharing_stopped_at is not None
        assert ReferralEvent.objects.filter(referral=referral, action="sharing_stopped").exists()
        from referrals.permissions import visible_referrals

        assert not visible_referrals(world.user("district_worker")).filter(pk=referral.pk).exists()
        assert visible_referrals(world.user("school_coordinator")).filter(pk=referral.pk).exists()
        with pytest.raises(data_subject.RequestError):
            data_subject.restrict(world.user("privacy_officer"), request)

    def test_new_consent_does_not_lift_a_restriction(self, world):
        from referrals import services
        from referrals.permissions import visible_referrals

        referral = referral_in(world, "in_triage")
        other = referral_in(world, "in_triage")
        request = request_for(world, kind="restriction", reference=referral.reference)
        data_subject.restrict(world.user("privacy_officer"), request)
        sc = world.user("school_coordinator")
        for each in (referral, other):
            services.withdraw_consent(sc, each.consents.get())
            services.record_consent(
                sc,
                each,
                giver="parent",
                guardian=each.guardians.get(),
                given_on=datetime.date.today(),
                form="written",
                recipients="wijkteam",
            )
            each.refresh_from_db()
        # The restricted referral stays unshared; the other one is shared again.
        assert referral.sharing_stopped_at is not None
        assert other.sharing_stopped_at is None
        dw = world.user("district_worker")
        assert not visible_referrals(dw).filter(pk=referral.pk).exists()
        assert visible_referrals(dw).filter(pk=other.pk).exists()

    def test_rectification_is_a_note_for_the_owning_organisation(self, world, client):
        request = request_for(world, kind="rectification")
        client.force_login(world.user("privacy_officer"))
        url = reverse("security:request_act", args=[request.pk, "rectificatie"])
        response = client.post(url, {"rectification-text": ""})
        assert response.status_code == 200
        assert not request.steps.filter(kind=StepKind.RECTIFICATION).exists()
        client.post(url, {"rectification-text": "School gevraagd de geboortedatum te corrigeren"})
        assert request.steps.filter(kind=StepKind.RECTIFICATION).exists()

    def test_a_step_of_another_kind_is_forbidden(self, world, client):
        request = request_for(world, kind="access")
        client.force_login(world.user("privacy_officer"))
        response = client.post(reverse("security:request_act", args=[request.pk, "beperken"]))
        assert response.status_code == 403
        assert client.post(reverse("security:request_act", args=[request.pk, "onzin"])).status_code == 404

    def test_the_answer_closes_the_request(self, world, client):
        request = request_for(world)
        client.force_login(world.user("privacy_officer"))
        url = reverse("security:request_act", args=[request.pk, "antwoord"])
        future = (TODAY() + datetime.timedelta(days=2)).isoformat()
        response = client.post(
            url, {"answer-answered_on": future, "answer-outcome": "granted", "answer-summary": "x"}
        )
        assert "answer-answered_on" in response.content.decode()
        request.refresh_from_db()
        assert request.status == RequestStatus.OPEN
        response = client.post(
            url,
            {
                "answer-answered_on": TODAY().isoformat(),
                "answer-outcome": "granted",
                "answer-summary": "Export",
            },
        )
        assert response.status_code == 302
        request.refresh_from_db()
        assert request.status == RequestStatus.ANSWERED and request.outcome == "granted"
        assert client.post(reverse("security:request_act", args=[request.pk, "notitie"])).status_code == 403
        kinds = [k for k, _ref in _log_rows(request)]
        assert "security.datasubjectrequest.answered" in kinds


def test_every_step_writes_an_access_log_row(world):
    referral = referral_in(world, "submitted")
    officer = world.user("privacy_officer")
    request = request_for(world, reference=referral.reference)
    data_subject.record_export(officer, request)
    data_subject.record_note(officer, request, kind=StepKind.NOTE, text="Gebeld")
    data_subject.answer(officer, request, answered_on=TODAY(), outcome="granted", summary="Verstuurd")
    steps = RequestStep.objects.filter(request=request).count()
    assert len(_log_rows(request)) == steps == 4
    assert AccessLog.objects.filter(
        object_type="security.datasubjectrequest.export", action="export"
    ).exists()


def test_home_shows_the_first_deadline(world, client):
    request_for(world, received_on=TODAY() - datetime.timedelta(days=3))
    client.force_login(world.user("privacy_officer"))
    text = client.get(reverse("home")).content.decode()
    assert "1 open verzoek, eerste termijn" in text


def test_reminders_once_per_deadline_without_names(world):
    near = request_for(world, received_on=TODAY() - datetime.timedelta(days=27), requester_name="Piet Geheim")
    request_for(world, received_on=TODAY())  # a month away: not yet
    assert data_subject.send_deadline_reminders() == 1
    assert data_subject.send_deadline_reminders() == 0
    note = Notification.objects.get(user=world.user("privacy_officer"))
    assert "Piet" not in note.subject + note.body
    assert note.url == reverse("security:request_detail", args=[near.pk])
    data_subject.extend_deadline(
        world.user("privacy_officer"),
        near,
        until=near.deadline + datetime.timedelta(days=3),
        reason="Complex",
    )
    assert data_subject.send_deadline_reminders() == 1


def test_the_list_pins_its_queries(world, client):
    client.force_login(world.user("privacy_officer"))
    officer = world.user("privacy_officer")

    def add(n):
        for i in range(n):
            request = request_for(world, received_on=TODAY() - datetime.timedelta(days=i))
            if i % 2:
                data_subject.answer(officer, request, answered_on=TODAY(), outcome="granted", summary="ok")

    assert_queries_pinned(client, reverse("security:request_list"), add, expected=LIST_QUERIES)


@pytest.mark.parametrize(
    "actor", ["school_coordinator", "district_worker", "steering_member", "registry_admin"]
)
def test_other_roles_are_refused(world, client, actor):
    request = request_for(world)
    client.force_login(world.user(actor))
    assert client.get(reverse("security:request_list")).status_code == 403
    assert client.get(reverse("security:request_detail", args=[request.pk])).status_code == 403
    assert Referral.objects.count() == 0


def test_the_reminder_task_is_scheduled_daily():
    from django.conf import settings

    from security.tasks import data_subject_request_reminders

    entry = settings.CELERY_BEAT_SCHEDULE["security-data-subject-request-reminders"]
    assert entry["task"] == data_subject_request_reminders.name == "security.data_subject_request_reminders"


def test_erasure_cannot_be_run_from_another_kind_of_request(world, client):
    referral = referral_in(world, "closed")
    request = request_for(world, kind="access", reference=referral.reference)
    client.force_login(world.user("privacy_officer"))
    assert client.post(reverse("security:request_act", args=[request.pk, "wissen"])).status_code == 403
    referral.refresh_from_db()
    assert referral.anonymised_at is None
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        data_subject.erase(world.user("privacy_officer"), request)
