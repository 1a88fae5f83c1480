"""Small-number suppression for everything that leaves the database (docs/adr/0070).

Primary: a count of 1–4 is shown as "<5". Secondary: in a group of cells that add up to a
published total, the hidden cells must together hold at least SECONDARY_MIN_HIDDEN, otherwise
the smallest visible non-zero cells are hidden too (shown as "x"), one by one; when no cell is
left to hide, the total is hidden as well. So no hidden cell can be recomputed from a total or a
complement.
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
    cells are not additive, e.g. several domains per referral). Returns (cells, total_cell)."""
    counts = [int(n or 0) for _k, _l, n in items]
    hidden = {i for i, n in enumerate(counts) if is_small(n)}
    secondary = set()
    total_hidden = False
    if total is not None and hidden:
        hidden_sum = sum(counts[i] for i in hidden)
        candidates = sorted((i for i, n in enumerate(counts) if n >= THRESHOLD), key=lambda i: (counts[i], i))
        while hidden_sum < SECONDARY_MIN_HIDDEN and candidates:
            i = candidates.pop(0)
            secondary.add(i)
            hidden_sum += counts[i]
        if hidden_sum < SECONDARY_MIN_HIDDEN:
            total_hidden = True
    cells = []
    for i, (key, label, _n) in enumerate(items):
        if i in hidden:
            cells.append(Cell(key, label, None, SMALL))
        elif i in secondary:
            cells.append(Cell(key, label, None, HIDDEN))
        else:
            cells.append(Cell(key, label, counts[i], fmt_count(counts[i])))
    total_cell = None
    if total is not None:
        total_cell = primary("total", "", total)
        if total_hidden and not total_cell.hidden:
            total_cell = Cell("total", "", None, HIDDEN)
    return cells, total_cell
