"""What the one-page referral form posts (ADR 0163): the draft's fields of a referral as they
are, the management forms of its formsets, and whatever a test adds."""

from referrals.forms import ATTACHMENTS, CONSENTS, GUARDIANS
from referrals.services import DRAFT_FIELDS


def management(prefix, total=1):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "10",
    }


def one_page_data(referral=None, fields=None, **extra):
    """The POST of "Save draft": `referral`'s saved answers (or `fields`), empty sub-form rows,
    then `extra` (e.g. "guardians-0-name")."""
    data = {}
    if referral is not None:
        for name in DRAFT_FIELDS:
            value = getattr(referral, f"{name}_id" if name in ("school", "home_municipality") else name)
            if value is None:
                continue
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
        data["domains"] = list(referral.domains.values_list("domain", flat=True))
    data.update(fields or {})
    for prefix in (GUARDIANS, CONSENTS, ATTACHMENTS):
        data.update(management(prefix))
    # The browser posts an untouched row's initial values: "holds custody" is ticked at first.
    data[f"{GUARDIANS}-0-has_custody"] = "on"
    data.update(extra)
    return data
