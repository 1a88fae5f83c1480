"""The Celery app. Tasks take ids, never personal data; JSON only; late acknowledgement.

The beat schedule is defined in code (`CELERY_BEAT_SCHEDULE` in settings).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("tandem")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Task id on every log record of a task; failures logged with the task id (ADR 0031).
from portal import task_logging  # noqa: E402,F401

# Task outcomes counted for /metrics (ADR 0102).
from portal.metrics import connect_task_signals  # noqa: E402

connect_task_signals()
