"""Browser journey: the registry administrator onboards accounts with the users sheet
(ADR 0148), in Debian's Chromium, axe-core on the error and the preview states."""

import re

import pytest
from playwright.sync_api import expect

from contacts.models import Invitation, Membership, User
from contacts.services import INVITATION_EMAIL_TASK
from portal.models import OutboxMessage
from tests.helpers.browser import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "email,name,organisation,role\n"
IB = "ilse.ib@example.test,Ilse de IB-er,91AA00,school_coordinator\n"
TEAM = "wim.wijkteam@example.test,Wim Wijkteam,GM0901:Wijkteam Aan,district_worker\n"
BAD = "kees.kapot@example.test,Kees Kapot,GM0901,school_coordinator\n"  # a municipality, not a school


def upload(page, path):
    page.get_by_label("Wat staat er in het bestand").select_option(
        label="Accounts (gebruikers en hun rollen)"
    )
    page.get_by_label(re.compile(r"^Bestand")).set_input_files(str(path))
    page.get_by_role("button", name="Bestand controleren").click()


def test_registry_admin_onboards_accounts_after_fixing_a_bad_row(page, live_server, world, tmp_path):
    path = tmp_path / "gebruikers.csv"
    path.write_text(HEADER + IB + TEAM + BAD, encoding="utf-8")
    accounts = User.objects.count()
    login(page, live_server, "registry_admin@example.test")
    page.goto(f"{live_server.url}/netwerk/import/")
    upload(page, path)
    expect(page.get_by_role("alert")).to_contain_text("1 fout")
    errors = page.get_by_role("table", name="Fouten in het bestand")
    expect(errors.locator("tbody th")).to_have_text(["4"])
    assert not Invitation.objects.exists() and not OutboxMessage.objects.filter(task=INVITATION_EMAIL_TASK)
    expect(errors).to_contain_text("role")
    expect(errors).to_contain_text("hoort bij een school, maar “GM0901” is een gemeente")
    expect(page.get_by_role("button", name="Import bevestigen")).to_have_count(0)
    assert User.objects.count() == accounts
    assert_no_axe_violations(page)

    path.write_text(HEADER + IB + TEAM + BAD.replace("GM0901,", "91BB00,"), encoding="utf-8")
    upload(page, path)
    expect(page.get_by_role("status").filter(has_text="toe te voegen")).to_contain_text("3 toe te voegen")
    added = page.get_by_role("table", name="3 rijen toevoegen")
    expect(added.locator("tbody th")).to_have_text(
        ["ilse.ib@example.test", "wim.wijkteam@example.test", "kees.kapot@example.test"]
    )
    expect(added).to_contain_text(
        "Ilse de IB-er, nieuw account: intern begeleider (IB-er) bij Basisschool Aan"
    )
    expect(page.get_by_text("stuurt elk daarvan een uitnodiging")).to_be_visible()
    assert User.objects.count() == accounts  # the preview writes nothing
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Import bevestigen").click()
    expect(page.locator(".tandem-messages")).to_contain_text("3 toegevoegd")
    assert_no_axe_violations(page)
    assert User.objects.count() == accounts + 3
    assert Membership.objects.get(user__email="kees.kapot@example.test").school == world.other_school
    # The three invitations are queued in the outbox, one e-mail each.
    invitations = Invitation.objects.filter(
        membership__user__email__in=[
            "ilse.ib@example.test",
            "wim.wijkteam@example.test",
            "kees.kapot@example.test",
        ]
    )
    assert invitations.count() == 3
    queued = OutboxMessage.objects.filter(task=INVITATION_EMAIL_TASK)
    invited = sorted(invitations.values_list("pk", flat=True))
    assert sorted(m.kwargs["invitation_id"] for m in queued) == invited
