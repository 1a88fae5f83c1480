from .escalation import CarriedBy, Decision, Escalation, EscalationReason, Side
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
