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

# The region's mediators (ADR 0149): professionals named by the registry administrator.
MEDIATOR = {
    "purpose": "escalation",
    "basis": "public_task_youth",
    "special": False,
    "roles": ("registry_admin", "school_coordinator", "district_worker"),
    "retention": "registry",
    "leaves": (),
}
# The mediator reads the disagreement like a decider; the parties wrote it.
MEDIATION_ROLES = ("school_coordinator", "district_worker", "everyone")
MEDIATION_FACTS = {**ESCALATION_FACTS, "roles": MEDIATION_ROLES}
MEDIATION_TEXT = {**ESCALATION_TEXT, "roles": MEDIATION_ROLES}
MEDIATION_WORK = {**PROFESSIONAL_WORK, "roles": MEDIATION_ROLES}

PERSONAL = {
    "escalations.mediator": {
        "user": MEDIATOR,
        "named_by": MEDIATOR,
        "ended_by": MEDIATOR,
    },
    "escalations.mediation": {
        "referral": MEDIATION_FACTS,
        "mediator": MEDIATION_WORK,
        "asked_side": MEDIATION_FACTS,
        "asked_by": MEDIATION_WORK,
        "asked_at": MEDIATION_FACTS,
        "question": MEDIATION_TEXT,
        "state": MEDIATION_FACTS,
        "carried_by": MEDIATION_FACTS,
        "assign_help": MEDIATION_FACTS,
        "outcome_note": MEDIATION_TEXT,
        "recorded_by": MEDIATION_WORK,
        "recorded_at": MEDIATION_FACTS,
    },
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
    "escalations.mediator": ("id", "region", "named_at", "ended_at"),
    "escalations.mediation": ("id",),
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
