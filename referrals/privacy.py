"""Personal data in the referral's models, for the processing register (AVG art. 30; ADR 0105).

Every concrete field of every model of this app is either in PERSONAL or in NOT_PERSONAL;
tests/security/test_register.py fails otherwise. The keys are explained in
security/register.py, which reads this module; nothing here imports anything. Retention
(referrals/retention.py, ADR 0046) blanks the referral's fields whose retention here is
"referral" and keeps the rest in the tombstone.
"""

CASE_READERS = (
    "school_coordinator",
    "district_worker",
    "partnership_director",
    "municipal_officer",
    "privacy_officer",
)
# Who the child is: shared with the district team only with valid consent (ADR 0050).
CHILD = {
    "purpose": "referral",
    "basis": "consent",
    "special": False,
    "roles": CASE_READERS,
    "retention": "referral",
    "leaves": ("export",),
}
# Free text about the child's situation: health, behaviour, family (AVG art. 9).
CHILD_CASE = {**CHILD, "special": True}
# Structured facts of the case, kept in the tombstone after the term and counted by reports.
CASE_FACTS = {**CHILD, "basis": "public_task_youth", "retention": "tombstone", "leaves": ("report", "export")}
CASE_FACTS_SPECIAL = {**CASE_FACTS, "special": True}  # the concern domains: health, behaviour
# Which professional did what on the case: their work, not the child's data.
PROFESSIONAL_WORK = {
    "purpose": "case_history",
    "basis": "public_task_youth",
    "special": False,
    "roles": CASE_READERS,
    "retention": "tombstone",
    "leaves": ("export",),
}
GUARDIAN = {**CHILD, "retention": "referral"}
# Which referrals a list page showed to whom (NEN 7513, ADR 0098): part of the access log.
LIST_VIEW_LOG = {
    "purpose": "access_log",
    "basis": "security_obligation",
    "special": False,
    "roles": ("privacy_officer",),
    "retention": "access_log",
    "leaves": ("export",),
}
CONSENT = {**CHILD, "basis": "consent_proof"}

PERSONAL = {
    "referrals.referral": {
        "uuid": CASE_FACTS,
        # Group and school-wide requests (ADR 0154): the group's name is blanked with the
        # referral's personal data, a school may type anything there.
        "subject_kind": CASE_FACTS,
        "group_name": {**CASE_FACTS, "retention": "referral", "leaves": ("export",)},
        "group_size": CASE_FACTS,
        "reference": CASE_FACTS,
        "status": CASE_FACTS,
        "status_before_escalation": CASE_FACTS,
        "school": CASE_FACTS,
        "home_municipality": CASE_FACTS,
        "routed_team": CASE_FACTS,
        "routing_reason": CASE_FACTS,
        "assigned_to": PROFESSIONAL_WORK,
        "created_by": PROFESSIONAL_WORK,
        "child_first_name": CHILD,
        "child_last_name": CHILD,
        "child_date_of_birth": CHILD,
        "child_group": CHILD,
        "question": CHILD_CASE,
        "already_done": CHILD_CASE,
        "goals": CHILD_CASE,
        "urgency": CASE_FACTS,
        "urgency_reason": CHILD_CASE,
        "desired_form": CASE_FACTS,
        "current_help": CHILD_CASE,
        "professionals_involved": CHILD_CASE,
        "care_provider": CASE_FACTS,
        "planned_help_form": CASE_FACTS,
        "expected_start": CASE_FACTS,
        "joint_deployment": CASE_FACTS,
        "collective_arrangement": CASE_FACTS,
        "decline_reason": CASE_FACTS,
        "decline_explanation": CHILD_CASE,
        "close_outcome": CASE_FACTS,
        "close_reason": CHILD_CASE,
        "sharing_stopped_at": CASE_FACTS,
        "created_at": CASE_FACTS,
        "updated_at": CASE_FACTS,
        "first_submitted_at": CASE_FACTS,
        "submitted_at": CASE_FACTS,
        "decided_at": CASE_FACTS,
        "help_started_at": CASE_FACTS,
        "closed_at": CASE_FACTS,
        "ended_at": CASE_FACTS,
        "anonymised_at": CASE_FACTS,
    },
    "referrals.referraldomain": {"referral": CASE_FACTS, "domain": CASE_FACTS_SPECIAL},
    "referrals.guardian": {
        **dict.fromkeys(
            ("referral", "name", "relation", "phone", "email", "has_custody", "removed_at"), GUARDIAN
        ),
        "removed_by": PROFESSIONAL_WORK,
    },
    "referrals.consent": dict.fromkeys(
        (
            "referral",
            "giver",
            "guardian",
            "given_on",
            "form",
            "recipients",
            "recorded_by",
            "recorded_at",
            "withdrawn_at",
            "withdrawn_by",
        ),
        CONSENT,
    ),
    "referrals.referralevent": {
        "referral": CASE_FACTS,
        "at": CASE_FACTS,
        "actor": PROFESSIONAL_WORK,
        "action": CASE_FACTS,
        "from_status": CASE_FACTS,
        "to_status": CASE_FACTS,
        "note": CHILD_CASE,
    },
    "referrals.message": {
        "referral": CHILD_CASE,
        "author": PROFESSIONAL_WORK,
        "at": CHILD_CASE,
        "body": CHILD_CASE,
    },
    # An attachment (a development plan, a report) is special-category data in full.
    "referrals.attachment": dict.fromkeys(
        (
            "referral",
            "file",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
            "uploaded_at",
            "side",
        ),
        CHILD_CASE,
    ),
    "referrals.waitingreminder": dict.fromkeys(("referral", "norm", "level", "sent_at"), CASE_FACTS),
    "referrals.listedreference": dict.fromkeys(("entry", "referral_pk", "reference"), LIST_VIEW_LOG),
    # Who has answered the cooperation check for a referral, so nobody answers twice (ADR 0151);
    # what they answered is not here.
    "referrals.feedbackreceipt": {
        "referral": CASE_FACTS,
        "user": PROFESSIONAL_WORK,
        "at": PROFESSIONAL_WORK,
    },
    # The 18-/18+ checklist (ADR 0153): when each step was ticked is a fact of the case that the
    # report counts; who ticked it is the professional's work; the typed Wmo/Wlz contact is
    # blanked with the referral's personal data.
    "referrals.transition": {
        **dict.fromkeys(
            (
                "referral",
                "adult_services_at",
                "municipality_contact_at",
                "adult_consent_at",
                "prepared_on",
                "prepared_at",
                "created_at",
            ),
            CASE_FACTS,
        ),
        **dict.fromkeys(
            ("adult_services_by", "municipality_contact_by", "adult_consent_by", "prepared_by"),
            PROFESSIONAL_WORK,
        ),
        "municipality_contact_note": CHILD,
    },
    "referrals.transitionreminder": dict.fromkeys(("referral", "days_before", "sent_at"), CASE_FACTS),
}
NOT_PERSONAL = {
    "referrals.referral": ("id",),
    "referrals.referraldomain": ("id",),
    "referrals.guardian": ("id",),
    "referrals.consent": ("id",),
    "referrals.referralevent": ("id",),
    "referrals.message": ("id",),
    "referrals.attachment": ("id",),
    "referrals.waitingreminder": ("id",),
    "referrals.listedreference": ("id",),
    "referrals.feedbackreceipt": ("id",),
    # The anonymous answers: subregion, half-year and the two answers only (ADR 0151).
    "referrals.cooperationfeedback": ("id", "region", "period", "cooperation", "route_clear"),
    "referrals.transition": ("id",),
    "referrals.transitionreminder": ("id",),
    # The last reference number handed out per year.
    "referrals.referencecounter": ("year", "last"),
}
