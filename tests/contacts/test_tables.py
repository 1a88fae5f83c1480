"""contacts.tables writes the account list's rows in Python: the same markup as the template
that wrote them before (its row is kept below as the reference), for every kind of account, in
English and in Dutch."""

import datetime

import pytest
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from contacts import selectors
from contacts.models import Membership, Role
from contacts.tables import account_row_html, account_rows_html
from tests.contacts import factories as f
from tests.helpers.rows import assert_written_as_template

pytestmark = pytest.mark.django_db

# The row as templates/contacts/accounts.html wrote it with the template language.
TEMPLATE_ROW = """{% load i18n %}<tr class="utrecht-table__row">
    <th scope="row" class="utrecht-table__header-cell"><a class="utrecht-link" href="{% url 'contacts:account_detail' account.pk %}">{{ account.full_name|default:account.email }}</a></th>
    <td class="utrecht-table__cell">{{ account.email }}</td>
    <td class="utrecht-table__cell">{% for m in account.region_memberships %}{{ m.get_role_display }} — {{ m.organisation }}{% if not forloop.last %}<br>{% endif %}{% empty %}{% translate "none (only ended roles)" %}{% endfor %}</td>
    <td class="utrecht-table__cell">{% if account.is_active %}{% translate "yes" %}{% else %}{% translate "no (deactivated)" %}{% endif %}</td>
    <td class="utrecht-table__cell">{% if account.has_two_factor %}{% translate "set up" %}{% else %}{% translate "not set up" %}{% endif %}</td>
    <td class="utrecht-table__cell">{% if account.last_login %}{{ account.last_login|date:"DATE_FORMAT" }}{% else %}{% translate "never" %}{% endif %}</td>
    <td class="utrecht-table__cell">{% if account.invitation_state == "pending" %}<span class="utrecht-status-badge utrecht-status-badge--warning">{% blocktranslate with date=account.invitation_expires_at|date:"DATE_FORMAT" %}pending until {{ date }}{% endblocktranslate %}</span>{% elif account.invitation_state == "expired" %}<span class="utrecht-status-badge utrecht-status-badge--danger">{% blocktranslate with date=account.invitation_expires_at|date:"DATE_FORMAT" %}expired on {{ date }}{% endblocktranslate %}</span>{% else %}—{% endif %}</td>
  </tr>"""  # noqa: E501 - the template's own lines


def _accounts(world):
    """Accounts of every kind: pending, expired and accepted invitations; without a name, with
    markup in the name and in the school's name; deactivated; with two-step verification; with
    a last login; with two roles and with only an ended one."""
    now = timezone.now()
    ib = world.user("school_coordinator")
    ib.full_name = "Sem <b>van</b> 't Hof"
    ib.last_login = now - datetime.timedelta(days=3)
    ib.save()
    f.invite(ib.memberships.get(), days=5, invited_days_ago=8, emailed=False)
    other = world.user("other_school_coordinator")
    other.full_name = ""
    other.is_active = False
    other.save()
    f.invite(other.memberships.get(), days=-2, invited_days_ago=8, emailed=False)
    worker = world.user("district_worker")
    f.invite(worker.memberships.get(), days=-20, accepted=True, emailed=False)
    TOTPDevice.objects.create(user=worker, name="app", confirmed=True)
    world.school.name = 'Basisschool <De "Bron"> & O\'Brien'
    world.school.save()
    Membership.objects.create(user=worker, role=Role.SCHOOL_COORDINATOR, school=world.school)
    ended = f.make_member(Role.SCHOOL_COORDINATOR, world.school, email="oud@example.test")
    ended.memberships.update(ended_on=timezone.localdate() - datetime.timedelta(days=1))
    return list(selectors.accounts(world.user("registry_admin")))


@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_kind_of_account_is_written_as_the_template_wrote_it(world, language):
    accounts = _accounts(world)
    assert len(accounts) >= 5
    assert {a.invitation_state for a in accounts} == {"pending", "expired", "none"}
    with translation.override(language):
        assert_written_as_template(
            TEMPLATE_ROW, accounts, "account", account_row_html, lambda a: f"/netwerk/accounts/{a.pk}/"
        )
        # The links of the rows, each its own account's.
        written = str(account_rows_html(accounts))
    assert all(f"/netwerk/accounts/{a.pk}/" in written for a in accounts)
    assert "<b>" not in written and "&lt;b&gt;van&lt;/b&gt; &#x27;t Hof" in written
    assert "&lt;De &quot;Bron&quot;&gt; &amp; O&#x27;Brien" in written
