"""The users sheet of the registry import (ADR 0148): accounts and their roles, all or nothing,
idempotent, every error by row and column, only in the importing administrator's region."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.models import Invitation, Membership, Role, User
from contacts.registry_import import USER_COLUMNS, import_file
from contacts.services import INVITATION_EMAIL_TASK
from portal.models import OutboxMessage
from tests.contacts import factories as f

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
HEADER = "email,name,organisation,role\n"
GOOD = (
    HEADER + "ilse.ib@example.test,Ilse de IB-er,91AA00,school_coordinator\n"
    "wim.wijkteam@example.test,Wim Wijkteam,GM0901:Wijkteam Aan,district_worker\n"
    # An existing account gets one more role: a new membership, not a new account.
    "school_coordinator@example.test,Sanne School,91BB00,school_coordinator\n"
    "bea.beleid@example.test,Bea Beleid,GM0902,municipal_officer\n"
    "dirk.directeur@example.test,Dirk Directeur,PO0901,partnership_director\n"
    "stef.stuurgroep@example.test,Stef Stuurgroep,TST,steering_member\n"
)


def state():
    return (
        sorted(User.objects.values_list("email", "full_name", "password", "is_active")),
        sorted(Invitation.objects.values_list("membership_id", "times_sent")),
        OutboxMessage.objects.filter(task=INVITATION_EMAIL_TASK).count(),
        sorted(
            Membership.objects.values_list(
                "user__email", "role", "school", "district_team", "municipality", "partnership", "region"
            )
        ),
    )


def users_import(world, content, commit=True, filename="users.csv", actor=None):
    actor = actor or world.user("registry_admin")
    data = content.encode() if isinstance(content, str) else content
    return import_file("users", filename, data, commit=commit, actor=actor)


def test_preview_writes_nothing_and_confirm_adds_accounts_and_roles(world):
    before = state()
    preview = users_import(world, GOOD, commit=False)
    assert preview.ok, [str(e) for e in preview.errors]
    assert (preview.added, preview.changed, preview.unchanged) == (6, 0, 0)
    assert [(r.row, r.key) for r in preview.added_rows][:3] == [
        (2, "ilse.ib@example.test"),
        (3, "wim.wijkteam@example.test"),
        (4, "school_coordinator@example.test"),
    ]
    assert "nieuw account" in preview.added_rows[0].label
    assert "Basisschool Aan" in preview.added_rows[0].label
    assert "bestaand account" in preview.added_rows[2].label
    assert state() == before

    report = users_import(world, GOOD)
    assert report.written and report.added == 6
    ilse = User.objects.get(email="ilse.ib@example.test")
    assert ilse.full_name == "Ilse de IB-er" and not ilse.has_usable_password()
    # Each new account and each new role is invited, the e-mail queued in the outbox.
    invited = Invitation.objects.values_list("membership__user__email", "membership__role")
    assert sorted(invited) == sorted(
        (line.split(",")[0], line.split(",")[3]) for line in GOOD.splitlines()[1:]
    )
    messages = OutboxMessage.objects.filter(task=INVITATION_EMAIL_TASK)
    assert sorted(m.kwargs["invitation_id"] for m in messages) == sorted(
        Invitation.objects.values_list("pk", flat=True)
    )
    assert ilse.memberships.get().school == world.school
    assert (
        Membership.objects.get(user__email="wim.wijkteam@example.test").district_team == world.district_team
    )
    existing = world.user("school_coordinator")
    assert set(existing.memberships.values_list("school", flat=True)) == {
        world.school.pk,
        world.other_school.pk,
    }
    assert User.objects.get(pk=existing.pk).full_name == existing.full_name  # keeps its own name


def test_importing_the_same_file_twice_changes_nothing_the_second_time(world):
    assert users_import(world, GOOD).written
    first = state()
    again = users_import(world, GOOD)
    assert again.written and (again.added, again.unchanged) == (0, 6)
    assert state() == first  # no account, role, invitation or queued e-mail more
    assert Invitation.objects.count() == 6


def test_a_bad_row_imports_nothing_then_the_good_file_imports(world):
    before = state()
    bad = GOOD + "kapot-adres,Kapot,91AA00,school_coordinator\n"
    report = users_import(world, bad)
    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(8, "email")]
    assert state() == before
    assert users_import(world, GOOD).written
    assert User.objects.filter(email="ilse.ib@example.test").exists()


@pytest.mark.parametrize(
    "rows,row,column,fragment",
    [
        ("kapot@,Kapot,91AA00,school_coordinator\n", 2, "email", "geen geldig e-mailadres"),
        (",Leeg,91AA00,school_coordinator\n", 2, "email", "verplicht"),
        ("a@example.test,,91AA00,school_coordinator\n", 2, "name", "verplicht"),
        ("a@example.test,A,99ZZ00,school_coordinator\n", 2, "organisation", "99ZZ00"),
        ("a@example.test,A,GM0901:Bestaat niet,district_worker\n", 2, "organisation", "Bestaat niet"),
        ("a@example.test,A,,school_coordinator\n", 2, "organisation", "verplicht"),
        ("a@example.test,A,91AA00,directeur\n", 2, "role", "school_coordinator ("),
        ("a@example.test,A,GM0901,school_coordinator\n", 2, "role", "een gemeente"),
        ("a@example.test,A,91AA00,steering_member\n", 2, "role", "een regio"),
        ("a@example.test,A,81AA00,school_coordinator\n", 2, "organisation", "buiten uw regio"),
        ("a@example.test,A,ELD,steering_member\n", 2, "organisation", "buiten uw regio"),
        (
            "a@example.test,A,91AA00,school_coordinator\nA@example.test,A,91AA00,school_coordinator\n",
            3,
            "email, role, organisation",
            "als regel 8",
        ),
        (
            "a@example.test,A,91AA00,school_coordinator\n"
            "a@example.test,B,GM0901:Wijkteam Aan,district_worker\n",
            3,
            "name",
            "regel 8 geeft",
        ),
        ("a@example.test,A\x00B,91AA00,school_coordinator\n", 2, "name", "NUL"),
    ],
)
def test_each_error_names_row_and_column_and_nothing_is_written(world, rows, row, column, fragment):
    abroad = world.abroad  # the other region ELD and its school 81AA00
    assert (abroad.region.code, abroad.school.brin) == ("ELD", "81AA")
    before = state()
    report = users_import(world, GOOD + rows)
    assert not report.written
    row += 6  # after the good file's six rows
    matching = [e for e in report.errors if e.row == row and e.column == column]
    assert matching, [str(e) for e in report.errors]
    assert fragment in matching[0].message, matching[0].message
    assert str(matching[0]).startswith(f"users.csv, regel {row}, kolom “{column}”: ")
    assert state() == before


def test_a_missing_or_unknown_column_is_named():
    report = import_file("users", "users.csv", b"email,naam,organisation,role\n", actor=None)
    assert {(e.row, e.column) for e in report.errors} == {(1, "name"), (1, "naam")}


def test_an_xlsx_users_sheet_is_read(world):
    book = openpyxl.Workbook()
    book.active.append(list(USER_COLUMNS))
    book.active.append(["Ilse.IB@Example.test", "Ilse de IB-er", "91AA00", "school_coordinator"])
    data = io.BytesIO()
    book.save(data)
    report = users_import(world, data.getvalue(), filename="users.xlsx")
    assert report.written, [str(e) for e in report.errors]
    assert User.objects.filter(email="ilse.ib@example.test").exists()


def test_accounts_are_added_only_where_the_importer_is_registry_administrator(world):
    """A registry administrator who also works as an IB-er in another region does not onboard
    accounts there: the preview refuses the row, as the invitation would (ADR 0135)."""
    admin = world.user("registry_admin")
    Membership.objects.create(user=admin, role=Role.SCHOOL_COORDINATOR, school=world.abroad.school)
    before = state()
    report = users_import(world, HEADER + "a@example.test,A,81AA00,school_coordinator\n", actor=admin)
    assert [(e.row, e.column) for e in report.errors] == [(2, "organisation")]
    assert "buiten uw regio" in report.errors[0].message
    assert state() == before


def test_the_command_needs_the_administrator_and_imports_as_them(world, tmp_path):
    path = tmp_path / "users.csv"
    path.write_text(GOOD)
    with pytest.raises(CommandError, match="--as"):
        call_command("import_registry", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_registry", str(path), actor="registry_admin@example.test", stdout=out)
    assert "6 added" in out.getvalue()
    assert User.objects.filter(email="ilse.ib@example.test").exists()


def test_the_example_file_onboards_accounts_in_the_demo_region_twice_the_same(client):
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(email="beheer@demo.tandem.test"))

    def web_import():
        upload = SimpleUploadedFile(
            "users.csv", (EXAMPLES / "users.csv").read_bytes(), content_type="text/csv"
        )
        response = client.post(reverse("contacts:import"), {"kind": "users", "file": upload})
        report = response.context["report"]
        assert report.ok, [str(e) for e in report.errors]
        token = str(response.context["pending"].token)
        assert client.post(reverse("contacts:import_confirm"), {"token": token}).status_code == 302
        return report

    first = web_import()
    assert first.added >= 4 and not first.unchanged
    snapshot = state()
    again = web_import()
    assert not again.added and again.unchanged == first.added
    assert state() == snapshot


def test_users_columns_are_documented():
    doc = (EXAMPLES.parent / "registry-import.md").read_text()
    assert "### `users`" in doc
    for column in USER_COLUMNS:
        assert f"`{column}`" in doc
    for role in Role.values:
        assert f"`{role}`" in doc


def test_checking_the_sheet_takes_the_same_queries_for_3_or_300_rows(world):
    """A region's 300 IB-ers at a handful of schools: organisations are looked up once per key
    and accounts and roles in one query each for the whole file."""

    def queries(n):
        rows = "".join(
            f"ib{i}@example.test,IB-er {i},{('91AA00', '91BB00', 'GM0901:Wijkteam Aan')[i % 3]},"
            f"{('school_coordinator', 'school_coordinator', 'district_worker')[i % 3]}\n"
            for i in range(n)
        )
        actor = User.objects.get(pk=world.user("registry_admin").pk)
        with CaptureQueriesContext(connection) as ctx:
            report = users_import(world, HEADER + rows, commit=False, actor=actor)
        assert report.ok and report.added == n, [str(e) for e in report.errors]
        return len(ctx.captured_queries)

    assert queries(3) == queries(300) == 5


def test_an_invitation_refused_on_confirm_names_its_row_and_rolls_back_every_row(world):
    """The invitation service has the last word (a switched-off account); its refusal is an error
    of that row, and the rows before it are not written either."""
    off = f.UserFactory(email="uit@example.test", is_active=False)
    off.set_password("correct-horse-battery")
    off.save()
    content = GOOD + "uit@example.test,Uit Gezet,91AA00,school_coordinator\n"
    assert users_import(world, content, commit=False).ok  # the check cannot know
    before = state()
    report = users_import(world, content)
    assert not report.written and not report.added
    assert [(e.row, e.column) for e in report.errors] == [(8, "email")]
    assert "uitgezet" in report.errors[0].message
    assert state() == before


def test_an_account_stored_with_capitals_is_matched_whatever_the_case(world):
    User.objects.filter(pk=world.user("school_coordinator").pk).update(
        email="School_Coordinator@Example.test"
    )
    content = HEADER + "school_coordinator@example.test,Sanne School,91AA00,school_coordinator\n"
    report = users_import(world, content)
    assert report.written and (report.added, report.unchanged) == (0, 1)
    assert not Invitation.objects.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(st.text(max_size=16), min_size=4, max_size=4), max_size=4))
def test_arbitrary_users_rows_never_crash_and_write_nothing_on_error(world, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(USER_COLUMNS)
    writer.writerows(rows)
    before = state()
    report = users_import(world, out.getvalue().encode("utf-8", "surrogatepass"))
    if report.errors:
        assert state() == before
        assert all(e.row >= 1 for e in report.errors)
