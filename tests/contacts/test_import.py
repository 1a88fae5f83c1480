"""Registry import/export: all-or-nothing, idempotent, errors by file, row and column."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.models import (
    CareProvider,
    ContactAssignment,
    DistrictTeam,
    Municipality,
    Partnership,
    PendingImport,
    Person,
    Region,
    Role,
    School,
    Tandem,
)
from contacts.registry_import import RESOURCES, export, import_file
from tests.contacts import factories as f

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
MODELS = [
    Region,
    Municipality,
    Partnership,
    School,
    DistrictTeam,
    CareProvider,
    Person,
    ContactAssignment,
    Tandem,
]


def snapshot():
    state = {}
    for model in MODELS:
        state[model.__name__] = sorted(
            tuple(sorted((k, str(v)) for k, v in row.items())) for row in model.objects.values()
        )
    state["person_schools"] = sorted(Person.schools.through.objects.values_list("person_id", "school_id"))
    state["person_teams"] = sorted(
        Person.district_teams.through.objects.values_list("person_id", "districtteam_id")
    )
    return state


def import_examples():
    for kind in ORDER:
        call_command("import_registry", str(EXAMPLES / f"{kind}.csv"), kind=kind, stdout=io.StringIO())


def test_every_kind_has_an_example_and_documentation():
    doc = (EXAMPLES.parent / "registry-import.md").read_text()
    for kind in RESOURCES:
        assert (EXAMPLES / f"{kind}.csv").exists(), kind
        assert f"`{kind}`" in doc, kind
        for field in RESOURCES[kind]().get_import_fields():
            assert f"`{field.column_name}`" in doc, (kind, field.column_name)


def test_examples_import_cleanly_and_twice_gives_the_same_database():
    import_examples()
    first = snapshot()
    assert School.objects.count() == 4
    assert Person.objects.get(email="carla.contact@voorbeeld.example").schools.count() == 2
    assert Tandem.objects.current().count() == 1
    import_examples()
    assert snapshot() == first


def test_reimport_updates_by_natural_key(tmp_path):
    import_examples()
    changed = (EXAMPLES / "schools.csv").read_text().replace("De Eik", "De Grote Eik")
    path = tmp_path / "schools.csv"
    path.write_text(changed)
    out = io.StringIO()
    call_command("import_registry", str(path), stdout=out)
    assert "0 added, 1 changed, 3 unchanged" in out.getvalue()
    assert School.objects.get(brin="88AA").name == "Voorbeeldschool De Grote Eik"
    assert School.objects.count() == 4


def test_one_bad_row_changes_nothing_and_the_command_fails(tmp_path):
    import_examples()
    before = snapshot()
    lines = (EXAMPLES / "schools.csv").read_text().splitlines()
    lines[1] = lines[1].replace("De Eik", "De Grote Eik")  # a valid change that must not be written
    lines.append("88ZZ,00,Nieuwe school,po,PO9999,GM0801,1234 AB")  # unknown partnership code
    path = tmp_path / "schools.csv"
    path.write_text("\n".join(lines) + "\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_registry", str(path), kind="schools", stdout=io.StringIO(), stderr=err)
    assert "schools.csv, regel 6, kolom “partnership_code”" in err.getvalue()
    assert "PO9999" in err.getvalue()
    assert snapshot() == before


@pytest.mark.parametrize(
    "kind,content,row,column,fragment",
    [
        (
            "schools",
            "brin,vestiging,name,school_type,partnership_code,municipality_code\n1XAB,00,X,po,PO0801,GM0801\n",
            2,
            "brin",
            "BRIN",
        ),
        (
            "schools",
            "brin,vestiging,name,school_type,partnership_code,municipality_code\n88AA,00,X,po,PO0801,GM9999\n",
            2,
            "municipality_code",
            "GM9999",
        ),
        (
            "schools",
            "brin,vestiging,name,school_type,partnership_code,municipality_code\n"
            "88AQ,00,X,po,PO0801,GM0801\n88AQ,00,Y,po,PO0801,GM0801\n",
            3,
            "brin, vestiging",
            "regel 2",
        ),
        ("municipalities", "cbs_code,name,subregion_code\n0801,X,VBR-NOORD\n", 2, "cbs_code", "GM"),
        ("regions", "code,naam\nX,Y\n", 1, "name", ""),
        (
            "tandems",
            "school,school_coordinator_email,district_worker_email,district_team,valid_from\n"
            "88AA00,anna.ib@voorbeeld.example,bart.wijkteam@voorbeeld.example,"
            "GM0801:Bestaat niet,2026-01-01\n",
            2,
            "district_team",
            "Bestaat niet",
        ),
        (
            "assignments",
            "school,municipality_code,partnership_code,district_team,person_email,valid_from\n"
            "88AC00,,,,carla.contact@voorbeeld.example,01/02/2026\n",
            2,
            "valid_from",
            "JJJJ-MM-DD",
        ),
        ("persons", "email,name,schools\nx@voorbeeld.example,X,88AA00|99ZZ00\n", 2, "schools", "99ZZ00"),
    ],
)
def test_errors_name_row_and_column(kind, content, row, column, fragment):
    import_examples()
    before = snapshot()
    report = import_file(kind, f"{kind}.csv", content.encode(), commit=True)
    assert not report.written
    matching = [e for e in report.errors if e.row == row and e.column == column]
    assert matching, [str(e) for e in report.errors]
    assert fragment in matching[0].message or fragment in str(matching[0])
    assert str(matching[0]).startswith(f"{kind}.csv, ")
    assert snapshot() == before


def test_semicolon_csv_with_bom_and_xlsx_are_read():
    import_examples()
    content = "\ufeffcbs_code;name;subregion_code\nGM0804;Puntkomma;VBR-ZUID\n".encode()
    assert import_file("municipalities", "m.csv", content, commit=True).written
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["brin", "vestiging", "name", "school_type", "partnership_code", "municipality_code", "postcode"]
    )
    sheet.append(["88AR", "00", "Uit Excel", "po", "PO0801", "GM0804", None])
    data = io.BytesIO()
    book.save(data)
    report = import_file("schools", "s.xlsx", data.getvalue(), commit=True)
    assert report.written, [str(e) for e in report.errors]
    assert School.objects.get(brin="88AR").municipality.name == "Puntkomma"


@pytest.mark.parametrize(
    "name,content",
    [
        ("x.csv", b"\xff\xfe\x00bad"),
        ("x.xlsx", b"not a workbook"),
        ("x.csv", b""),
        ("x.csv", b"a,b\x00\n1,2\n"),
    ],
)
def test_unreadable_files_are_an_error_not_a_crash(name, content):
    report = import_file("regions", name, content, commit=True)
    assert report.errors and report.errors[0].row == 1


def test_export_then_reimport_is_unchanged():
    import_examples()
    before = snapshot()
    for kind, model in zip(ORDER, MODELS, strict=True):
        data = export(kind, RESOURCES[kind]().get_queryset(), "csv")
        report = import_file(kind, f"{kind}.csv", data, commit=True)
        assert report.ok, [str(e) for e in report.errors]
        assert report.added == 0 and report.changed == 0, kind
        assert report.unchanged == model.objects.count()
    assert snapshot() == before


def test_browser_import_previews_then_confirms(world, client):
    client.force_login(world.user("registry_admin"))
    # Subregions of the administrator's own region (ADR 0147).
    upload = SimpleUploadedFile(
        "regions.csv",
        b"code,name,parent_code\nTST-C,Subregio C,TST\nTST-D,Subregio D,TST\n",
        content_type="text/csv",
    )
    response = client.post(reverse("contacts:import"), {"kind": "regions", "file": upload})
    assert response.status_code == 200
    assert response.context["report"].added == 2
    token = str(response.context["pending"].token)
    assert not Region.objects.filter(code="TST-C").exists()  # preview writes nothing
    # Another administrator cannot confirm someone else's upload; a bad token is harmless.
    other_admin = f.make_member(Role.REGISTRY_ADMIN, world.region, email="admin2@example.test")
    client.force_login(other_admin)
    assert client.post(reverse("contacts:import_confirm"), {"token": token}).status_code == 302
    assert client.post(reverse("contacts:import_confirm"), {"token": "not-a-uuid"}).status_code == 302
    assert not Region.objects.filter(code="TST-C").exists()
    client.force_login(world.user("registry_admin"))
    response = client.post(reverse("contacts:import_confirm"), {"token": token})
    assert response.status_code == 302
    assert Region.objects.get(code="TST-C").parent == world.region
    # The pending file is used once.
    assert not PendingImport.objects.exists()


def test_browser_import_shows_errors_and_refuses_to_confirm(world, client):
    client.force_login(world.user("registry_admin"))
    upload = SimpleUploadedFile("regions.csv", b"code,name,parent_code\nvbr,Kleine letters,\n")
    response = client.post(reverse("contacts:import"), {"kind": "regions", "file": upload})
    html = response.content.decode()
    assert "code" in html and response.context["report"].errors
    client.post(reverse("contacts:import_confirm"))
    assert not Region.objects.filter(name="Kleine letters").exists()


def test_browser_import_refuses_other_file_types(world, client):
    client.force_login(world.user("registry_admin"))
    upload = SimpleUploadedFile("regions.pdf", b"%PDF-1.4")
    response = client.post(reverse("contacts:import"), {"kind": "regions", "file": upload})
    assert response.context["form"].errors["file"]


def test_kind_from_file_name_or_a_clear_error(tmp_path):
    path = tmp_path / "whatever.csv"
    path.write_text("code,name\nX,Y\n")
    with pytest.raises(CommandError, match="--kind"):
        call_command("import_registry", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_registry", str(tmp_path / "missing.csv"), kind="regions", stdout=io.StringIO())


def test_dry_run_writes_nothing():
    out = io.StringIO()
    call_command("import_registry", str(EXAMPLES / "regions.csv"), dry_run=True, stdout=out)
    assert "checked: 3 added" in out.getvalue()
    assert not Region.objects.exists()


CELL = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)
SCHOOL_COLUMNS = [
    "brin",
    "vestiging",
    "name",
    "school_type",
    "partnership_code",
    "municipality_code",
    "postcode",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.lists(
            st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12), min_size=7, max_size=7
        ),
        max_size=4,
    )
)
def test_arbitrary_school_rows_never_crash_and_write_nothing_on_error(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["brin", "vestiging", "name", "school_type", "partnership_code", "municipality_code", "postcode"]
    )
    writer.writerows(rows)
    before = School.objects.count()
    report = import_file("schools", "fuzz.csv", out.getvalue().encode("utf-8"), commit=True)
    if report.errors:
        assert School.objects.count() == before
        assert all(e.row >= 1 for e in report.errors)


def test_export_guards_formulas_and_reimports_unchanged():
    import_examples()
    Person.objects.filter(email="anna.ib@voorbeeld.example").update(
        name='=HYPERLINK("x")', phone="+31 10 000 0001"
    )
    before = snapshot()
    data = export("persons", Person.objects.all(), "csv")
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",+31 10 000 0001," in text
    report = import_file("persons", "persons.csv", data, commit=True)
    assert report.ok and report.changed == 0
    assert snapshot() == before


def test_preview_lists_rows_to_add_and_changes_old_to_new(world, client):
    import_examples()
    content = (EXAMPLES / "schools.csv").read_text().replace("De Eik", "De Grote Eik")
    content += "88AD,00,Voorbeeldschool De Nieuwe,po,PO0801,GM0801,1236 AD\n"
    report = import_file("schools", "schools.csv", content.encode())
    assert report.ok and (report.added, report.changed, report.unchanged) == (1, 1, 3)
    assert [(r.key, r.label) for r in report.added_rows] == [("88AD · 00", "Voorbeeldschool De Nieuwe")]
    [changed] = report.changed_rows
    assert changed.key == "88AA · 00" and changed.row == 2
    assert [(c.column, c.old, c.new) for c in changed.changes] == [
        ("name", "Voorbeeldschool De Eik", "Voorbeeldschool De Grote Eik")
    ]
    # The examples are rows of Regio Utrecht: its registry administrator previews them (ADR 0147).
    client.force_login(f.make_member(Role.REGISTRY_ADMIN, Region.objects.get(code="UTR"), email="b@utr.test"))
    upload = SimpleUploadedFile("schools.csv", content.encode(), content_type="text/csv")
    html = client.post(reverse("contacts:import"), {"kind": "schools", "file": upload}).content.decode()
    assert "1 rij toevoegen" in html and "1 rij wijzigen" in html
    assert "Voorbeeldschool De Nieuwe" in html
    assert "Voorbeeldschool De Eik</del> → <ins>Voorbeeldschool De Grote Eik" in html
    assert School.objects.get(brin="88AA").name == "Voorbeeldschool De Eik"  # the preview writes nothing


def test_preview_of_a_many_to_many_change_shows_the_old_and_new_list():
    import_examples()
    rows = list(csv.DictReader(io.StringIO((EXAMPLES / "persons.csv").read_text())))
    carla = next(r for r in rows if r["email"] == "carla.contact@voorbeeld.example")
    old = carla["schools"]
    carla["schools"] = old.split("|")[0]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerow(carla)
    report = import_file("persons", "persons.csv", out.getvalue().encode())
    [changed] = report.changed_rows
    assert [(c.column, c.old, c.new) for c in changed.changes] == [("schools", old, old.split("|")[0])]
    assert Person.objects.get(email=carla["email"]).schools.count() == 2  # nothing written


def test_an_invalid_choice_lists_the_valid_values():
    import_examples()
    content = (
        "brin,vestiging,name,school_type,partnership_code,municipality_code\n88AQ,00,X,lyceum,PO0801,GM0801\n"
    )
    report = import_file("schools", "schools.csv", content.encode())
    [error] = [e for e in report.errors if e.column == "school_type"]
    assert "lyceum" in error.message and "geldige waarden: po (" in error.message
    for value in ("so", "vso", "vo"):
        assert f" {value} (" in error.message
