"""Celery signal handlers: task id and name on every log record of a task, and every failure
logged with the task id (ADR 0031). Task arguments are never logged (they are ids anyway).

The request id crosses the broker: a task queued while a request (or another task) is being
handled carries that request's id in the message header `tandem_request_id`
(`before_task_publish`), and the worker puts it back in the log context for the task's run
(`task_prerun`), so the task's log lines and error reports carry the id of the request that
queued it. A task queued by beat has none."""

import logging

from celery import signals

from portal.logging import request_id_var, task_id_var, task_name_var
from portal.request_id import request_id_from

logger = logging.getLogger("portal.tasks")

REQUEST_ID_HEADER = "tandem_request_id"

_tokens: dict[str, tuple] = {}


@signals.before_task_publish.connect
def _stamp_request_id(headers=None, **kwargs):
    """Put the current request id in the headers of a task message being sent."""
    request_id = request_id_var.get()
    if request_id and headers is not None:
        headers.setdefault(REQUEST_ID_HEADER, request_id)


def queued_by(task) -> str | None:
    """The request id a task's message carries, if it is a sane one (else None)."""
    request = getattr(task, "request", None)
    value = getattr(request, REQUEST_ID_HEADER, None) if request is not None else None
    if value is None and isinstance(getattr(request, "headers", None), dict):
        value = request.headers.get(REQUEST_ID_HEADER)
    if not isinstance(value, str) or request_id_from(value) != value:
        return None
    return value


@signals.task_prerun.connect
def _bind_task(task_id=None, task=None, **kwargs):
    tokens = [task_id_var.set(task_id), task_name_var.set(getattr(task, "name", None))]
    request_id = queued_by(task)
    # An eager task runs inside the request that queued it: its id is already in the context.
    if request_id and request_id_var.get() != request_id:
        tokens.append(request_id_var.set(request_id))
    _tokens[task_id] = tuple(tokens)


@signals.task_postrun.connect
def _unbind_task(task_id=None, **kwargs):
    tokens = _tokens.pop(task_id, None)
    if tokens:
        if len(tokens) > 2:
            request_id_var.reset(tokens[2])
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
