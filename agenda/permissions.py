"""Who may do what with the work agenda (membership-scoped, ADR 0002; ADR 0020).

- Everyone with a membership reads every agenda, activity and meeting (no personal or child
  data lives here).
- Steering members (and registry administrators) of the agenda's region edit the
  whole agenda: goals, activities, meetings.
- Partnership directors and municipal officers edit the activities their organisation owns
  and post progress updates on them; they record meetings in their region and edit the
  meetings their organisation organised.
- The owner person of an activity posts progress updates on it.
"""

from contacts.models import Region, Role
from contacts.permissions import (
    has_role,
    member_required,
    memberships,
    municipality_ids,
    partnership_ids,
)

AGENDA_EDITOR_ROLES = (Role.STEERING_MEMBER, Role.REGISTRY_ADMIN)
OWNER_ROLES = (Role.PARTNERSHIP_DIRECTOR, Role.MUNICIPAL_OFFICER)

__all__ = [
    "can_add_meeting",
    "can_edit_activity",
    "can_edit_agenda",
    "can_edit_meeting",
    "can_post_update",
    "can_read",
    "member_required",
]


def can_read(user):
    return bool(memberships(user))


def _region_tree(region):
    return {region.pk, region.parent_id} - {None}


def editor_region_ids(user):
    return {m.region_id for m in memberships(user) if m.role in AGENDA_EDITOR_ROLES}


def can_edit_agenda(user, agenda):
    return bool(editor_region_ids(user) & _region_tree(agenda.region))


def owns_activity(user, activity):
    """The user's partnership or municipality owns the activity (as director or officer)."""
    return bool(
        (activity.owner_partnership_id and activity.owner_partnership_id in partnership_ids(user))
        or (activity.owner_municipality_id and activity.owner_municipality_id in municipality_ids(user))
    )


def can_edit_activity(user, activity):
    return can_edit_agenda(user, activity.ambition.agenda) or owns_activity(user, activity)


def can_post_update(user, activity):
    person_id = getattr(user, "person_id", None)
    return can_edit_activity(user, activity) or bool(
        person_id and activity.owner_person_id == person_id and memberships(user)
    )


def _owner_region_ids(user):
    """Regions (and subregions) of the user's partnerships and municipalities."""
    ids = set()
    for m in memberships(user):
        org = m.partnership if m.role == Role.PARTNERSHIP_DIRECTOR else None
        org = org or (m.municipality if m.role == Role.MUNICIPAL_OFFICER else None)
        if org is not None:
            ids.add(org.region_id)
    return ids


def can_add_meeting(user, agenda):
    if can_edit_agenda(user, agenda):
        return True
    if not has_role(user, *OWNER_ROLES):
        return False
    subregions = set(Region.objects.filter(parent=agenda.region).values_list("pk", flat=True))
    return bool(_owner_region_ids(user) & (subregions | {agenda.region_id}))


def can_edit_meeting(user, meeting):
    if editor_region_ids(user) & _region_tree(meeting.region):
        return True
    organising_partnerships = {p.pk for p in meeting.organising_partnerships.all()}
    organising_municipalities = {m.pk for m in meeting.organising_municipalities.all()}
    return bool(
        (organising_partnerships & partnership_ids(user))
        or (organising_municipalities & municipality_ids(user))
    )


def can_add_activity(user, agenda):
    return can_edit_agenda(user, agenda)
