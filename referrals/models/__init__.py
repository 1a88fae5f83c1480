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
