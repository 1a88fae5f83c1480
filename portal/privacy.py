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
# Who last changed a region's house style (ADR 0164): a registry administrator.
THEME_EDITOR = {
    "purpose": "registry",
    "basis": "public_task_region",
    "special": False,
    "roles": ("registry_admin",),
    "retention": "registry",
    "leaves": (),
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
    "portal.regiontheme": dict.fromkeys(("updated_by", "updated_at"), THEME_EDITOR),
}
NOT_PERSONAL = {
    "portal.accesslog": ("id",),
    # A region's house style (ADR 0164): its name, colours and images, public on every page.
    "portal.regiontheme": (
        "id",
        "region",
        "display_name",
        "primary_color",
        "primary_text_color",
        "link_color",
        "logo",
        "logo_type",
        "favicon",
        "favicon_type",
        "version",
    ),
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
