"""Personal data in the work agenda's models, for the processing register (AVG art. 30;
ADR 0105).

Every concrete field of every model of this app is either in PERSONAL or in NOT_PERSONAL;
tests/security/test_register.py fails otherwise. The keys are explained in
security/register.py, which reads this module; nothing here imports anything. The agenda holds
no child data: only who owns or reported on an activity, and meeting notes.
"""

AGENDA_WORK = {
    "purpose": "agenda",
    "basis": "public_task_region",
    "special": False,
    "roles": ("everyone",),
    "retention": "agenda",
    "leaves": ("report",),
}
# Minutes may name the people present or what they said.
MEETING_NOTES = {**AGENDA_WORK, "leaves": ()}

PERSONAL = {
    "agenda.activity": {"owner_person": AGENDA_WORK},
    "agenda.progressupdate": {"author": AGENDA_WORK},
    "agenda.meeting": {"notes": MEETING_NOTES},
}
NOT_PERSONAL = {
    "agenda.agenda": ("id", "slug", "title", "region", "period_start", "period_end", "description"),
    "agenda.ambition": ("id", "agenda", "number", "text", "bottlenecks"),
    "agenda.goal": ("id", "ambition", "number", "text", "target_value", "target_unit", "indicator"),
    "agenda.activity": (
        "id",
        "ambition",
        "goal",
        "number",
        "title",
        "description",
        "owner_partnership",
        "owner_municipality",
        "owner_region",
        "status",
        "due_date",
        "impact",
        "added_value",
    ),
    # A progress note is about the activity, written for the steering group's report.
    "agenda.progressupdate": ("id", "activity", "date", "status", "note", "created_at"),
    "agenda.meeting": ("id", "region", "meeting_type", "date", "place"),
}
