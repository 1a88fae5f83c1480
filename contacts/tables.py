"""The rows of the account list, written in Python: as template code (a loop over each
account's roles, a dozen lookups and two translated badges a row) they were most of the page's
rendering (ADR 0177, bench/FINDINGS.md). The same markup, escaped the same way
(tests/contacts/test_tables.py compares it with the row the template wrote); the table, its
caption and head stay in templates/contacts/accounts.html."""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from portal.choices import choice_label
from portal.markup import Link, date_text, esc


def _roles(account):
    shown = [f"{esc(choice_label(m, 'role'))} — {esc(m.organisation)}" for m in account.region_memberships]
    return "<br>".join(shown) if shown else esc(_("none (only ended roles)"))


def _invitation(account):
    # As {% blocktranslate %}: the date escaped, the translation itself written as it is.
    if account.invitation_state == "pending":
        text = _("pending until %(date)s") % {"date": esc(date_text(account.invitation_expires_at))}
        return f'<span class="utrecht-status-badge utrecht-status-badge--warning">{text}</span>'
    if account.invitation_state == "expired":
        text = _("expired on %(date)s") % {"date": esc(date_text(account.invitation_expires_at))}
        return f'<span class="utrecht-status-badge utrecht-status-badge--danger">{text}</span>'
    return "—"


def account_row_html(account, detail_url):
    """One account of contacts.selectors.accounts (its `region_memberships` prefetched with
    their organisations, `has_two_factor`, `invitation_state` and `invitation_expires_at`)."""
    cells = [
        esc(account.email),
        _roles(account),
        esc(_("yes") if account.is_active else _("no (deactivated)")),
        esc(_("set up") if account.has_two_factor else _("not set up")),
        esc(date_text(account.last_login)) if account.last_login else esc(_("never")),
        _invitation(account),
    ]
    tds = "".join(f'<td class="utrecht-table__cell">{cell}</td>' for cell in cells)
    link = f'<a class="utrecht-link" href="{esc(detail_url)}">{esc(account.full_name or account.email)}</a>'
    head = f'<th scope="row" class="utrecht-table__header-cell">{link}</th>'
    return f'<tr class="utrecht-table__row">{head}{tds}</tr>'


def account_rows_html(accounts):
    detail = Link("contacts:account_detail")
    rows = (account_row_html(a, detail(a.pk)) for a in accounts)
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped where it is written
