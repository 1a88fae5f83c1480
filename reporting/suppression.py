"""Small-number suppression (ADR 0070) lives in portal/suppression.py, the ground floor, so the
work agenda's live indicators (agenda, below reporting) use the very same rule (ADR 0099).
The reporting app's figures import it from here as they always did."""

from portal.suppression import (
    HIDDEN,
    SECONDARY_MIN_HIDDEN,
    SMALL,
    THRESHOLD,
    Cell,
    fmt_count,
    is_small,
    primary,
    suppress_group,
)

__all__ = [
    "HIDDEN",
    "SECONDARY_MIN_HIDDEN",
    "SMALL",
    "THRESHOLD",
    "Cell",
    "fmt_count",
    "is_small",
    "primary",
    "suppress_group",
]
