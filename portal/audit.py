"""Write access-log entries (NEN 7513). Call on every read of a referral, attachment or export."""

from portal.models import AccessLog


def log_access(
    user, action, obj=None, *, role="", organisation="", object_type="", object_id="", reference=""
):
    """Record that `user` did `action` (AccessLog.Action) on `obj` acting as `role` for
    `organisation`. Only ids and reference numbers are stored, never child data."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        reference = reference or getattr(obj, "reference", "") or ""
    return AccessLog.objects.create(
        user=user,
        role=str(role),
        organisation=str(organisation)[:250],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_reference=reference or "",
    )
