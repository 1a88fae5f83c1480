from .escalation import CarriedBy, Decision, Escalation, EscalationReason, Side
from .precedent import AgeBand, Precedent, PrecedentDomain, age_band

__all__ = [
    "AgeBand",
    "CarriedBy",
    "Decision",
    "Escalation",
    "EscalationReason",
    "Precedent",
    "PrecedentDomain",
    "Side",
    "age_band",
]
