from .escalation import CarriedBy, Decision, Escalation, EscalationReason, Side
from .precedent import AgeBand, Precedent, PrecedentDomain
from .referral import (
    Attachment,
    Consent,
    Domain,
    Guardian,
    Message,
    ReferenceCounter,
    Referral,
    ReferralDomain,
    ReferralEvent,
    Status,
)

__all__ = [
    "AgeBand",
    "Precedent",
    "PrecedentDomain",
    "CarriedBy",
    "Decision",
    "Escalation",
    "EscalationReason",
    "Side",
    "Attachment",
    "Consent",
    "Domain",
    "Guardian",
    "Message",
    "ReferenceCounter",
    "Referral",
    "ReferralDomain",
    "ReferralEvent",
    "Status",
]
