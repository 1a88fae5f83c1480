"""Permission matrix rows for escalations and the precedent library (ADR 0002, 0060, 0061).

A director of another SWV or an officer of another municipality sees nothing: 404."""

from django.urls import reverse

from escalations.models import Precedent
from tests.escalations.fixtures import (
    decided_escalation,
    escalatable_referral_in,
    open_escalation,
    published_precedent,
)
from tests.helpers.matrix import LIST, NATIONAL, Case

PARTIES = {"school_coordinator": 200, "district_worker": 200}
DECIDERS = {"partnership_director": 200, "municipal_officer": 200}
FOREIGN_404 = {
    "other_school_coordinator": 404,
    "other_district_worker": 404,
    "other_partnership_director": 404,
    "other_municipal_officer": 404,
    "steering_member": 404,
    "registry_admin": 404,
    "privacy_officer": 404,
}
INBOX = {
    **PARTIES,
    **DECIDERS,
    "other_school_coordinator": 200,
    "other_district_worker": 200,
    "other_partnership_director": 200,
    "other_municipal_officer": 200,
}
LIBRARY = {**INBOX, "steering_member": 200}


def _detail(w):
    return reverse("escalations:detail", args=[open_escalation(w).pk])


def _decided_detail(w):
    return reverse("escalations:detail", args=[decided_escalation(w).pk])


def _position(w):
    return reverse("escalations:position", args=[open_escalation(w).pk])


def _decide(w):
    return reverse("escalations:decide", args=[open_escalation(w).pk])


def _decide_decided(w):
    return reverse("escalations:decide", args=[decided_escalation(w).pk])


def _raise(w):
    return reverse("escalations:raise", args=[escalatable_referral_in(w, "submitted").uuid])


def _published(w):
    return reverse(
        "escalations:precedent",
        args=[published_precedent(w.user("partnership_director"), partnership=w.partnership).pk],
    )


def _draft(w):
    return Precedent.objects.get(decision__escalation=decided_escalation(w))


def _inbox_seed(w):
    return [_detail(w), _decided_detail(w)]


def _library_seed(w):
    published_precedent(w.user("partnership_director"), partnership=w.partnership)
    return []


# The precedent library is national and anonymised; each precedent shows its region, drafts
# stay with the deciders of their own region (ADR 0147).
CASES = [
    Case(
        "escalations:inbox",
        lambda w: reverse("escalations:inbox"),
        expect=INBOX,
        region=LIST,
        seed=_inbox_seed,
    ),
    Case("escalations:detail", _detail, expect={**PARTIES, **DECIDERS, **FOREIGN_404}),
    Case(
        "escalations:detail", _decided_detail, expect={**PARTIES, **DECIDERS, **FOREIGN_404}, label="decided"
    ),
    Case(
        "escalations:position",
        _position,
        expect={"district_worker": 200, "school_coordinator": 403, **FOREIGN_404},
    ),
    Case(
        "escalations:position",
        _position,
        method="post",
        data=lambda w: {"position": ""},
        expect={"district_worker": 200, "school_coordinator": 403, **FOREIGN_404},
        label="invalid",
    ),
    Case("escalations:decide", _decide, expect={**DECIDERS, **FOREIGN_404}),
    Case(
        "escalations:decide",
        _decide,
        method="post",
        data=lambda w: {"help": ""},
        expect={**DECIDERS, **FOREIGN_404},
        label="invalid",
    ),
    Case("escalations:decide", _decide_decided, expect=FOREIGN_404, label="decided"),
    Case(
        "escalations:raise",
        _raise,
        expect={**PARTIES, "other_school_coordinator": 404, "other_district_worker": 404},
    ),
    Case(
        "escalations:raise",
        _raise,
        method="post",
        data=lambda w: {"reason": "grey_funding", "position": ""},
        expect={**PARTIES, "other_school_coordinator": 404, "other_district_worker": 404},
        label="invalid",
    ),
    Case(
        "escalations:precedents",
        lambda w: reverse("escalations:precedents"),
        expect=LIBRARY,
        region=NATIONAL,
        seed=_library_seed,
    ),
    Case("escalations:precedent", _published, expect=LIBRARY, region=NATIONAL),
    Case(
        "escalations:precedent",
        lambda w: reverse("escalations:precedent", args=[_draft(w).pk]),
        expect={**DECIDERS, **{k: 404 for k in LIBRARY if k not in DECIDERS}},
        label="draft",
    ),
    Case(
        "escalations:precedent_edit",
        lambda w: reverse("escalations:precedent_edit", args=[_draft(w).pk]),
        expect={**DECIDERS, **{k: 404 for k in LIBRARY if k not in DECIDERS}},
        label="draft",
    ),
    Case(
        "escalations:precedent_edit",
        lambda w: reverse(
            "escalations:precedent_edit",
            args=[published_precedent(w.user("partnership_director"), partnership=w.partnership).pk],
        ),
        expect={k: 403 for k in LIBRARY},
        label="published",
        region=NATIONAL,
    ),
]
