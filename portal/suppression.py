"""Small-number suppression for everything that leaves the database (docs/adr/0070).

One rule for every page and export that shows a count derived from referrals: the dashboard,
the progress report and its exports (reporting) and the work agenda's live indicators (agenda);
it lives on the ground floor so both can import it (ADR 0099).

Primary: a count of 1–4 is shown as "<5". Secondary: in a group of cells that add up to a
published total, subtracting the visible cells from the total must never give back a hidden
cell. So the hidden cells of such a group must include at least one complementary cell ("x")
and together hold at least SECONDARY_MIN_HIDDEN; the smallest visible non-zero cells are hidden
one by one until they do. When the group is too small for that, every non-zero cell of the group
is shown as "x", so a reader cannot tell which cell is the small one.
"""

from dataclasses import dataclass

from django.utils.formats import number_format

THRESHOLD = 5
SECONDARY_MIN_HIDDEN = 10
SMALL = "<5"
HIDDEN = "x"


@dataclass
class Cell:
    key: str
    label: str
    value: int | None  # None when hidden: the real number never leaves this module
    display: str

    @property
    def hidden(self):
        return self.value is None


def fmt_count(n):
    return number_format(n, decimal_pos=0, force_grouping=True)


def is_small(n):
    return 0 < n < THRESHOLD


def primary(key, label, n):
    n = int(n or 0)
    if is_small(n):
        return Cell(key, label, None, SMALL)
    return Cell(key, label, n, fmt_count(n))


def suppress_group(items, total=None):
    """items: [(key, label, count)]; total: the published total of the group (or None when the
    cells are not additive, e.g. several domains per referral). Returns (cells, total_cell).

    The total is shown (primary suppression only): it is public anyway as a headline figure or
    as the sum of another breakdown, so the protection goes into the cells."""
    counts = [int(n or 0) for _k, _l, n in items]
    primary_hidden = {i for i, n in enumerate(counts) if is_small(n)}
    secondary = set()
    if total is not None and primary_hidden:
        hidden_sum = sum(counts[i] for i in primary_hidden)
        candidates = sorted((i for i, n in enumerate(counts) if n >= THRESHOLD), key=lambda i: (counts[i], i))
        while (hidden_sum < SECONDARY_MIN_HIDDEN or not secondary) and candidates:
            i = candidates.pop(0)
            secondary.add(i)
            hidden_sum += counts[i]
        if hidden_sum < SECONDARY_MIN_HIDDEN or not secondary:
            # Too small a group to protect the small cells by hiding others: hide every non-zero
            # cell alike, so "x" no longer tells that a cell is 5 or more.
            secondary = {i for i, n in enumerate(counts) if n > 0}
            primary_hidden = set()
    cells = []
    for i, (key, label, _n) in enumerate(items):
        if i in secondary:
            cells.append(Cell(key, label, None, HIDDEN))
        elif i in primary_hidden:
            cells.append(Cell(key, label, None, SMALL))
        else:
            cells.append(Cell(key, label, counts[i], fmt_count(counts[i])))
    total_cell = primary("total", "", total) if total is not None else None
    return cells, total_cell
