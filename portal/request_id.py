"""Request id for every request (ADR 0031).

The id comes from the `X-Request-ID` header when a proxy sent a sane one (letters, digits and
`-_.:`, at most 64 characters), else a new uuid4. It is put in a context variable for the
log filter, on `request.request_id`, and in the response header. One log line per request
(method, path without query string, status, duration) on the `portal.request` logger; health
checks at DEBUG so they do not flood the log.
"""

import logging
import re
import time
import uuid

from portal.logging import request_id_var, request_var

logger = logging.getLogger("portal.request")

HEADER = "X-Request-ID"
_SANE = re.compile(r"^[A-Za-z0-9\-_.:]{1,64}$")
QUIET_PATHS = ("/healthz",)


def request_id_from(header_value: str | None) -> str:
    if header_value and _SANE.fullmatch(header_value):
        return header_value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        id_token = request_id_var.set(request_id)
        request_token = request_var.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            logger.log(
                logging.DEBUG if request.path in QUIET_PATHS else logging.INFO,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_var.reset(request_token)
            request_id_var.reset(id_token)
