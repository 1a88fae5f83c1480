"""Structured logs: JSON lines with request id and user id, personal data masked, Celery
failures with the task id (portal/logging.py, portal/request_id.py, portal/task_logging.py)."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery import shared_task
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from portal.logging import ContextFilter, JsonFormatter, PersonalDataFilter, is_bsn, mask_personal_data
from portal.request_id import request_id_from
from tests.contacts.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_log():
    """A handler on the root logger configured like the production console handler."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    root.addHandler(handler)

    def lines():
        handler.flush()
        raw = stream.getvalue().splitlines()
        return [json.loads(line) for line in raw]

    lines.text = lambda: stream.getvalue()
    yield lines
    root.removeHandler(handler)


def test_a_json_line_has_the_fixed_keys_in_order(json_log):
    logging.getLogger("tandem.test").warning("something %s", "happened", extra={"request": object()})
    [line] = json_log()
    assert list(line) == ["time", "level", "logger", "message", "request_id", "user_id"]
    assert line["level"] == "WARNING"
    assert line["logger"] == "tandem.test"
    assert line["message"] == "something happened"
    assert line["time"].endswith("+00:00")


def test_an_exception_stays_on_one_line_and_is_masked(json_log):
    try:
        raise ValueError("no account for jan.jansen@example.nl")
    except ValueError:
        logging.getLogger("tandem.test").exception("lookup failed")
    text = json_log.text()
    assert text.count("\n") == 1
    [line] = json_log()
    assert "ValueError" in line["exc"]
    assert "jan.jansen@example.nl" not in text
    assert "[email]" in line["exc"]


@pytest.mark.parametrize(
    "header,kept",
    [
        ("abc-123", True),
        ("0b7ab161-3d30-4647-b0cc-d2b9247211fc", True),
        ("trace.id:42_x", True),
        ("", False),
        ("has space", False),
        ("x" * 65, False),
        ("nul\x00byte", False),
        ("<script>", False),
        ("line\nbreak", False),
    ],
)
def test_request_id_is_taken_from_a_sane_header_only(header, kept):
    request_id = request_id_from(header)
    assert (request_id == header) is kept
    if not kept:
        assert len(request_id) == 32 and int(request_id, 16) >= 0


@pytest.mark.django_db
def test_an_invitation_link_s_secret_never_reaches_the_log(client, json_log):
    """The database keeps only the link secret's hash (ADR 0135); the request log masks it."""
    token = "Abc123_-" * 7
    client.get(f"/uitnodiging/{token}/")
    assert token not in json_log.text()
    [line] = [entry for entry in json_log() if entry["logger"] == "portal.request"]
    assert line["path"] == "/uitnodiging/[token]/" and "/uitnodiging/[token]/" in line["message"]


@pytest.mark.django_db
def test_the_response_carries_the_request_id_and_the_log_line_has_it(client, json_log):
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID="probe-4711")
    assert response["X-Request-ID"] == "probe-4711"
    [line] = [entry for entry in json_log() if entry["logger"] == "portal.request"]
    assert line["request_id"] == "probe-4711"
    assert line["path"] == reverse("login")
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert isinstance(line["duration_ms"], float)

    other = client.get(reverse("login"), HTTP_X_REQUEST_ID="not sane!")
    assert other["X-Request-ID"] != "not sane!" and len(other["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_user_id_is_the_primary_key_never_a_name_or_email(client, json_log):
    user = UserFactory(email="marieke.devries@school.example", full_name="Marieke de Vries")
    client.force_login(user)
    client.get(reverse("home"))
    lines = [entry for entry in json_log() if entry["logger"] == "portal.request"]
    assert lines and all(entry["user_id"] == user.pk for entry in lines)
    text = json_log.text()
    assert "marieke" not in text.lower() and "Vries" not in text


@pytest.mark.django_db
def test_anonymous_requests_have_no_user_id(client, json_log):
    client.get(reverse("login"))
    [line] = [entry for entry in json_log() if entry["logger"] == "portal.request"]
    assert line["user_id"] is None


def test_context_is_cleared_after_the_request(json_log, client, db):
    client.get(reverse("login"))
    logging.getLogger("tandem.test").warning("outside")
    assert json_log()[-1]["request_id"] is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("mail to jan@example.nl now", "mail to [email] now"),
        ("bsn 111222333 found", "bsn [bsn] found"),
        ("call 06-12345678", "call [phone]"),
        ("call +31 6 12345678.", "call [phone]."),
        ("call 030 1234567", "call [phone]"),
        ("iban NL91ABNA0417164300", "iban [iban]"),
        # Not personal data: stays as it is.
        ("number 123456789 fails the eleven test", "number 123456789 fails the eleven test"),
        ("referral AJS-2026-00042", "referral AJS-2026-00042"),
        ("task 0b7ab161-3d30-4647-b0cc-d2b9247211fc", "task 0b7ab161-3d30-4647-b0cc-d2b9247211fc"),
        ("took 12.5 ms, status 200", "took 12.5 ms, status 200"),
    ],
)
def test_personal_data_is_masked(text, expected):
    assert mask_personal_data(text) == expected


def test_the_filter_masks_arguments_too(json_log):
    logging.getLogger("tandem.test").warning("user %s with bsn %s", "p.de.boer@example.nl", "111222333")
    assert json_log()[0]["message"] == "user [email] with bsn [bsn]"


@given(st.emails())
def test_no_generated_email_address_survives_masking(email):
    assert email not in mask_personal_data(f"owner: {email} (x)")


def test_the_eleven_test():
    assert is_bsn("111222333")
    assert not is_bsn("123456789")
    assert not is_bsn("000000000")
    assert not is_bsn("12345678")


@shared_task(name="tests.logging.failing")
def failing_task(referral_id):
    logging.getLogger("tandem.test").info("working on %s", referral_id)
    raise ValueError("could not notify k.bakker@example.nl")


def test_a_failing_task_is_logged_with_its_task_id(json_log):
    result = failing_task.apply(args=[42], throw=False)
    assert result.failed()
    lines = json_log()
    [inside] = [entry for entry in lines if entry["message"] == "working on 42"]
    assert inside["task_id"] == result.id and inside["task_name"] == "tests.logging.failing"
    [failure] = [entry for entry in lines if entry["logger"] == "portal.tasks"]
    assert failure["level"] == "ERROR"
    assert failure["task_id"] == result.id
    assert failure["message"] == "task tests.logging.failing failed: ValueError"
    assert "k.bakker@example.nl" not in json_log.text()
    logging.getLogger("tandem.test").warning("after the task")
    assert json_log()[-1].get("task_id") is None


def _logging_settings(**env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full_env.update(
        DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_SECRET_KEY="s3cret-" + "x7Yq" * 14, **env
    )
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "h = settings.LOGGING['handlers']['console']; print(h['formatter'], ','.join(h['filters']))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=60
    )


def test_log_format_follows_django_log_format_and_debug():
    assert _logging_settings(DJANGO_DEBUG="false").stdout.split() == ["json", "context,personal_data"]
    assert _logging_settings(DJANGO_DEBUG="true").stdout.split()[0] == "plain"
    assert _logging_settings(DJANGO_DEBUG="false", DJANGO_LOG_FORMAT="plain").stdout.split()[0] == "plain"
    assert _logging_settings(DJANGO_DEBUG="true", DJANGO_LOG_FORMAT="json").stdout.split()[0] == "json"
    bad = _logging_settings(DJANGO_DEBUG="false", DJANGO_LOG_FORMAT="xml")
    assert bad.returncode != 0 and "DJANGO_LOG_FORMAT" in bad.stderr
