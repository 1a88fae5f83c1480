"""Read-side helpers of the work agenda's pages: data the views hand to their templates."""

from collections import defaultdict

from django.db.models import Value

from agenda.models import Meeting
from contacts.permissions import registry_labels


def name_organisations(meetings):
    """Sets `organisers` and `attendees` on each meeting: the names of the organisations its
    many-to-many fields hold, field by field in the form's order, each field's by name. One
    query over the fields' link tables for all meetings; the names from the registry cache
    (contacts.permissions.registry_labels), not seven prefetches of whole organisations."""
    fields = [*Meeting.ORGANISER_FIELDS, *Meeting.ATTENDEE_FIELDS]
    for meeting in meetings:
        meeting.organisers, meeting.attendees = [], []
    if not meetings:
        return
    ids = [meeting.pk for meeting in meetings]
    links = []
    for index, name in enumerate(fields):
        field = Meeting._meta.get_field(name)
        links.append(
            field.remote_field.through.objects.filter(meeting_id__in=ids).values_list(
                "meeting_id", f"{field.m2m_reverse_field_name()}_id", Value(index)
            )
        )
    linked = defaultdict(set)  # (meeting, field index) -> the organisations' ids
    wanted = defaultdict(set)  # model -> the organisations' ids, one lookup per model
    for meeting_pk, target, index in links[0].union(*links[1:], all=True):
        linked[meeting_pk, index].add(target)
        wanted[Meeting._meta.get_field(fields[index]).related_model].add(target)
    labels = {model: registry_labels(model, targets) for model, targets in wanted.items()}
    for meeting in meetings:
        for index, name in enumerate(fields):
            mine = linked[meeting.pk, index]
            if mine:
                names = meeting.organisers if name in Meeting.ORGANISER_FIELDS else meeting.attendees
                model = Meeting._meta.get_field(name).related_model
                names.extend(label for pk, label in labels[model] if pk in mine)
