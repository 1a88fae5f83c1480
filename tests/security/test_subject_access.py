"""The right of access (AVG art. 15): the privacy officer exports everything about one child as
a tagged PDF. Completeness is checked generically: every concrete field of every exported model
appears with its Dutch name and its value in the text pypdf extracts (ADR 0048)."""

import datetime
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from contacts.models import Role
from escalations import services as esc_services
from portal.audit import log_access
from portal.models import AccessLog
from referrals.models import (
    Attachment,
    Message,
    Referral,
    ReferralEvent,
    Transition,
    TransitionReminder,
    WaitingReminder,
)
from referrals.retention import raw_delete
from security import subject_access
from tests.escalations.fixtures import decide, named_mediator, open_escalation, past_the_norm
from tests.referrals.factories import ConsentFactory, GuardianFactory, ReferralDomainFactory, referral_in

pytestmark = pytest.mark.django_db

PAGE = "security:subject_access"
PDF = "security:subject_access_pdf"
FIRST, LAST, BORN = "Quirijntje", "Vlasbloemendaal", datetime.date(2014, 3, 9)


def _text(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return reader, re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _compact(value):
    """Without any whitespace: a value the PDF wrapped over two lines still matches."""
    return re.sub(r"\s+", "", str(value))


def _today():
    return timezone.localdate().isoformat()


def _full_referral(world, first=FIRST, last=LAST, born=BORN, marker="A"):
    """A referral with a row in every exported model and a distinctive value in each."""
    coordinator, worker = world.user("school_coordinator"), world.user("district_worker")
    referral = referral_in(
        world,
        "in_triage",
        child_first_name=first,
        child_last_name=last,
        child_date_of_birth=born,
        child_group=f"groep 7{marker}",
        question=f"Vraagmarker{marker} over concentratie",
        already_done=f"Gedaanmarker{marker}",
        goals=f"Doelmarker{marker}",
        urgency="high",
        urgency_reason=f"Urgentiemarker{marker}",
        current_help=f"Thuishulpmarker{marker}",
        professionals_involved=f"Betrokkenenmarker{marker}",
    )
    ReferralDomainFactory(referral=referral, domain="social_emotional")
    GuardianFactory(
        referral=referral,
        name=f"Hendrika Tuinstra{marker}",
        relation="grootmoeder",
        phone="0612345678",
        email=f"hendrika{marker.lower()}@voorbeeld.test",
        has_custody=False,
    )
    ConsentFactory(
        referral=referral,
        giver="child",
        guardian=None,
        recipients=f"Ontvangersmarker{marker}",
        recorded_by=coordinator,
        withdrawn_at=timezone.now(),
        withdrawn_by=coordinator,
    )
    Message.objects.create(referral=referral, author=worker, body=f"Berichtmarker{marker} met vraag")
    ReferralEvent.objects.create(
        referral=referral, actor=worker, action="note", note=f"Notitiemarker{marker}"
    )
    attachment = Attachment(
        referral=referral,
        original_name=f"ontwikkelingsperspectief-{marker}.pdf",
        content_type="application/pdf",
        size=12345,
        uploaded_by=coordinator,
    )
    attachment.file.save("x", ContentFile(b"%PDF-1.4\nGeheimeInhoud\n"), save=False)
    attachment.save()
    # Mediation was tried first (ADR 0149) and did not settle it.
    mediation = esc_services.ask_mediator(
        coordinator,
        past_the_norm(referral),
        mediator=named_mediator(world),
        question=f"Bemiddelingsmarker{marker}",
    )
    esc_services.record_mediation_outcome(
        world.user("steering_member"), mediation, settled=False, note=f"Uitkomstmarker{marker}"
    )
    escalation = open_escalation(
        world,
        referral,
        position=f"Schoolpositiemarker{marker}",
        other_position=f"Wijkteampositiemarker{marker}",
    )
    decide(world, escalation, rationale=f"Onderbouwingmarker{marker}", help=f"Hulpmarker{marker}")
    WaitingReminder.objects.create(referral=referral, norm="decision", level="near")
    now = timezone.now()
    Transition.objects.create(
        referral=referral,
        adult_services_at=now,
        adult_services_by=worker,
        municipality_contact_at=now,
        municipality_contact_by=worker,
        municipality_contact_note=f"Wmomarker{marker}",
        adult_consent_at=now,
        adult_consent_by=coordinator,
        prepared_on=datetime.date(2026, 11, 30),
        prepared_at=now,
        prepared_by=coordinator,
    )
    TransitionReminder.objects.create(referral=referral, days_before=30)
    log_access(worker, AccessLog.Action.VIEW, referral, role="district_worker", organisation="Wijkteam Aan")
    log_access(
        coordinator,
        AccessLog.Action.DOWNLOAD,
        attachment,
        role="school_coordinator",
        organisation=f"Organisatiemarker{marker}",
        reference=referral.reference,
    )
    referral.refresh_from_db()
    return referral


def _post_page(client, reference):
    return client.post(reverse(PAGE), {"reference": reference, "received_on": _today()})


def _post_pdf(client, referral, include=(), received_on=None):
    return client.post(
        reverse(PDF),
        {
            "reference": referral.reference,
            "received_on": received_on or _today(),
            "include": [str(r.uuid) for r in include],
        },
    )


@pytest.fixture
def officer_client(world, client):
    client.force_login(world.user("privacy_officer"))
    return client


def _exported_models():
    return [Referral, *[part.model for part in subject_access.PARTS], AccessLog]


def _objects_of(referral):
    """Every exported row of `referral`, per model."""
    log = subject_access._access_log_entries([referral], list(referral.attachments.all()))
    rows = {Referral: [referral], AccessLog: log}
    for part in subject_access.PARTS:
        rows[part.model] = list(
            part.model.objects.filter(**{f"{part.referral_path}": referral.pk}).select_related(
                *subject_access._relations(part.model), *part.also_select
            )
        )
    return rows


# --- Completeness ---------------------------------------------------------------------------


def test_export_holds_every_field_and_value_of_every_model(world, officer_client):
    referral = _full_referral(world)
    _post_page(officer_client, referral.reference)
    objects = _objects_of(referral)  # before the export writes its own row
    response = _post_pdf(officer_client, referral)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    _reader, text = _text(response.content)
    compact = _compact(text)

    with translation.override("nl"):
        for model in _exported_models():
            assert objects[model], f"the test seeds no {model.__name__}"
            for field in model._meta.concrete_fields:
                label = _compact(subject_access.headers_of(model)[model._meta.concrete_fields.index(field)])
                assert label in compact, f"{model.__name__}.{field.name}: «{label}» missing"
            for obj in objects[model]:
                for field, value in zip(model._meta.concrete_fields, subject_access.row_of(obj), strict=True):
                    assert _compact(value) in compact, f"{model.__name__}.{field.name} = «{value}» missing"

    # The distinctive seeded values, spelled out.
    for value in [
        FIRST,
        LAST,
        "9 maart 2014",
        "VraagmarkerA over concentratie",
        "Hendrika TuinstraA",
        "0612345678",
        "OntvangersmarkerA",
        "BerichtmarkerA met vraag",
        "NotitiemarkerA",
        "ontwikkelingsperspectief-A.pdf",
        "12345",
        "SchoolpositiemarkerA",
        "WijkteampositiemarkerA",
        "OnderbouwingmarkerA",
        "HulpmarkerA",
        "BemiddelingsmarkerA",
        "UitkomstmarkerA",
        "OrganisatiemarkerA",
        "WmomarkerA",
        "sociaal-emotioneel",
    ]:
        assert _compact(value) in compact, value
    # Dutch, with the explanation of the rights and the note on attachments.
    for phrase in [
        "Inzage in persoonsgegevens",
        "artikel 15",
        "Uw rechten",
        "Autoriteit Persoonsgegevens",
        "Wie heeft de gegevens bekeken (toegangslog)",
        "als bestanden bij deze pdf gevoegd",
        "Waar de gegevens vandaan komen",
        "Wie de gegevens kreeg of zag",
        world.user("privacy_officer").email,
    ]:
        assert _compact(phrase) in compact, phrase
    # The attachment's content is embedded in the PDF as a file (ADR 0107).
    reader, _text_ = _text(response.content)
    name = f"bijlage-{referral.reference}-1-ontwikkelingsperspectief-A.pdf"
    assert reader.attachments == {name: [b"%PDF-1.4\nGeheimeInhoud\n"]}


def test_every_model_about_a_referral_is_exported_or_deliberately_excluded():
    exported = {part.model._meta.label_lower for part in subject_access.PARTS}
    reachable = set()
    todo = [Referral]
    while todo:
        model = todo.pop()
        for rel in model._meta.related_objects:
            label = rel.related_model._meta.label_lower
            if label not in reachable:
                reachable.add(label)
                if label not in subject_access.EXCLUDED:  # what hangs below it goes with it
                    todo.append(rel.related_model)
    assert reachable - exported == subject_access.EXCLUDED
    assert not exported - reachable


def test_another_childs_referral_is_not_in_the_export(world, officer_client):
    referral = _full_referral(world)
    other = _full_referral(world, first="Bartholomeus", last="Zwanenburg", marker="B")
    _reader, text = _text(_post_pdf(officer_client, referral).content)
    compact = _compact(text)
    for value in [
        "Bartholomeus",
        "Zwanenburg",
        "VraagmarkerB",
        "BerichtmarkerB",
        "OnderbouwingmarkerB",
        "OrganisatiemarkerB",
        "ontwikkelingsperspectief-B.pdf",
        other.reference,
    ]:
        assert _compact(value) not in compact, value


def test_the_same_childs_other_referral_is_offered_and_included_only_when_chosen(world, officer_client):
    referral = _full_referral(world)
    earlier = _full_referral(world, marker="C")  # same name and date of birth
    namesake = referral_in(
        world,
        "submitted",
        child_first_name=FIRST,
        child_last_name=LAST,
        child_date_of_birth=BORN + datetime.timedelta(days=1),
    )
    page = _post_page(officer_client, referral.reference)
    assert page.status_code == 200
    html = page.content.decode()
    assert earlier.reference in html and namesake.reference not in html
    assert "exact dezelfde voornaam, achternaam en geboortedatum" in html

    _reader, text = _text(_post_pdf(officer_client, referral).content)
    assert earlier.reference not in text and "VraagmarkerC" not in text

    response = _post_pdf(officer_client, referral, include=[earlier])
    _reader, text = _text(response.content)
    assert "VraagmarkerA" in text and "VraagmarkerC" in text and earlier.reference in text
    exported = AccessLog.objects.filter(action=AccessLog.Action.EXPORT)
    assert set(exported.values_list("object_reference", flat=True)) == {referral.reference, earlier.reference}

    # A referral that is not the same child cannot be slipped in.
    before = AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count()
    response = _post_pdf(officer_client, referral, include=[namesake])
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert response.context["export_form"].errors["include"]
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == before


# --- Access and logging ------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [r.value for r in Role if r != Role.PRIVACY_OFFICER] + ["no_membership"])
def test_only_the_privacy_officer_gets_the_page_or_the_pdf(world, client, actor):
    referral = _full_referral(world)
    before = AccessLog.objects.count()
    client.force_login(world.user(actor))
    assert client.get(reverse(PAGE)).status_code == 403
    assert _post_page(client, referral.reference).status_code == 403
    assert _post_pdf(client, referral).status_code == 403
    assert AccessLog.objects.count() == before


def test_preview_and_export_are_logged_and_the_download_is_safe(world, officer_client):
    officer = world.user("privacy_officer")
    referral = _full_referral(world)
    page = _post_page(officer_client, f"  {referral.reference.lower()} ")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    views = AccessLog.objects.filter(user=officer, action=AccessLog.Action.VIEW)
    assert [(v.object_type, v.object_id, v.object_reference, v.role) for v in views] == [
        ("referrals.referral", str(referral.pk), referral.reference, "privacy_officer")
    ]
    assert views[0].organisation == str(world.region)

    response = _post_pdf(officer_client, referral)
    assert response["Content-Disposition"] == f'attachment; filename="inzage-{referral.reference}.pdf"'
    assert "no-store" in response["Cache-Control"]
    export = AccessLog.objects.get(
        user=officer, action=AccessLog.Action.EXPORT, object_type="referrals.referral"
    )
    assert (export.object_type, export.object_id, export.object_reference) == (
        "referrals.referral",
        str(referral.pk),
        referral.reference,
    )
    # The preview's own view row is in the export's access log (role, organisation, action).
    _reader, text = _text(response.content)
    assert _compact(f"{officer.full_name} privacy_officer Testregio ingezien") in _compact(text)


def test_preview_counts_the_rows_of_each_part(world, officer_client):
    referral = _full_referral(world)
    for i in range(3):
        Message.objects.create(referral=referral, author=world.user("district_worker"), body=f"extra {i}")
    page = _post_page(officer_client, referral.reference)
    preview = page.context["preview"]
    main = preview.main
    assert main.count("messages") == 4
    assert main.count("events") == ReferralEvent.objects.filter(referral=referral).count()
    assert main.count("attachments") == 1
    assert main.count("escalations") == 1 and main.count("decisions") == 1
    logged = AccessLog.objects.filter(object_reference=referral.reference).count()
    assert main.count("access_log") == logged - 1  # the preview's own row is written after
    html = page.content.decode()
    assert "Download de export (pdf)" in html
    assert (
        '<td class="utrecht-table__cell utrecht-table__cell--numeric-column'
        ' utrecht-table__cell--numeric-data">4</td>' in html
    )


def test_export_is_a_tagged_dutch_pdf(world, officer_client):
    referral = _full_referral(world)
    reader, _text_ = _text(_post_pdf(officer_client, referral, received_on="2026-01-05").content)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nl"
    assert reader.metadata.title.startswith("Inzage in persoonsgegevens (AVG artikel 15)")
    assert "5 januari 2026" in _text_


def _measure(client, referral):
    with CaptureQueriesContext(connection) as ctx:
        response = _post_pdf(client, referral)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_rows(world, officer_client):
    referral = _full_referral(world)
    worker = world.user("district_worker")
    _measure(officer_client, referral)  # warm caches
    expected = _measure(officer_client, referral)
    for n in (1, 10):
        for i in range(n):
            ReferralEvent.objects.create(referral=referral, actor=worker, action="note", note=f"n{i}")
            Message.objects.create(referral=referral, author=worker, body=f"m{i}")
            log_access(worker, AccessLog.Action.VIEW, referral, role="district_worker")
            GuardianFactory(referral=referral)
        # Only the export's own access-log row grows per referral, and there is one referral.
        assert _measure(officer_client, referral) == expected

    page = reverse(PAGE)
    data = {"reference": referral.reference, "received_on": _today()}

    def measure_page():
        with CaptureQueriesContext(connection) as ctx:
            assert officer_client.post(page, data).status_code == 200
        return len(ctx.captured_queries)

    measure_page()
    expected = measure_page()
    for i in range(10):
        Message.objects.create(referral=referral, author=worker, body=f"p{i}")
        log_access(worker, AccessLog.Action.VIEW, referral, role="district_worker")
    assert measure_page() == expected


# --- Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reference": "AJS-2099-99999"}, "reference"),
        ({"reference": "AJS\x00-2026"}, "reference"),
        ({"reference": "A" * 500}, "reference"),
        ({"reference": ""}, "reference"),
        ({"received_on": "2999-01-01"}, "received_on"),
        ({"received_on": "gisteren"}, "received_on"),
        ({"received_on": "2026-01-01\x00"}, "received_on"),
    ],
)
def test_bad_input_gives_a_field_error_and_logs_nothing(world, officer_client, data, field):
    referral = _full_referral(world)
    before = AccessLog.objects.count()
    payload = {"reference": referral.reference, "received_on": _today(), **data}
    for name in (PAGE, PDF):
        response = officer_client.post(reverse(name), payload)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert response.context["form"].errors[field]
        assert response.context["preview"] is None
    assert AccessLog.objects.count() == before


def test_unknown_reference_says_so_next_to_the_field(world, officer_client):
    response = _post_page(officer_client, "AJS-2099-99999")
    html = response.content.decode()
    assert "Geen aanmelding heeft dit kenmerk" in html
    assert 'aria-invalid="true"' in html


def test_pdf_only_by_post(officer_client):
    assert officer_client.get(reverse(PDF)).status_code == 405


def test_an_anonymised_referral_still_exports(world, officer_client):
    referral = _full_referral(world)
    Referral.objects.filter(pk=referral.pk).update(
        anonymised_at=timezone.now(),
        child_first_name="",
        child_last_name="",
        child_date_of_birth=None,
        child_group="",
        question="",
        already_done="",
        goals="",
        urgency_reason="",
        current_help="",
        professionals_involved="",
    )
    raw_delete(referral.consents.all())  # the ledger is append-only; only retention removes it
    referral.guardians.all().delete()
    page = _post_page(officer_client, referral.reference)
    assert page.status_code == 200
    assert "geen volledige naam en geboortedatum" in page.content.decode()
    response = _post_pdf(officer_client, referral)
    assert response.status_code == 200
    _reader, text = _text(response.content)
    assert FIRST not in text and "VraagmarkerA" not in text
    assert "geen naam vastgelegd" in text
    assert "Geanonimiseerd op" in text


def test_a_draft_without_reference_is_found_as_the_same_child(world, officer_client):
    referral = _full_referral(world)
    draft = referral_in(
        world, "draft", child_first_name=FIRST, child_last_name=LAST, child_date_of_birth=BORN
    )
    assert draft.reference is None
    page = _post_page(officer_client, referral.reference)
    assert [d.referral for d in page.context["preview"].others] == [draft]
    response = _post_pdf(officer_client, referral, include=[draft])
    assert response.status_code == 200
    _reader, text = _text(response.content)
    assert "concept" in text.lower()


def test_navigation_and_access_log_link_to_the_page(world, officer_client):
    url = reverse(PAGE)
    assert f'href="{url}"' in officer_client.get(reverse("home")).content.decode()
    assert f'href="{url}"' in officer_client.get(reverse("security:access_log")).content.decode()


def test_export_after_the_real_retention_run(world, officer_client, settings, tmp_path):
    """The retention task (referrals/retention.py) anonymises a referral closed 25 months ago;
    the export still works and holds none of the removed data."""
    import datetime

    from referrals import retention

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path)}},
    }
    referral = _full_referral(world)
    closed = timezone.now() - datetime.timedelta(days=25 * 31)
    Referral.objects.filter(pk=referral.pk).update(status="closed", closed_at=closed)
    assert retention.apply_retention().anonymised == 1
    referral.refresh_from_db()
    assert referral.anonymised_at is not None and referral.child_first_name == ""
    response = _post_pdf(officer_client, referral)
    assert response.status_code == 200
    _reader, text = _text(response.content)
    for removed in (
        FIRST,
        "VraagmarkerA",
        "BerichtmarkerA",
        "Hendrika",
        "NotitiemarkerA",
        "OnderbouwingmarkerA",
    ):
        assert removed not in text
    assert "Geanonimiseerd op" in text


# --- Attachments, sources and recipients (ADR 0107) ------------------------------------------


def test_the_export_states_sources_and_recipients(world, officer_client):
    referral = _full_referral(world)
    _reader, text = _text(_post_pdf(officer_client, referral).content)
    compact = _compact(text)
    assert _compact(f"{world.school} (de school)") in compact
    assert _compact(f"{world.district_team} (het wijkteam)") in compact
    assert _compact("besluit over de opschaling") in compact
    # Every organisation of the referral's access log, with its role and how often.
    assert _compact("Wijkteam Aan wijkteammedewerker 1") in compact
    assert _compact("OrganisatiemarkerA intern begeleider (IB-er) 1") in compact


def test_each_embedded_attachment_is_logged_as_exported(world, officer_client):
    referral = _full_referral(world)
    _post_pdf(officer_client, referral)
    attachment = referral.attachments.get()
    row = AccessLog.objects.get(
        user=world.user("privacy_officer"), action=AccessLog.Action.EXPORT, object_type="referrals.attachment"
    )
    assert (row.object_id, row.object_reference) == (str(attachment.pk), referral.reference)


def test_a_missing_file_is_listed_not_fatal(world, officer_client):
    referral = _full_referral(world)
    attachment = referral.attachments.get()
    attachment.file.storage.delete(attachment.file.name)
    response = _post_pdf(officer_client, referral)
    assert response.status_code == 200
    reader, text = _text(response.content)
    assert reader.attachments == {}
    assert _compact("niet bijgevoegd (bestand niet gevonden)") in _compact(text)
