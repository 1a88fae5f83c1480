"""Celery signal handlers: task id and name on every log record of a task, and every failure
logged with the task id (ADR 0031). Task arguments are never logged (they are ids anyway)."""

import logging

from celery import signals

from portal.logging import task_id_var, task_name_var

logger = logging.getLogger("portal.tasks")

_tokens: dict[str, tuple] = {}


@signals.task_prerun.connect
def _bind_task(task_id=None, task=None, **kwargs):
    _tokens[task_id] = (task_id_var.set(task_id), task_name_var.set(getattr(task, "name", None)))


@signals.task_postrun.connect
def _unbind_task(task_id=None, **kwargs):
    tokens = _tokens.pop(task_id, None)
    if tokens:
        task_name_var.reset(tokens[1])
        task_id_var.reset(tokens[0])


@signals.task_failure.connect
def _log_failure(sender=None, task_id=None, exception=None, traceback=None, **kwargs):
    logger.error(
        "task %s failed: %s",
        getattr(sender, "name", "?"),
        type(exception).__name__,
        exc_info=(type(exception), exception, traceback) if exception is not None else None,
        extra={"task_id": task_id, "task_name": getattr(sender, "name", None)},
    )


@signals.task_retry.connect
def _log_retry(sender=None, request=None, reason=None, **kwargs):
    logger.warning(
        "task %s will be retried: %s",
        getattr(sender, "name", "?"),
        type(reason).__name__ if isinstance(reason, BaseException) else "retry",
        extra={"task_id": getattr(request, "id", None), "task_name": getattr(sender, "name", None)},
    )
