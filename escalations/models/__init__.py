from .escalation import CarriedBy, Decision, Escalation, EscalationReason, Side
from .mediation import Mediation, Mediator
from .precedent import AgeBand, Precedent, PrecedentDomain, age_band

__all__ = [
    "AgeBand",
    "CarriedBy",
    "Decision",
    "Escalation",
    "EscalationReason",
    "Mediation",
    "Mediator",
    "Precedent",
    "PrecedentDomain",
    "Side",
    "age_band",
]
