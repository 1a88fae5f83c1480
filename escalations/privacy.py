"""Personal data in the escalation models, for the processing register (AVG art. 30; ADR 0105).

Every concrete field of every model of this app is either in PERSONAL or in NOT_PERSONAL;
tests/security/test_register.py fails otherwise. The keys are explained in
security/register.py, which reads this module; nothing here imports anything.
"""

DECIDERS = (
    "school_coordinator",
    "district_worker",
    "partnership_director",
    "municipal_officer",
    "privacy_officer",
)
# The escalation's structured facts: kept after the term, counted by the escalation figures.
ESCALATION_FACTS = {
    "purpose": "escalation",
    "basis": "public_task_youth",
    "special": False,
    "roles": DECIDERS,
    "retention": "tombstone",
    "leaves": ("report", "export"),
}
# Free text written about the case: blanked with the referral's personal data (ADR 0046).
ESCALATION_TEXT = {**ESCALATION_FACTS, "special": True, "retention": "referral", "leaves": ("export",)}
PROFESSIONAL_WORK = {**ESCALATION_FACTS, "leaves": ("export",)}
# A precedent is written anonymised and checked before publication (ADR 0061); an unpublished
# draft may still hold traces of the case and is deleted with the referral's personal data.
PRECEDENT_DRAFT = {
    "purpose": "precedents",
    "basis": "public_task_youth",
    "special": False,
    "roles": ("partnership_director", "municipal_officer", "steering_member"),
    "retention": "precedent",
    "leaves": (),
}
PRECEDENT_AUTHOR = {**PRECEDENT_DRAFT, "roles": ("everyone",)}

PERSONAL = {
    "escalations.escalation": {
        "referral": ESCALATION_FACTS,
        "state": ESCALATION_FACTS,
        "reason": ESCALATION_FACTS,
        "raised_side": ESCALATION_FACTS,
        "raised_by": PROFESSIONAL_WORK,
        "raised_at": ESCALATION_FACTS,
        "raiser_position": ESCALATION_TEXT,
        "other_position": ESCALATION_TEXT,
        "other_position_by": PROFESSIONAL_WORK,
        "partnership": ESCALATION_FACTS,
        "municipality": ESCALATION_FACTS,
        "decided_at": ESCALATION_FACTS,
    },
    "escalations.decision": {
        "escalation": ESCALATION_FACTS,
        "decided_by": PROFESSIONAL_WORK,
        "agreed_by": PROFESSIONAL_WORK,
        "help": ESCALATION_TEXT,
        "carried_by": ESCALATION_FACTS,
        "split": ESCALATION_TEXT,
        "rationale": ESCALATION_TEXT,
        "carry_out_by": ESCALATION_FACTS,
        "decided_at": ESCALATION_FACTS,
        "reminder_sent_on": ESCALATION_FACTS,
    },
    "escalations.precedent": {
        "decision": PRECEDENT_DRAFT,
        "title": PRECEDENT_DRAFT,
        "summary": PRECEDENT_DRAFT,
        "outcome": PRECEDENT_DRAFT,
        "rationale": PRECEDENT_DRAFT,
        "split": PRECEDENT_DRAFT,
        "published_by": PRECEDENT_AUTHOR,
    },
}
NOT_PERSONAL = {
    "escalations.escalation": ("id",),
    "escalations.decision": ("id",),
    # Structured, anonymous facts of a precedent (bands, not ages; ADR 0061).
    "escalations.precedent": (
        "id",
        "partnership",
        "municipality",
        "status",
        "reason",
        "school_type",
        "age_band",
        "carried_by",
        "created_at",
        "updated_at",
        "published_at",
    ),
    "escalations.precedentdomain": ("id", "precedent", "domain"),
}
