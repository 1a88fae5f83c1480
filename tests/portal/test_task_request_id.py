"""The request id crosses the Celery boundary (portal/task_logging.py): a task's log lines carry
the id of the request that queued it. Eager tasks publish no message, so the signal handlers are
tested directly, and once end to end with a real worker."""

import json
import logging
import os
import time
import uuid
from types import SimpleNamespace

import pytest
from celery import signals

from portal import task_logging
from portal.celery import app
from portal.logging import ContextFilter, request_id_var, task_id_var
from tests.helpers.celery_worker import real_worker


@pytest.fixture
def in_request():
    token = request_id_var.set("req-queued-1")
    yield "req-queued-1"
    request_id_var.reset(token)


def test_the_handlers_are_connected():
    assert task_logging._stamp_request_id in [ref() for _key, ref in signals.before_task_publish.receivers]
    assert task_logging._bind_task in [ref() for _key, ref in signals.task_prerun.receivers]


def test_publishing_inside_a_request_stamps_its_id(in_request):
    headers = {"id": "t-1"}
    task_logging._stamp_request_id(headers=headers, body=(), routing_key="celery")
    assert headers[task_logging.REQUEST_ID_HEADER] == "req-queued-1"


def test_publishing_outside_a_request_stamps_nothing():
    headers = {}
    task_logging._stamp_request_id(headers=headers)
    assert headers == {}


def _task(header_value):
    request = (
        SimpleNamespace(**{task_logging.REQUEST_ID_HEADER: header_value})
        if header_value
        else SimpleNamespace()
    )
    return SimpleNamespace(name="portal.heartbeat", request=request)


def test_prerun_puts_the_queuing_request_id_in_the_log_context_and_postrun_removes_it():
    record = logging.LogRecord("portal.tasks", logging.INFO, __file__, 1, "x", None, None)
    task_logging._bind_task(task_id="t-2", task=_task("req-from-web"))
    try:
        ContextFilter().filter(record)
        assert (record.request_id, record.task_id, record.task_name) == (
            "req-from-web",
            "t-2",
            "portal.heartbeat",
        )
    finally:
        task_logging._unbind_task(task_id="t-2")
    assert request_id_var.get() is None and task_id_var.get() is None


def test_a_task_without_a_request_id_or_with_a_bad_one_gets_none():
    for value in (None, "no spaces allowed", "x" * 65, 42):
        task_logging._bind_task(task_id="t-3", task=_task(value))
        try:
            assert request_id_var.get() is None
        finally:
            task_logging._unbind_task(task_id="t-3")


def test_an_eager_task_inside_the_request_keeps_the_request_id(in_request):
    task_logging._bind_task(task_id="t-4", task=_task(None))
    try:
        assert request_id_var.get() == "req-queued-1"
    finally:
        task_logging._unbind_task(task_id="t-4")
    assert request_id_var.get() == "req-queued-1"


@pytest.mark.celery_worker
def test_a_real_worker_logs_the_id_of_the_request_that_queued_the_task(in_request):
    import redis

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    with real_worker(REDIS_URL=redis_url, CELERY_WORKER_TEST="1", DJANGO_LOG_FORMAT="json") as (
        worker,
        queue,
    ):
        producer = app.connection_for_write(redis_url)
        # No argument: the task fails, and the failure is logged (at ERROR) by the worker.
        app.send_task("portal.heartbeat", args=[], queue=queue, connection=producer)
        token = uuid.uuid4().hex
        app.send_task("portal.heartbeat", args=[token], queue=queue, connection=producer)
        client = redis.Redis.from_url(redis_url)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(client.scan_iter(match=f"*heartbeat:{token}")):
            time.sleep(0.2)
    lines = [json.loads(line) for line in worker.output.splitlines() if line.startswith("{")]
    failures = [line for line in lines if line.get("message", "").startswith("task portal.heartbeat failed")]
    assert failures, worker.output[-2000:]
    assert failures[0]["request_id"] == "req-queued-1"
    assert failures[0]["task_id"]
