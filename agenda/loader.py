"""Load a work agenda shipped as data in agenda/data/<name>.json (e.g. the regio Utrecht
werkagenda of November 2022) — idempotent.

Rows are found by their natural key (agenda slug; ambition, goal and activity number) and
only the document's own fields are updated: owners, status, due dates, scores and progress
updates that people entered are left alone.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction

from agenda.indicators import INDICATORS
from agenda.models import Activity, Agenda, Ambition, Goal
from contacts.models import Region

DATA_DIR = Path(__file__).resolve().parent / "data"


class AgendaDataError(Exception):
    pass


def available():
    return sorted(p.stem for p in DATA_DIR.glob("*.json"))


def read(name):
    if name not in available():
        raise AgendaDataError(f"Unknown agenda {name!r}; available: {', '.join(available())}")
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


@transaction.atomic
def load(name):
    """Create or update the agenda `name`; returns it."""
    data = read(name)
    region, _ = Region.objects.get_or_create(
        code=data["region"]["code"], defaults={"name": data["region"]["name"], "parent": None}
    )
    agenda, _ = Agenda.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "title": data["title"],
            "region": region,
            "period_start": datetime.date.fromisoformat(data["period_start"]),
            "period_end": datetime.date.fromisoformat(data["period_end"]) if data["period_end"] else None,
            "description": data["description"],
        },
    )
    for a in data["ambitions"]:
        ambition, _ = Ambition.objects.update_or_create(
            agenda=agenda,
            number=a["number"],
            defaults={"text": a["text"], "bottlenecks": "\n".join(a["bottlenecks"])},
        )
        goals = {}
        for g in a["goals"]:
            if g["indicator"] and g["indicator"] not in INDICATORS:
                raise AgendaDataError(
                    f"Goal {a['number']}.{g['number']}: unknown indicator {g['indicator']!r}"
                )
            goals[g["number"]], _ = Goal.objects.update_or_create(
                ambition=ambition,
                number=g["number"],
                defaults={
                    "text": g["text"],
                    "target_value": g["target_value"],
                    "target_unit": g["target_unit"],
                    "indicator": g["indicator"],
                },
            )
        for act in a["activities"]:
            Activity.objects.update_or_create(
                ambition=ambition,
                number=act["number"],
                defaults={"title": act["title"], "goal": goals[act["goal"]] if act["goal"] else None},
            )
    return agenda
