"""The registry import stays inside the administrator's region (ADR 0147): a row that creates or
changes something of another region, links a person to another region's organisation, or adds a
new top-level region is a row/column error, and nothing of the file is imported. The operator's
`manage.py import_registry` is national."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from contacts.models import Municipality, Person, Region, School
from contacts.registry_import import import_file

pytestmark = pytest.mark.django_db


def _import(world, kind, content):
    return import_file(kind, f"{kind}.csv", content.encode(), commit=True, regions={world.region.pk})


def _errors(report):
    return {(e.row, e.column) for e in report.errors}


def test_rows_of_the_own_region_are_imported(world):
    report = _import(
        world,
        "schools",
        "brin,vestiging,name,school_type,partnership_code,municipality_code,postcode\n"
        f"91CC,00,Basisschool Cee,po,{world.partnership.code},{world.municipality.cbs_code},3511 AB\n",
    )
    assert report.written and report.added == 1


def test_a_new_row_in_another_region_is_an_error_and_nothing_is_imported(world):
    abroad = world.abroad
    report = _import(
        world,
        "schools",
        "brin,vestiging,name,school_type,partnership_code,municipality_code,postcode\n"
        f"91CC,00,Basisschool Cee,po,{world.partnership.code},{world.municipality.cbs_code},3511 AB\n"
        f"81CC,00,Basisschool Elders,po,{abroad.partnership.code},{abroad.municipality.cbs_code},3511 AB\n",
    )
    assert not report.written
    assert (3, "municipality_code") in _errors(report) and (3, "partnership_code") in _errors(report)
    assert "Regio Elders" in str(report.errors[0])
    assert not School.objects.filter(brin__in=["91CC", "81CC"]).exists()


def test_changing_another_regions_row_is_an_error(world):
    abroad = world.abroad
    report = _import(
        world,
        "municipalities",
        f"cbs_code,name,subregion_code\n{abroad.municipality.cbs_code},Overgenomen,{world.subregion.code}\n",
    )
    assert not report.written and (2, "subregion_code") in _errors(report)
    assert Municipality.objects.get(pk=abroad.municipality.pk).name == abroad.municipality.name


def test_a_new_top_level_region_is_the_operators(world):
    report = _import(world, "regions", "code,name,parent_code\nNIEUW,Nieuwe regio,\n")
    assert not report.written and (2, "parent_code") in _errors(report)
    assert "manage.py import_registry" in str(report.errors[0])
    # A subregion of the own region is fine; one under another region is not.
    assert _import(world, "regions", f"code,name,parent_code\nTST-C,Subregio C,{world.region.code}\n").written
    report = _import(world, "regions", f"code,name,parent_code\nELD-C,Elders C,{world.abroad.region.code}\n")
    assert not report.written and not Region.objects.filter(code="ELD-C").exists()


def test_a_person_is_linked_only_to_the_own_regions_organisations(world):
    abroad = world.abroad
    header = "email,name,phone,function,schools,district_teams,municipalities,partnerships,care_providers\n"
    report = _import(world, "persons", header + f"p@example.test,Pien,,IB-er,{abroad.school.brin}00,,,,\n")
    assert not report.written and (2, "schools") in _errors(report)
    assert not Person.objects.filter(email="p@example.test").exists()
    assert _import(
        world, "persons", header + f"p@example.test,Pien,,IB-er,{world.school.brin}00,,,,\n"
    ).written


def test_the_operator_command_is_national(world, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("code,name,parent_code\nNIEUW,Nieuwe regio,\n")
    call_command("import_registry", "--kind", "regions", str(path), stdout=io.StringIO())
    assert Region.objects.filter(code="NIEUW", parent=None).exists()


def test_the_browser_import_names_the_row_and_column_and_offers_nothing_to_confirm(world, client):
    client.force_login(world.user("registry_admin"))
    content = f"cbs_code,name,subregion_code\nGM0999,Nieuw,{world.abroad.subregion.code}\n".encode()
    upload = SimpleUploadedFile("municipalities.csv", content, content_type="text/csv")
    response = client.post(reverse("contacts:import"), {"kind": "municipalities", "file": upload})
    assert response.status_code == 200 and response.context["pending"] is None
    page = response.content.decode()
    assert "subregion_code" in page and "Regio Elders" in page
    assert not Municipality.objects.filter(cbs_code="GM0999").exists()
