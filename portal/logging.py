"""Structured logs: JSON lines with request id and user id, never personal data (ADR 0031).

- `ContextFilter` adds `request_id`, `user_id` (the primary key, never a name or e-mail address),
  `task_id` and `task_name` to every record, from context variables set by
  `portal.request_id.RequestIdMiddleware` and the Celery signal handlers in
  `portal.task_logging`.
- `PersonalDataFilter` masks what looks like personal data in messages (e-mail addresses,
  BSNs that pass the eleven test, Dutch phone numbers, IBANs): a last line of defence, not a
  licence to log case data.
- `JsonFormatter` writes one JSON object per line: time, level, logger, message, request_id,
  user_id, then a few whitelisted extras (method, path, status, duration_ms, task_id,
  task_name) and the (masked) traceback as `exc`.

This module imports no Django and no Celery: the gunicorn configuration uses it too.
`DJANGO_LOG_FORMAT=json|plain` chooses the formatter (default json when DEBUG is false).
"""

import logging
import re
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

request_id_var: ContextVar[str | None] = ContextVar("tandem_request_id", default=None)
user_id_var: ContextVar[int | str | None] = ContextVar("tandem_user_id", default=None)
request_var: ContextVar[object | None] = ContextVar("tandem_request", default=None)
task_id_var: ContextVar[str | None] = ContextVar("tandem_task_id", default=None)
task_name_var: ContextVar[str | None] = ContextVar("tandem_task_name", default=None)

LOG_FORMATS = ("json", "plain")
CONTEXT_FIELDS = ("request_id", "user_id", "task_id", "task_name")
# Extras a record may carry into the JSON line; everything else (e.g. Django's `request`
# object on django.request records) stays out.
EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "task_id", "task_name")
FIELD_ORDER = ("time", "level", "logger", "message", "request_id", "user_id", *EXTRA_FIELDS, "exc")


# --- Personal data ------------------------------------------------------------------------
_EMAIL = re.compile(r"[^\s@<>()\[\]\",;:]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z][A-Za-z0-9\-]+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}[A-Z]{4}\d{10}\b")
_PHONE = re.compile(r"(?<![\w+])(?:\+31|0031|0)[ \-]?[1-9](?:[ \-]?\d){8}\b")
_NINE_DIGITS = re.compile(r"(?<![\d\-])\d{9}(?![\d\-])")
# The one-time secret in an invitation link (/uitnodiging/<token>/, ADR 0135): the database
# keeps only its hash, so a log line must not keep it either.
_LINK_SECRET = re.compile(r"(/uitnodiging/)[^/\s?#\"']+")


def is_bsn(digits: str) -> bool:
    """The eleven test (elfproef) of a Dutch citizen service number."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0 and digits != "000000000"


def mask_personal_data(text: str) -> str:
    """Replace obvious personal data in a log text by a placeholder."""
    if not text:
        return text
    text = _LINK_SECRET.sub(r"\1[token]", text)
    text = _EMAIL.sub("[email]", text)
    text = _IBAN.sub("[iban]", text)
    text = _NINE_DIGITS.sub(lambda m: "[bsn]" if is_bsn(m.group(0)) else m.group(0), text)
    text = _PHONE.sub("[phone]", text)
    return text


class PersonalDataFilter(logging.Filter):
    """Masks personal data in the message of every record (the message is rendered first, so
    arguments are covered too). Never drops a record: a masked line beats a lost error."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not lose the record
            message = str(record.msg)
        masked = mask_personal_data(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        return True


# --- Context ------------------------------------------------------------------------------
def _current_user_id():
    explicit = user_id_var.get()
    if explicit is not None:
        return explicit
    request = request_var.get()
    if request is None:
        return None
    # Only a user that the request already loaded: logging must never query the database.
    user = getattr(request, "__dict__", {}).get("_cached_user")
    if user is not None and getattr(user, "is_authenticated", False):
        return user.pk
    return None


current_user_id = _current_user_id  # the same, for portal.error_reporting


class ContextFilter(logging.Filter):
    """Adds request_id, user_id, task_id and task_name (None outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        if getattr(record, "user_id", None) is None:
            record.user_id = _current_user_id()
        if getattr(record, "task_id", None) is None:
            record.task_id = task_id_var.get()
        if getattr(record, "task_name", None) is None:
            record.task_name = task_name_var.get()
        return True


# --- Formatters ---------------------------------------------------------------------------
class JsonFormatter(_BaseJsonFormatter):
    """One JSON object per line with a fixed set of keys (see module docstring)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", ["levelname", "name", "message"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger", "exc_info": "exc"})
        kwargs.setdefault("timestamp", "time")
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def formatException(self, ei):  # noqa: N802 - logging's API
        return mask_personal_data(super().formatException(ei))

    def process_log_record(self, log_data):
        log_data.setdefault("request_id", None)
        log_data.setdefault("user_id", None)
        for key in ("exc", "path"):
            if isinstance(log_data.get(key), str):
                log_data[key] = mask_personal_data(log_data[key])
        ordered = {key: log_data[key] for key in FIELD_ORDER if key in log_data}
        for key in EXTRA_FIELDS:
            if ordered.get(key) is None:
                ordered.pop(key, None)
        return ordered


class PlainFormatter(logging.Formatter):
    """Human-readable lines for development; request id and user id when known."""

    def __init__(self, fmt=None, *args, **kwargs):
        fmt = fmt or "%(asctime)s %(levelname)s %(name)s [%(request_id)s user=%(user_id)s] %(message)s"
        super().__init__(fmt, *args, **kwargs)

    def format(self, record):
        for field in CONTEXT_FIELDS:
            if not hasattr(record, field):
                setattr(record, field, None)
        record.request_id = record.request_id or "-"
        return super().format(record)

    def formatException(self, ei):  # noqa: N802 - logging's API
        return mask_personal_data(super().formatException(ei))


def configure(logging_dict: dict, log_format: str) -> dict:
    """Point the console handler of a `LOGGING` dict at our formatter and filters."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"DJANGO_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    logging_dict.setdefault("filters", {}).update(
        {
            "context": {"()": "portal.logging.ContextFilter"},
            "personal_data": {"()": "portal.logging.PersonalDataFilter"},
        }
    )
    logging_dict.setdefault("formatters", {}).update(
        {
            "json": {"()": "portal.logging.JsonFormatter"},
            "plain": {"()": "portal.logging.PlainFormatter"},
        }
    )
    for handler in logging_dict.get("handlers", {}).values():
        if handler.get("class") == "logging.StreamHandler":
            handler["formatter"] = log_format
            handler["filters"] = ["context", "personal_data"]
    return logging_dict


def gunicorn_logconfig(log_format: str, level: str = "INFO") -> dict:
    """A dictConfig for gunicorn's own loggers (master and workers) in the same format."""
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": level, "propagate": False},
            # Access lines would carry the client's address; Django logs requests instead.
            "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        },
    }
    return configure(config, log_format)
