"""The processing register (AVG art. 30, ADR 0105): every concrete field of the project's
models is annotated as personal data or listed as not personal, the register page and CSV
show the annotations, and only the privacy officer reads them."""

import csv
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse

from referrals.models import Referral
from security import register
from tests.helpers.queries import count_queries


def test_every_field_of_the_project_is_in_the_register():
    assert register.problems() == []


def test_every_project_app_with_models_has_its_annotations():
    """A new app of the project with models must be added to register.SOURCES."""
    root = Path(settings.BASE_DIR).resolve()
    with_models = {
        config.label
        for config in apps.get_app_configs()
        # The project's own apps: under the root, but not installed packages (the virtualenv
        # that `make test` makes inside the checkout is under the root too).
        if Path(config.path).resolve().is_relative_to(root)
        and "site-packages" not in Path(config.path).resolve().parts
        and list(config.get_models())
    }
    assert with_models <= set(register.SOURCES)
    assert set(register.SOURCES) == {
        "portal",
        "contacts",
        "referrals",
        "escalations",
        "agenda",
        "reporting",
        "security",
    }


def test_a_new_field_without_annotation_fails_the_register(monkeypatch):
    extra = models.CharField("nickname", max_length=40)
    extra.set_attributes_from_name("child_nickname")
    fields = [*Referral._meta.concrete_fields, extra]
    monkeypatch.setattr(Referral._meta, "concrete_fields", fields)
    found = register.problems()
    assert any(p.startswith("referrals.referral.child_nickname: not in the register") for p in found)


def test_a_new_model_without_annotations_fails_the_register():
    class Scratch(models.Model):  # noqa: DJ008 - exists only for this test
        nickname = models.CharField(max_length=40)

        class Meta:
            app_label = "referrals"

    try:
        found = register.problems()
        assert any(p.startswith("referrals.scratch.nickname: not in the register") for p in found)
        assert any(p.startswith("referrals.scratch.id: not in the register") for p in found)
    finally:
        del apps.all_models["referrals"]["scratch"]
        apps.clear_cache()
    assert register.problems() == []


def test_an_annotation_for_a_removed_field_fails(monkeypatch):
    from referrals import privacy

    monkeypatch.setitem(
        privacy.PERSONAL,
        "referrals.guardian",
        {**privacy.PERSONAL["referrals.guardian"], "shoe_size": privacy.GUARDIAN},
    )
    assert (
        "referrals.guardian.shoe_size: annotated in referrals/privacy.py but the model has no such field"
        in (register.problems())
    )


@pytest.mark.parametrize(
    "change, message",
    [
        ({"basis": "because"}, "unknown basis 'because'"),
        ({"purpose": "fun"}, "unknown purpose 'fun'"),
        ({"retention": "forever"}, "unknown retention 'forever'"),
        ({"roles": ("janitor",)}, "roles must be roles of contacts.Role"),
        ({"leaves": ("email", "export")}, "data about a child cannot leave by e-mail"),
    ],
)
def test_bad_annotations_fail(monkeypatch, change, message):
    from referrals import privacy

    bad = {**privacy.CHILD, **change}
    monkeypatch.setitem(
        privacy.PERSONAL, "referrals.referral", {**privacy.PERSONAL["referrals.referral"], "child_group": bad}
    )
    assert any(message in p for p in register.problems())


def test_child_data_is_marked_and_never_e_mailed():
    rows = {(r.model_label, r.field_name): r for r in register.rows()}
    question = rows[("referrals.referral", "question")]
    assert question.special and question.email == str(register.EMAIL_NEVER)
    assert question.export == str(register.EXPORT_ART15)
    assert "Jeugdwet art. 7.3.11" in question.basis_citation
    assert rows[("referrals.referral", "urgency")].report == str(register.REPORT_AGGREGATED)
    assert ("referrals.referencecounter", "last") not in rows
    assert all(r.email == str(register.EMAIL_NEVER) for r in register.rows() if r.special)


@pytest.mark.django_db
def test_the_page_shows_the_register_in_dutch(world, client):
    client.force_login(world.user("privacy_officer"))
    response = client.get(reverse("security:register"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Verwerkingsregister" in text
    assert "child_first_name" in text
    assert "Jeugdwet art. 7.3.11 lid 1" in text


@pytest.mark.django_db
def test_the_csv_has_one_row_per_personal_field(world, client):
    client.force_login(world.user("privacy_officer"))
    response = client.get(reverse("security:register_csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="verwerkingsregister.csv"'
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(lines) == 1 + len(register.rows())
    assert "referrals.referral.question" in {line[3] for line in lines}


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["school_coordinator", "steering_member", "registry_admin"])
def test_other_roles_are_refused(world, client, actor):
    client.force_login(world.user(actor))
    assert client.get(reverse("security:register")).status_code == 403
    assert client.get(reverse("security:register_csv")).status_code == 403


@pytest.mark.django_db
def test_the_page_reads_no_data_tables(world, client):
    client.force_login(world.user("privacy_officer"))
    count, _queries = count_queries(client, reverse("security:register"))
    baseline, _ = count_queries(client, reverse("security:access_log"))
    assert count <= baseline


@pytest.mark.django_db
def test_the_pdf_is_a_tagged_dutch_register(world, client):
    from pypdf import PdfReader

    client.force_login(world.user("privacy_officer"))
    response = client.get(reverse("security:register_pdf"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="verwerkingsregister.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True and root["/Lang"] == "nl"
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Verwerkingsregister" in text and "child_first_name" in text
