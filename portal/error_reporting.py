"""Optional error reporting to Sentry, without personal data (ADR 0101).

Off unless `SENTRY_DSN` is set. When on, the SDK is told to collect as little as it can and
every event is scrubbed before it leaves the process:

- `send_default_pii=False`, no request bodies (`max_request_body_size="never"`), no local
  variables in stack frames (they hold referrals, children, forms), no performance tracing;
- `scrub_event` keeps of the request only its method and its path (without query string),
  of the user only the id, drops cookies, headers, extra data and SQL parameters, and runs
  every remaining text through `portal.logging.mask_personal_data`, the masking the JSON logs
  use (e-mail addresses, BSNs, phone numbers, IBANs);
- the request id and the task id (in a task, the request id is that of the request that
  queued it) become tags,
  so an event is found from the id the 500 page shows, and every log line of it.

Like the log masking this is a last line of defence: code must not put case data in
exception messages.
"""

import warnings

from portal.logging import (
    current_user_id,
    mask_personal_data,
    request_id_var,
    request_var,
    task_id_var,
    task_name_var,
)

# Keys of an event that are dropped whole: they are where personal data would sit.
_DROPPED_KEYS = ("extra", "modules", "server_name")


def _mask(value, depth=0):
    """Every string in a nested structure masked; depth-limited against cycles."""
    if depth > 30:
        return None
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, dict):
        return {key: _mask(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_mask(item, depth + 1) for item in value]
    return value


def _strip_frames(event):
    for container in (
        event.get("exception", {}).get("values") or [],
        event.get("threads", {}).get("values") or [],
    ):
        for value in container:
            for frame in (value.get("stacktrace") or {}).get("frames") or []:
                frame.pop("vars", None)


def context_tags() -> dict:
    """The ids of the current request and task, as the log lines carry them."""
    tags = {
        # In a task: the id of the request that queued it (portal/task_logging.py).
        "request_id": request_id_var.get(),
        "task_id": task_id_var.get(),
        "task_name": task_name_var.get(),
    }
    return {key: value for key, value in tags.items() if value}


def scrub_event(event, hint=None):
    """`before_send`: the event without personal data (see the module docstring)."""
    for key in _DROPPED_KEYS:
        event.pop(key, None)
    # The request: method and path only, from the request being served when there is one.
    current = request_var.get()
    request = event.get("request") if isinstance(event.get("request"), dict) else {}
    method = getattr(current, "method", None) or request.get("method")
    url = mask_personal_data(getattr(current, "path", None) or str(request.get("url") or "").split("?", 1)[0])
    event.pop("request", None)
    if method or url:
        event["request"] = {key: value for key, value in (("method", method), ("url", url)) if value}
    # The user: the account's number, as in the log lines; never a name or address.
    user = event.pop("user", None)
    user_id = user.get("id") if isinstance(user, dict) else None
    if user_id is None:
        user_id = current_user_id()
    if user_id is not None:
        event["user"] = {"id": str(user_id)}
    _strip_frames(event)
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, dict):
        for crumb in breadcrumbs.get("values") or []:
            # SQL breadcrumbs: the statement stays (placeholders), the parameters go.
            crumb.pop("data", None)
    event["tags"] = {**(event.get("tags") or {}), **context_tags()}
    return _mask(event)


def scrub_breadcrumb(crumb, hint=None):
    """`before_breadcrumb`: no data dictionaries (SQL parameters, HTTP details), texts masked."""
    crumb.pop("data", None)
    return _mask(crumb)


def init(dsn: str, *, environment: str = "production", release: str | None = None, transport=None) -> bool:
    """Start the Sentry SDK for Django and Celery when `dsn` is set; return whether it is on.

    `transport` replaces the network transport (tests capture events with it)."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    options = {
        "dsn": dsn,
        "environment": environment,
        "release": release or None,
        "send_default_pii": False,
        "max_request_body_size": "never",
        "include_local_variables": False,
        "include_source_context": True,
        "traces_sample_rate": 0,
        "before_send": scrub_event,
        "before_breadcrumb": scrub_breadcrumb,
        "default_integrations": True,
        "integrations": [
            DjangoIntegration(transaction_style="url", middleware_spans=False, signals_spans=False),
            CeleryIntegration(),
            # ERROR log lines become events; lower levels only breadcrumbs (masked).
            LoggingIntegration(event_level=None),
        ],
    }
    if transport is not None:
        options["transport"] = transport
    with warnings.catch_warnings():
        # sentry-sdk 2.x announces `data_collection` as the successor of send_default_pii;
        # send_default_pii=False is what ADR 0101 asks for and still what the SDK honours.
        warnings.filterwarnings("ignore", message="The send_default_pii option is deprecated")
        sentry_sdk.init(**options)
    return True


def is_enabled() -> bool:
    try:
        import sentry_sdk
    except ImportError:  # pragma: no cover - it is a dependency
        return False
    return sentry_sdk.get_client().is_active()


def last_event_id() -> str | None:
    if not is_enabled():
        return None
    import sentry_sdk

    return sentry_sdk.last_event_id()
