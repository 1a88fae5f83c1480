"""The one-page referral form (ADR 0163): one "Save draft" for every section, all or nothing;
check your answers; removing a file; the district team's documents; the old URLs."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from referrals import services
from referrals.models import Attachment, Consent, Guardian, ReferralEvent
from tests.referrals.factories import referral_in
from tests.referrals.onepage import one_page_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%...\n"


def _pdf(name="opp.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def sc_client(client, world):
    client.force_login(world.user("school_coordinator"))
    return client


def _edit(referral):
    return reverse("referrals:edit", args=[referral.uuid])


def _new_parent_and_consent(**extra):
    return {
        "guardians-0-name": "Vader Eenpagina",
        "guardians-0-relation": "vader",
        "guardians-0-has_custody": "on",
        "consents-0-giver": "child",
        "consents-0-given_on": "2026-01-05",
        "consents-0-form": "written",
        "consents-0-recipients": "wijkteam",
        **extra,
    }


def test_one_save_keeps_every_section(sc_client, world):
    referral = referral_in(world, "draft")
    guardians, consents = referral.guardians.count(), referral.consents.count()
    response = sc_client.post(
        _edit(referral),
        one_page_data(
            referral,
            fields={"goals": "Weer meedoen"},
            **_new_parent_and_consent(**{"attachments-0-file": _pdf()}),
        ),
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.goals == "Weer meedoen"
    assert referral.guardians.count() == guardians + 1
    assert referral.consents.count() == consents + 1
    attachment = Attachment.objects.get(referral=referral)
    assert attachment.original_name == "opp.pdf" and attachment.side == Attachment.Side.SCHOOL
    actions = list(ReferralEvent.objects.filter(referral=referral).values_list("action", flat=True))
    assert {"draft_saved", "guardian_added", "consent_recorded", "attachment_added"} <= set(actions)


@pytest.mark.parametrize(
    "extra,field_id",
    [
        ({"guardians-0-name": "Vader\x00"}, "id_guardians-0-name"),
        ({"consents-0-given_on": "2999-01-01"}, "id_consents-0-given_on"),
        ({"consents-0-giver": "parent"}, "id_consents-0-guardian"),
        ({"attachments-0-file": _pdf("virus.pdf", b"MZ\x90\x00" + b"\x00" * 50)}, "id_attachments-0-file"),
    ],
)
def test_a_bad_row_saves_nothing_and_says_so_at_the_field(sc_client, world, extra, field_id):
    referral = referral_in(world, "draft")
    before = (referral.guardians.count(), referral.consents.count(), referral.events.count())
    response = sc_client.post(
        _edit(referral),
        one_page_data(referral, fields={"goals": "Niet bewaard"}, **{**_new_parent_and_consent(), **extra}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="{field_id}_error"' in html
    assert f'href="#{field_id}' in html  # the summary at the top links to the field
    referral.refresh_from_db()
    assert referral.goals != "Niet bewaard"
    assert (referral.guardians.count(), referral.consents.count(), referral.events.count()) == before
    assert not Attachment.objects.exists()


def test_ticked_rows_are_removed_and_withdrawn_with_the_save(sc_client, world):
    referral = referral_in(world, "draft")
    guardian = referral.guardians.get()
    consent = referral.consents.get()
    response = sc_client.post(
        _edit(referral),
        one_page_data(
            referral, **{"rows-remove_guardians": [guardian.pk], "rows-withdraw_consents": [consent.pk]}
        ),
    )
    assert response.status_code == 302
    assert Guardian.objects.get(pk=guardian.pk).removed_at is not None
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None


def test_a_group_request_ignores_a_filled_parent_row(sc_client, world):
    data = one_page_data(
        fields={
            "subject_kind": "group",
            "group_name": "groep 6b",
            "group_size": "28",
            "school": world.school.pk,
            "urgency": "normal",
            "domains": ["behaviour"],
        },
        **_new_parent_and_consent(),
    )
    assert sc_client.post(reverse("referrals:create"), data).status_code == 302
    assert not Guardian.objects.exists() and not Consent.objects.exists()


def test_check_your_answers_links_every_answer_and_lists_what_is_missing(sc_client, world):
    referral = referral_in(world, "draft", child_group="")
    html = sc_client.get(reverse("referrals:check", args=[referral.uuid])).content.decode()
    edit = _edit(referral)
    assert f'href="{edit}#id_child_first_name"' in html
    assert f'href="{edit}#id_urgency_0"' in html  # a group of options: its first option
    assert f'href="{edit}#section-consent"' in html
    missing = html[html.index('id="missing-answers"') :]
    assert f'href="{edit}#id_child_group"' in missing[: missing.index("</div>")]
    assert "Aanmelding indienen" in html


def test_the_old_steps_open_the_form_at_their_section(sc_client, world):
    referral = referral_in(world, "draft")
    for name, section in [
        ("guardian_add", "section-guardians"),
        ("consent_add", "section-consent"),
        ("attachment_upload", "section-attachments"),
    ]:
        response = sc_client.get(reverse(f"referrals:{name}", args=[referral.uuid]))
        assert response.status_code == 302 and response["Location"] == f"{_edit(referral)}#{section}"


def _attached(world, status, side=Attachment.Side.SCHOOL):
    referral = referral_in(world, status)
    user = world.user("school_coordinator" if side == Attachment.Side.SCHOOL else "district_worker")
    attachment = services._attach(user, referral, _pdf(), "application/pdf", side, "attachment_added")
    return referral, attachment


def test_removing_an_attachment_deletes_the_file_and_writes_only_its_name(
    sc_client, world, django_capture_on_commit_callbacks
):
    referral, attachment = _attached(world, "draft")
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    confirm = sc_client.get(reverse("referrals:attachment_remove", args=[referral.uuid, attachment.pk]))
    assert confirm.status_code == 200 and "opp.pdf" in confirm.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()  # a GET only asks
    with django_capture_on_commit_callbacks(execute=True):
        response = sc_client.post(reverse("referrals:attachment_remove", args=[referral.uuid, attachment.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not storage.exists(name)
    event = ReferralEvent.objects.get(referral=referral, action="attachment_removed")
    assert (event.note, event.actor) == ("opp.pdf", world.user("school_coordinator"))
    page = sc_client.get(_edit(referral)).content.decode()
    assert reverse("referrals:attachment_download", args=[referral.uuid, attachment.pk]) not in page


@pytest.mark.parametrize("status", ["submitted", "in_triage", "accepted"])
def test_after_submission_the_school_cannot_remove_a_file(world, status):
    referral, attachment = _attached(world, status)
    with pytest.raises(PermissionDenied):
        services.remove_attachment(world.user("school_coordinator"), attachment)
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_the_school_cannot_remove_the_teams_document(world):
    referral, attachment = _attached(world, "returned", side=Attachment.Side.TEAM)
    with pytest.raises(PermissionDenied):
        services.remove_attachment(world.user("school_coordinator"), attachment)


@pytest.mark.parametrize("status", ["in_triage", "accepted", "help_started"])
def test_the_district_team_adds_a_document_shown_with_who_added_it(client, world, status):
    referral = referral_in(world, status)
    worker = world.user("district_worker")
    client.force_login(worker)
    response = client.post(
        reverse("referrals:document_add", args=[referral.uuid]), {"document-file": _pdf("plan.pdf")}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(referral=referral)
    assert (attachment.side, attachment.uploaded_by) == (Attachment.Side.TEAM, worker)
    event = ReferralEvent.objects.get(referral=referral, action="document_added")
    assert (event.note, event.actor) == ("plan.pdf", worker)
    html = client.get(reverse("referrals:detail", args=[referral.uuid])).content.decode()
    timeline = html[html.index('id="timeline"') :]
    assert "document toegevoegd door het wijkteam" in timeline.lower() and "plan.pdf" in timeline
    assert f"toegevoegd door {escape(worker.full_name)} (wijkteam)" in html


@pytest.mark.parametrize(
    "name,content,fragment",
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100, "PDF, Word"),
        ("empty.pdf", b"", "leeg"),
        ("groot.pdf", PDF + b"0" * (11 * 1024 * 1024), "maximaal"),
    ],
)
def test_the_teams_document_is_checked_like_the_schools(client, world, name, content, fragment):
    referral = referral_in(world, "accepted")
    client.force_login(world.user("district_worker"))
    response = client.post(
        reverse("referrals:document_add", args=[referral.uuid]), {"document-file": _pdf(name, content)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_document-file_error"' in html and fragment in html
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("status", ["draft", "submitted", "declined", "closed"])
def test_no_documents_outside_triage_and_handling(world, status):
    referral = referral_in(world, status)
    with pytest.raises(PermissionDenied):
        services.add_team_document(world.user("district_worker"), referral, _pdf(), "application/pdf")
