"""Permission matrix rows for escalations and the precedent library (ADR 0002, 0060, 0061).

A director of another SWV or an officer of another municipality sees nothing: 404."""

from django.urls import reverse

from contacts.models import Role
from escalations import services
from escalations.models import Precedent
from tests.contacts import factories as cf
from tests.escalations.fixtures import (
    decided_escalation,
    escalatable_referral_in,
    named_mediator,
    open_escalation,
    open_mediation,
    published_precedent,
)
from tests.helpers.matrix import LIST, NATIONAL, NONE, Case

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


def _ask_mediator(w):
    named_mediator(w)
    return reverse("escalations:ask_mediator", args=[escalatable_referral_in(w, "in_triage").uuid])


def _mediation(w):
    return reverse("escalations:mediation", args=[open_mediation(w).pk])


def _end_mediator(w):
    return reverse("escalations:mediator_end", args=[named_mediator(w).pk])


def _end_foreign_mediator(w):
    """A mediator of another region: its registry administrator's, not ours (ADR 0123)."""
    region = cf.RegionFactory(code="VRR", name="Verre regio")
    admin = cf.make_member(Role.REGISTRY_ADMIN, region, email="verbeheer@example.test")
    person = cf.make_member(Role.STEERING_MEMBER, region, email="verbemiddelaar@example.test")
    mediator = services.name_mediator(admin, region=region, mediator_user=person)
    return reverse("escalations:mediator_end", args=[mediator.pk])


# Mediation (ADR 0149): the parties and the mediator (the world's steering member) see it; the
# mediator records the outcome; everyone else finds nothing.
MEDIATION_FOREIGN = {**FOREIGN_404, "steering_member": 200}
MEDIATION_FOREIGN.update({"partnership_director": 404, "municipal_officer": 404})


def _my_mediations(w):
    """The world's steering member is asked to mediate: their list shows it."""
    open_mediation(w)
    return reverse("escalations:my_mediations")


def _my_mediations_seed(w):
    """Our mediator's mediation; the other region's steering member is named mediator of their
    own region, so their (200) list must not show ours (ADR 0123)."""
    named_mediator(w.abroad)
    return [open_mediation(w).referral.reference]


def _inbox_seed(w):
    return [_detail(w), _decided_detail(w)]


def _library_seed(w):
    published_precedent(w.user("partnership_director"), partnership=w.partnership)
    return []


# The precedent library is national and anonymised; each precedent shows its region, drafts
# stay with the deciders of their own region (ADR 0147).
CASES = [
    Case(
        "escalations:mediators",
        lambda w: reverse("escalations:mediators"),
        expect={"registry_admin": 200},
        region=LIST,
        seed=lambda w: [named_mediator(w).user.full_name],
    ),
    Case(
        "escalations:mediators",
        lambda w: reverse("escalations:mediators"),
        method="post",
        data=lambda w: {"region": str(w.region.pk), "user": "\x00"},
        expect={"registry_admin": 200},
        label="invalid",
        region=NONE,
    ),
    Case(
        "escalations:mediator_end",
        _end_mediator,
        method="post",
        data=lambda w: {},
        expect={"registry_admin": 302},
    ),
    Case(
        "escalations:mediator_end",
        _end_foreign_mediator,
        method="post",
        data=lambda w: {},
        expect={"registry_admin": 404},
        label="foreign region",
    ),
    Case(
        "escalations:ask_mediator",
        _ask_mediator,
        expect={**PARTIES, "other_school_coordinator": 404, "other_district_worker": 404},
    ),
    Case(
        "escalations:ask_mediator",
        _ask_mediator,
        method="post",
        data=lambda w: {"question": ""},
        expect={**PARTIES, "other_school_coordinator": 404, "other_district_worker": 404},
        label="invalid",
    ),
    # A mediator's own list (ADR 0162): whoever is or was named mediator; nobody else.
    Case(
        "escalations:my_mediations",
        _my_mediations,
        expect={"steering_member": 200},
        region=LIST,
        seed=_my_mediations_seed,
    ),
    Case("escalations:mediation", _mediation, expect={**PARTIES, **MEDIATION_FOREIGN}),
    Case(
        "escalations:mediation",
        _mediation,
        method="post",
        data=lambda w: {"outcome": "settled", "carried_by": ""},
        expect={"school_coordinator": 403, "district_worker": 403, **MEDIATION_FOREIGN},
        label="invalid",
    ),
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
