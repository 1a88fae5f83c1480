"""Personal data in the reporting models, for the processing register (AVG art. 30; ADR 0105).

Every concrete field of every model of this app is either in PERSONAL or in NOT_PERSONAL;
tests/security/test_register.py fails otherwise. The keys are explained in
security/register.py, which reads this module; nothing here imports anything. A report holds
figures only, counts under 5 suppressed (ADR 0070).
"""

REQUESTER = {
    "purpose": "reports",
    "basis": "public_task_region",
    "special": False,
    "roles": ("steering_member", "partnership_director", "municipal_officer"),
    "retention": "report",
    "leaves": (),
}

# Who published a report or withdrew it (ADR 0150): an account of the steering group.
PUBLISHER = {**REQUESTER, "roles": ("steering_member",)}

# Who froze a startfoto (ADR 0155): an account of the steering group.
FREEZER = {**REQUESTER, "roles": ("steering_member",)}

PERSONAL = {
    "reporting.progressreport": {"requested_by": REQUESTER, "published_by": PUBLISHER},
    "reporting.startphoto": {"frozen_by": FREEZER},
    "reporting.publicationevent": {"actor": PUBLISHER},
}
NOT_PERSONAL = {
    # Suppressed figures only (ADR 0155).
    "reporting.startphoto": ("id", "region", "school_year", "frozen_on", "data", "created_at"),
    "reporting.progressreport": (
        "id",
        "uuid",
        "period",
        "region",
        "partnership",
        "municipality",
        "status",
        "scheduled",
        "requested_at",
        "started_at",
        "finished_at",
        "attempts",
        "file",
        "size",
        "sha256",
        "error",
        "published_at",
    ),
    "reporting.publicationevent": ("id", "report", "action", "at"),
}
