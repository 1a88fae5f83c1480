"""Personal data in the security app's models, for the processing register (AVG art. 30;
ADR 0105).

Every concrete field of every model of this app is either in PERSONAL or in NOT_PERSONAL;
tests/security/test_register.py fails otherwise. The keys are explained in
security/register.py; nothing here imports anything.
"""

# The request, who made it and how it was answered: the privacy officer's own record.
REQUEST = {
    "purpose": "privacy",
    "basis": "avg_obligation",
    "special": False,
    "roles": ("privacy_officer",),
    "retention": "privacy_records",
    "leaves": (),
}

# A breach record names referrals (by reference) and accounts (by e-mail address); its free
# text may name people.
BREACH = {**REQUEST}

PERSONAL = {
    "security.datasubjectrequest": dict.fromkeys(
        (
            "region",
            "kind",
            "requester_name",
            "requester_relation",
            "reference",
            "description",
            "received_on",
            "deadline",
            "extended_until",
            "extension_reason",
            "status",
            "restricted_at",
            "answered_on",
            "outcome",
            "answer_summary",
            "reminded_for",
            "created_by",
            "created_at",
        ),
        REQUEST,
    ),
    "security.requeststep": dict.fromkeys(("request", "kind", "text", "by", "at"), REQUEST),
    "security.breach": dict.fromkeys(
        (
            "title",
            "description",
            "references",
            "accounts",
            "notify_authority_reason",
            "inform_subjects_reason",
            "decided_by",
            "notification_note",
            "created_by",
        ),
        BREACH,
    ),
}
NOT_PERSONAL = {
    "security.datasubjectrequest": ("id",),
    "security.requeststep": ("id",),
    # When and what was decided and notified: the handling, not data about a person.
    "security.breach": (
        "id",
        "region",
        "found_at",
        "occurred_from",
        "occurred_until",
        "notify_authority",
        "inform_subjects",
        "decided_at",
        "authority_notified_at",
        "authority_case_number",
        "subjects_informed_on",
        "created_at",
    ),
}
