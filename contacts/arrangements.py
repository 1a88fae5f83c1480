"""Collective arrangements (ADR 0161): reading them and the registry administrator's actions.

    visible_arrangements(user)                  the arrangements of the user's regions
    current_for_school(school, on)              the arrangements that hold for a school on a day
    create_arrangement(actor, region, **data)   one transaction, one ArrangementRecord
    update_arrangement(actor, arrangement, **data)

Bad input raises ValidationError with a message per field and changes nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts import permissions
from contacts.models import ArrangementRecord, CollectiveArrangement, Region
from contacts.models.arrangements import CAPACITY_MESSAGE, PERCENT_MESSAGE

# The fields a form edits, in the order the history names them.
FIELDS = (
    "name",
    "schools",
    "providers",
    "care_workers",
    "education_percentage",
    "valid_from",
    "valid_to",
    "capacity",
    "note",
)
M2M_FIELDS = ("schools", "providers", "care_workers")
TEXT_FIELDS = ("name", "note")


def visible_arrangements(user):
    ids = permissions.arrangement_region_ids(user)
    return CollectiveArrangement.objects.filter(region__in=ids)


def current_q(on, prefix=""):
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def current_for_school(school, on=None):
    """The arrangements that hold for `school` on `on` (default today)."""
    on = on or timezone.localdate()
    if school is None:
        return CollectiveArrangement.objects.none()
    return CollectiveArrangement.objects.filter(current_q(on), schools=school).order_by("name", "id")


def current_for_provider(provider, on=None):
    on = on or timezone.localdate()
    return CollectiveArrangement.objects.filter(current_q(on), providers=provider).order_by("name", "id")


def pilot_school_q(on, prefix=""):
    """Schools (at `prefix`) that are pilot schools with collective funding on `on`: a current
    arrangement, or the flag the registry set before arrangements were recorded (ADR 0161)."""
    return Q(**{f"{prefix}collective_funding_pilot": True}) | Q(
        **{f"{prefix}pk__in": CollectiveArrangement.objects.filter(current_q(on)).values("schools")}
    )


def _region_id(organisation):
    region = organisation.top_region
    return region.pk if region is not None else None


def arrangement_errors(region, data):
    """{field: message} for everything wrong with `data` for an arrangement of `region`."""
    errors = {}
    for field in TEXT_FIELDS:
        if "\x00" in (data.get(field) or ""):
            errors[field] = _("Remove the special (NUL) characters from this text.")
    if not (data.get("name") or "").strip() and "name" not in errors:
        errors["name"] = _("Enter the name of the arrangement.")
    elif len(data.get("name") or "") > 200:
        errors["name"] = _("Enter a name of at most 200 characters.")
    percentage = data.get("education_percentage")
    if percentage is None or not 0 <= percentage <= 100:
        errors["education_percentage"] = str(PERCENT_MESSAGE)
    capacity = data.get("capacity")
    if capacity is None or capacity < 1:
        errors["capacity"] = str(CAPACITY_MESSAGE)
    start, end = data.get("valid_from"), data.get("valid_to")
    if start is None:
        errors["valid_from"] = _("Enter the date the arrangement starts.")
    elif end is not None and end < start:
        errors["valid_to"] = _("The end date cannot be before the start date.")
    schools = list(data.get("schools") or [])
    providers = list(data.get("providers") or [])
    if not schools:
        errors["schools"] = _("Choose at least one school.")
    elif any(_region_id(school) != region.pk for school in schools):
        errors["schools"] = _("Choose only schools of %(region)s.") % {"region": region.name}
    if not providers:
        errors["providers"] = _("Choose at least one care provider.")
    elif any(_region_id(p) not in (None, region.pk) for p in providers):
        errors["providers"] = _("Choose only care providers of %(region)s.") % {"region": region.name}
    provider_ids = {p.pk for p in providers}
    for worker in data.get("care_workers") or []:
        if not provider_ids & {p.pk for p in worker.care_providers.all()}:
            errors["care_workers"] = _("%(name)s does not work for one of the chosen care providers.") % {
                "name": worker.name
            }
            break
    return errors


def _clean(region, data):
    data = {field: data.get(field) for field in FIELDS}
    data["note"] = data["note"] or ""
    data["name"] = (data["name"] or "").strip()
    errors = arrangement_errors(region, data)
    if errors:
        raise ValidationError(errors)
    return data


def _save(arrangement, data):
    for field in FIELDS:
        if field not in M2M_FIELDS:
            setattr(arrangement, field, data[field])
    arrangement.full_clean(exclude=["created_by"])
    arrangement.save()
    for field in M2M_FIELDS:
        getattr(arrangement, field).set(data[field] or [])


def create_arrangement(actor, region, **data):
    """Record a collective arrangement of `region` (a top-level region)."""
    if (
        region is None
        or region.parent_id is not None
        or not permissions.can_manage_arrangements(actor, region)
    ):
        raise PermissionDenied
    data = _clean(region, data)
    with transaction.atomic():
        arrangement = CollectiveArrangement(region=region, created_by=actor)
        _save(arrangement, data)
        ArrangementRecord.objects.create(
            arrangement=arrangement, kind=ArrangementRecord.Kind.CREATED, actor=actor
        )
    return arrangement


def _snapshot(arrangement):
    values = {field: getattr(arrangement, field) for field in FIELDS if field not in M2M_FIELDS}
    for field in M2M_FIELDS:
        values[field] = set(getattr(arrangement, field).values_list("pk", flat=True))
    return values


def update_arrangement(actor, arrangement, **data):
    """Change an arrangement; the record names the fields that changed (nothing changed: no
    record). Returns the arrangement."""
    if not permissions.can_manage_arrangements(actor, arrangement.region):
        raise PermissionDenied
    data = _clean(arrangement.region, data)
    with transaction.atomic():
        locked = CollectiveArrangement.objects.select_for_update().get(pk=arrangement.pk)
        before = _snapshot(locked)
        _save(locked, data)
        after = _snapshot(locked)
        changed = [field for field in FIELDS if before[field] != after[field]]
        if changed:
            ArrangementRecord.objects.create(
                arrangement=locked, kind=ArrangementRecord.Kind.CHANGED, actor=actor, fields=",".join(changed)
            )
    return locked


def field_labels(record):
    """The verbose names of the fields a record says changed, in the reader's language."""
    names = [name for name in record.fields.split(",") if name]
    return [str(CollectiveArrangement._meta.get_field(name).verbose_name) for name in names]


def managed_regions(user):
    return Region.objects.filter(pk__in=permissions.arrangement_admin_region_ids(user)).order_by("name")
