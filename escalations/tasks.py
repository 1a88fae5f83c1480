"""Daily escalation tasks (beat entries in portal/settings.py). No arguments, idempotent.

The registered names keep the "referrals." prefix they had before escalations became an app
(ADR 0062): the beat schedule and any task still queued refer to them by name."""

from celery import shared_task

from escalations import services


@shared_task(name="referrals.auto_escalate", ignore_result=True)
def auto_escalate() -> int:
    """Escalate referrals that exceed the decision norm by the configured margin."""
    return services.auto_escalate()


@shared_task(name="referrals.decision_reminders", ignore_result=True)
def decision_reminders() -> int:
    """Remind once when a decision's carry-out date passed without help started."""
    return services.send_decision_reminders()
