"""The newcomer's path: in `make run`'s demo, the registry administrator of Regio Utrecht finds the
import on the network page and imports every file of docs/examples (rows of their own region)
through the browser import, in the order docs/registry-import.md gives; a second run changes
nothing. The administrator of the other demo region cannot (ADR 0147)."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from contacts.models import Region, School

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ORDER = [
    "regions",
    "municipalities",
    "partnerships",
    "schools",
    "district_teams",
    "care_providers",
    "persons",
    "assignments",
    "tandems",
]


def _web_import(client, kind):
    upload = SimpleUploadedFile(
        f"{kind}.csv", (EXAMPLES / f"{kind}.csv").read_bytes(), content_type="text/csv"
    )
    response = client.post(reverse("contacts:import"), {"kind": kind, "file": upload})
    report = response.context["report"]
    assert report.ok, (kind, [str(e) for e in report.errors])
    confirmed = client.post(
        reverse("contacts:import_confirm"), {"token": str(response.context["pending"].token)}
    )
    assert confirmed.status_code == 302, kind
    return report


def test_demo_registry_admin_imports_every_example_through_the_browser(client):
    call_command("seed_demo", stdout=io.StringIO())
    demo_schools = set(School.objects.values_list("brin", "vestiging", "name"))
    admin = get_user_model().objects.get(email="beheer@demo.tandem.test")
    client.force_login(admin)
    directory = client.get(reverse("contacts:directory")).content.decode()
    assert f'href="{reverse("contacts:import")}"' in directory  # Netwerk → Import

    first = {kind: _web_import(client, kind) for kind in ORDER}
    assert all(report.added and not report.changed for report in first.values()), {
        kind: (r.added, r.changed, r.unchanged) for kind, r in first.items()
    }
    assert Region.objects.get(code="VBR-NOORD").parent.code == "UTR"
    # The demo's own registry is left as it was; the examples only add.
    assert demo_schools <= set(School.objects.values_list("brin", "vestiging", "name"))
    again = {kind: _web_import(client, kind) for kind in ORDER}
    assert all(not r.added and not r.changed and r.unchanged for r in again.values())


def test_the_other_regions_administrator_imports_none_of_the_examples(client):
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(email="beheer@betuwe.demo.tandem.test"))
    upload = SimpleUploadedFile(
        "regions.csv", (EXAMPLES / "regions.csv").read_bytes(), content_type="text/csv"
    )
    response = client.post(reverse("contacts:import"), {"kind": "regions", "file": upload})
    report = response.context["report"]
    assert not report.ok and response.context["pending"] is None
    # Every row names Regio Utrecht: its own row and the two subregions beneath it.
    assert {e.row for e in report.errors if "Regio Utrecht" in str(e)} == {2, 3, 4}
    assert not Region.objects.filter(code__startswith="VBR").exists()


def test_the_import_link_is_only_for_the_registry_administrator(client):
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(email="ib@demo.tandem.test"))
    assert reverse("contacts:import") not in client.get(reverse("contacts:directory")).content.decode()
