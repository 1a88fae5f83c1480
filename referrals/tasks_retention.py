"""The nightly retention run (beat entry in portal/settings.py, ADR 0046). No arguments,
idempotent, counts only in the result and the log."""

from celery import shared_task


@shared_task(name="referrals.apply_retention", ignore_result=True)
def apply_retention() -> dict:
    """Anonymise closed and declined referrals past their term; delete stale drafts."""
    from referrals.retention import apply_retention as run

    return run().as_dict()
