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
}
NOT_PERSONAL = {
    "security.datasubjectrequest": ("id",),
    "security.requeststep": ("id",),
}
