"""Permission matrix rows for the work agenda (ADR 0020): every member reads; steering members
(and registry administrators) of the region edit everything; directors and officers edit
what their organisation owns and record meetings in their region."""

from django.urls import reverse

from agenda.models import UpdateStatus
from tests.agenda import factories as af
from tests.helpers.matrix import LIST, Case

READ = {"no_membership": 403}
EDITORS = {"steering_member": 200, "registry_admin": 200}
REGION_OWNERS = {
    "partnership_director": 200,
    "municipal_officer": 200,
    "other_partnership_director": 200,
    "other_municipal_officer": 200,
}


def agenda_objects(w):
    """One agenda in the world's region, created once per world."""
    if "agenda" not in w.extra:
        agenda = af.AgendaFactory(slug="testagenda", region=w.region)
        ambition = af.AmbitionFactory(agenda=agenda, number=1)
        goal = af.GoalFactory(ambition=ambition, number=1, indicator="practitioner_meetings", target_value=2)
        by_partnership = af.ActivityFactory(
            ambition=ambition, number=1, goal=goal, owner_partnership=w.partnership
        )
        by_municipality = af.ActivityFactory(ambition=ambition, number=2, owner_municipality=w.municipality)
        meeting = af.MeetingFactory(region=w.region)
        meeting.organising_municipalities.add(w.municipality)
        w.extra.update(
            agenda=agenda,
            goal=goal,
            by_partnership=by_partnership,
            by_municipality=by_municipality,
            meeting=meeting,
        )
    return w.extra


def listed_agendas(w):
    """The agenda index lists the region's agendas, not their activities."""
    return [reverse("agenda:detail", args=[agenda_objects(w)["agenda"].slug])]


def listed_activities(w):
    """My activities lists the activities of the user's organisation (each owner sees its own)."""
    o = agenda_objects(w)
    return [reverse("agenda:activity", args=[o[key].pk]) for key in ("by_partnership", "by_municipality")]


def slug(w):
    return agenda_objects(w)["agenda"].slug


def update_data(w):
    return {"status": UpdateStatus.AT_RISK, "date": "2026-01-10", "note": "Matrix"}


CASES = [
    Case(
        "agenda:index",
        lambda w: reverse("agenda:index"),
        default=200,
        expect=READ,
        region=LIST,
        seed=listed_agendas,
    ),
    Case(
        "agenda:my_activities",
        lambda w: reverse("agenda:my_activities"),
        default=200,
        expect=READ,
        region=LIST,
        seed=listed_activities,
    ),
    Case("agenda:detail", lambda w: reverse("agenda:detail", args=[slug(w)]), default=200, expect=READ),
    Case(
        "agenda:detail",
        lambda w: reverse("agenda:detail", args=[slug(w)]) + "?risico=1",
        default=200,
        expect=READ,
        label="goals at risk",
    ),
    Case(
        "agenda:detail",
        lambda w: reverse("agenda:detail", args=["bestaat-niet"]),
        default=404,
        expect=READ,
        label="unknown agenda",
    ),
    Case("agenda:quadrant", lambda w: reverse("agenda:quadrant", args=[slug(w)]), default=200, expect=READ),
    Case(
        "agenda:activity",
        lambda w: reverse("agenda:activity", args=[agenda_objects(w)["by_partnership"].pk]),
        default=200,
        expect=READ,
    ),
    Case(
        "agenda:activity",
        lambda w: reverse("agenda:activity", args=[999999]),
        default=404,
        expect=READ,
        label="unknown activity",
    ),
    Case(
        "agenda:activity_edit",
        lambda w: reverse("agenda:activity_edit", args=[agenda_objects(w)["by_partnership"].pk]),
        expect={**READ, **EDITORS, "partnership_director": 200},
        label="owned by a partnership",
    ),
    Case(
        "agenda:activity_edit",
        lambda w: reverse("agenda:activity_edit", args=[agenda_objects(w)["by_municipality"].pk]),
        expect={**READ, **EDITORS, "municipal_officer": 200},
        label="owned by a municipality",
    ),
    Case(
        "agenda:activity_update",
        lambda w: reverse("agenda:activity_update", args=[agenda_objects(w)["by_partnership"].pk]),
        method="post",
        data=update_data,
        expect={**READ, "steering_member": 302, "registry_admin": 302, "partnership_director": 302},
    ),
    Case(
        "agenda:activity_update",
        lambda w: reverse("agenda:activity_update", args=[agenda_objects(w)["by_partnership"].pk]),
        expect={**READ},
        default=405,
        label="GET is not allowed",
    ),
    Case(
        "agenda:activity_create",
        lambda w: reverse("agenda:activity_create", args=[slug(w)]),
        expect={**READ, **EDITORS},
    ),
    Case(
        "agenda:goal_edit",
        lambda w: reverse("agenda:goal_edit", args=[agenda_objects(w)["goal"].pk]),
        expect={**READ, **EDITORS},
    ),
    Case("agenda:meetings", lambda w: reverse("agenda:meetings", args=[slug(w)]), default=200, expect=READ),
    Case(
        "agenda:meetings_year",
        lambda w: reverse("agenda:meetings_year", args=[slug(w), 2026]),
        default=200,
        expect=READ,
    ),
    Case(
        "agenda:meetings_year",
        lambda w: reverse("agenda:meetings_year", args=[slug(w), 1999]),
        default=404,
        expect=READ,
        label="year out of range",
    ),
    Case(
        "agenda:meeting_create",
        lambda w: reverse("agenda:meeting_create", args=[slug(w)]),
        expect={**READ, **EDITORS, **REGION_OWNERS},
    ),
    Case(
        "agenda:meeting_edit",
        lambda w: reverse("agenda:meeting_edit", args=[agenda_objects(w)["meeting"].pk]),
        expect={**READ, **EDITORS, "municipal_officer": 200},
    ),
]
