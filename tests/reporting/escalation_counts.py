"""The report's escalation figures (reporting.figures, the one source) as plain numbers.

Small-number suppression is switched off while they are computed, so a test can pin exact
counts of a handful of escalations; the suppression itself is tested in test_figures.py and
test_summaries.py. The numbers come from the tables a reader sees: the same SQL, the same
working days.
"""

from contextlib import contextmanager
from unittest import mock

from django.utils.translation import gettext as _

from escalations.models import CarriedBy, EscalationReason
from reporting import figures
from reporting.suppression import Cell, fmt_count


def _shown(key, label, n):
    n = int(n or 0)
    return Cell(key, label, n, fmt_count(n))


def _shown_group(items, total=None):
    cells = [_shown(key, label, n) for key, label, n in items]
    return cells, _shown("total", "", total) if total is not None else None


@contextmanager
def unsuppressed():
    with (
        mock.patch.object(figures, "primary", _shown),
        mock.patch.object(figures, "suppress_group", _shown_group),
        mock.patch.object(figures, "THRESHOLD", 1),
    ):
        yield


def _number(display):
    return int(display.replace(".", ""))


def _days(display):
    return None if display == "—" else float(display.replace(",", "."))


def escalation_counts(period, scope):
    """{"total", "decided", "open", "by_reason": {code: n}, "by_outcome": {code: n},
    "median_working_days"} of the report for `period` ("2026-H1") and `scope`."""
    with unsuppressed():
        computed = figures.compute_figures(period, scope)
    reasons = {str(label): code for code, label in EscalationReason.choices}
    outcomes = {str(label): code for code, label in CarriedBy.choices}
    undecided = _("no decision yet")
    by_reason = {reasons[row[0]]: _number(row[1]) for row in computed.table("escalation_reason").rows}
    outcome_rows = {row[0]: _number(row[1]) for row in computed.table("escalation_outcome").rows}
    days = computed.table("escalation_days").rows[0]
    total = next(k for k in computed.key_figures if k.label == _("Escalations raised"))
    return {
        "total": _number(total.display),
        "decided": _number(days[1]),
        "open": outcome_rows.get(undecided, 0),
        "by_reason": by_reason,
        "by_outcome": {outcomes[label]: n for label, n in outcome_rows.items() if label != undecided},
        "median_working_days": _days(days[2]),
    }
