"""Demo data for the work agenda: the real regio Utrecht werkagenda (November 2022) plus owners,
scores, a few progress updates and this year's meetings. Idempotent; builds on contacts.demo."""

import datetime

from django.db import transaction
from django.utils import timezone

from agenda import loader
from agenda.models import Activity, ActivityStatus, Meeting, MeetingType, ProgressUpdate, UpdateStatus
from contacts.demo import DOMAIN
from contacts.models import Municipality, Partnership, Person, Region, School, User

# (ambition, activity) → owner kind and key, owner e-mail local part, status, impact, added value
ACTIVITIES = {
    (1, 1): ("partnership", "PO2690", "directeur", ActivityStatus.IN_PROGRESS, 5, 3),
    (1, 2): ("municipality", "GM0344", "beleid", ActivityStatus.PLANNED, 4, 2),
    (1, 3): ("partnership", "PO2690", None, ActivityStatus.PLANNED, 2, 2),
    (2, 2): ("region", "UTR", "begeleidingsgroep", ActivityStatus.IN_PROGRESS, 5, 5),
    (2, 5): ("municipality", "GM0344", "beleid", ActivityStatus.IN_PROGRESS, 4, 4),
    (3, 4): ("region", "UTR", "begeleidingsgroep", ActivityStatus.IN_PROGRESS, 3, 5),
    (3, 6): ("region", "UTR", None, ActivityStatus.PLANNED, 3, 4),
}

UPDATES = [
    (
        (1, 1),
        "directeur",
        UpdateStatus.ON_TRACK,
        "Afspraken met de eerste pilotschool zijn rond; de tweede volgt.",
    ),
    (
        (2, 5),
        "beleid",
        UpdateStatus.AT_RISK,
        "Nog niet elke gemeente heeft een vaste contactpersoon doorgegeven.",
    ),
]


def _owner(kind, key):
    if kind == "partnership":
        return {"owner_partnership": Partnership.objects.get(code=key)}
    if kind == "municipality":
        return {"owner_municipality": Municipality.objects.get(cbs_code=key)}
    return {"owner_region": Region.objects.get(code=key)}


@transaction.atomic
def seed(ctx):
    agenda = loader.load("utrecht-2022")
    for (ambition, number), (kind, key, person, status, impact, value) in ACTIVITIES.items():
        activity = Activity.objects.get(ambition__agenda=agenda, ambition__number=ambition, number=number)
        activity.owner_partnership = activity.owner_municipality = activity.owner_region = None
        for field, org in _owner(kind, key).items():
            setattr(activity, field, org)
        activity.owner_person = Person.objects.get(email=f"{person}@{DOMAIN}") if person else None
        activity.status, activity.impact, activity.added_value = status, impact, value
        activity.due_date = datetime.date(agenda.period_start.year + 4, 7, 1)
        activity.save()

    for (ambition, number), author, status, note in UPDATES:
        activity = Activity.objects.get(ambition__agenda=agenda, ambition__number=ambition, number=number)
        if not ProgressUpdate.objects.filter(activity=activity).exists():
            ProgressUpdate.objects.create(
                activity=activity,
                author=User.objects.get(email=f"{author}@{DOMAIN}"),
                status=status,
                note=note,
                date=timezone.localdate() - datetime.timedelta(days=14),
            )

    year = timezone.localdate().year
    meetings = [
        (
            MeetingType.PRACTITIONER,
            datetime.date(year, 3, 12),
            "Utrecht, stadskantoor",
            "Kennismaking IB-ers en buurtteams.",
        ),
        (
            MeetingType.STEERING_GROUP,
            datetime.date(year, 4, 2),
            "Nieuwegein",
            "Voortgang werkagenda besproken.",
        ),
        (
            MeetingType.IB_NETWORK,
            datetime.date(year, 9, 24),
            "Zeist",
            "Ervaringen met de tandem-aanpak gedeeld.",
        ),
    ]
    for meeting_type, date, place, notes in meetings:
        meeting, created = Meeting.objects.get_or_create(
            region=agenda.region,
            meeting_type=meeting_type,
            date=date,
            defaults={"place": place, "notes": notes},
        )
        if created:
            meeting.organising_municipalities.add(Municipality.objects.get(cbs_code="GM0344"))
            meeting.attending_partnerships.add(*Partnership.objects.filter(code__in=["PO2690", "VO2690"]))
            meeting.attending_schools.add(*School.objects.filter(brin__in=["99AA", "99AE"]))
    ctx["stdout"].write(f"Work agenda {agenda.title!r} loaded with demo owners, updates and meetings.")
    return agenda
