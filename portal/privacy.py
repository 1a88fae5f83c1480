"""Personal data in portal's models, for the processing register (AVG art. 30; ADR 0105).

Every concrete field of every model of this app is either in PERSONAL, with what the register
says about it, or in NOT_PERSONAL; tests/security/test_register.py fails otherwise. The keys
(purpose, basis, roles, retention, leaves) are explained in security/register.py, which reads
this module; nothing here imports anything.
"""

ACCESS_LOG = {
    "purpose": "access_log",
    "basis": "security_obligation",
    "special": False,
    "roles": ("privacy_officer",),
    "retention": "access_log",
    "leaves": ("export",),
}
NOTIFICATION = {
    "purpose": "notifications",
    "basis": "public_task_region",
    "special": False,
    "roles": ("own_account",),
    "retention": "account",
    "leaves": ("email",),
}

PERSONAL = {
    # Who (a professional) did what to which object; the object's reference names a child's
    # referral, so every column but the key is personal data.
    "portal.accesslog": dict.fromkeys(
        (
            "at",
            "user",
            "role",
            "organisation",
            "action",
            "object_type",
            "object_id",
            "object_reference",
            "activity",
        ),
        ACCESS_LOG,
    ),
    # Fixed texts and a link, never child data; the recipient is a professional.
    "portal.notification": dict.fromkeys(
        ("user", "kind", "subject", "body", "url", "reference", "created_at", "read_at", "emailed_at"),
        NOTIFICATION,
    ),
    # How a professional wants their notification e-mails (ADR 0152): language and digest.
    "portal.notificationpreference": dict.fromkeys(
        ("user", "language", "delivery", "updated_at"), NOTIFICATION
    ),
}
NOT_PERSONAL = {
    "portal.accesslog": ("id",),
    "portal.notification": ("id",),
    "portal.notificationpreference": ("id",),
    # The calendar: public and school holidays (ADR 0090).
    "portal.holiday": ("day", "name"),
    "portal.schoolholiday": ("id", "region", "name", "first_day", "last_day"),
    # The transactional outbox (ADR 0130): task names, ids and an exception's class name.
    "portal.outboxmessage": (
        "id",
        "task",
        "kwargs",
        "dedup_key",
        "state",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ),
}
