"""The escalations' part in retention (ADR 0046, 0062), registered with
`referrals.retention.register_part` in apps.py.

A referral with an open escalation is not anonymised (the deciders still work on it); a draft
with an escalation is not deleted. When a referral is anonymised, the positions and the free
text of the decisions are blanked; state, reason, sides, dates and deciders stay, so every
figure stays the same. An unpublished precedent draft was never checked against the child's
name; without the name that check is impossible, so the draft goes. Published precedents stay
(ADR 0061).
"""

from escalations.models import Decision, Escalation, Mediation, Precedent, PrecedentDomain
from referrals.retention import RetentionPart, raw_delete

ESCALATION_TEXT_FIELDS = {"raiser_position": "", "other_position": ""}
DECISION_TEXT_FIELDS = {"help": "", "rationale": "", "split": ""}
MEDIATION_TEXT_FIELDS = {"question": "", "outcome_note": ""}  # ADR 0149


def _open_escalations(referral):
    return Escalation.objects.filter(referral=referral, state=Escalation.State.OPEN)


def _escalations(referral):
    return Escalation.objects.filter(referral=referral)


def anonymise(ids):
    Escalation.objects.filter(referral_id__in=ids).update(**ESCALATION_TEXT_FIELDS)
    Decision.objects.filter(escalation__referral_id__in=ids).update(**DECISION_TEXT_FIELDS)
    drafts = Precedent.objects.filter(
        status=Precedent.Status.DRAFT, decision__escalation__referral_id__in=ids
    ).values("pk")
    PrecedentDomain.objects.filter(precedent_id__in=drafts).delete()
    raw_delete(Precedent.objects.filter(pk__in=drafts))


PART = RetentionPart(
    related={Escalation: "positions blanked"},  # state, reason, sides, dates, deciders stay
    busy=_open_escalations,
    holds=_escalations,
    anonymise=anonymise,
)


# Mediation before escalation (ADR 0149): an open mediation keeps the referral; the
# disagreement and the outcome note are blanked with the referral's personal data.
def anonymise_mediations(ids):
    Mediation.objects.filter(referral_id__in=ids).update(**MEDIATION_TEXT_FIELDS)


MEDIATION_PART = RetentionPart(
    related={Mediation: "texts blanked"},
    busy=lambda referral: Mediation.objects.filter(referral=referral, state=Mediation.State.OPEN),
    holds=lambda referral: Mediation.objects.filter(referral=referral),
    anonymise=anonymise_mediations,
)
