"""Daily escalation tasks (beat entries in portal/settings.py). No arguments, idempotent."""

from celery import shared_task


@shared_task(name="referrals.auto_escalate", ignore_result=True)
def auto_escalate() -> int:
    """Escalate referrals that exceed the decision norm by the configured margin."""
    from referrals.escalation_services import auto_escalate as run

    return run()


@shared_task(name="referrals.decision_reminders", ignore_result=True)
def decision_reminders() -> int:
    """Remind once when a decision's carry-out date passed without help started."""
    from referrals.escalation_services import send_decision_reminders

    return send_decision_reminders()
