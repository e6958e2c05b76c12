"""Logging, configured by the app itself for every process (gunicorn's workers, the RQ
worker, the cron, the CLI): one format, the level from LOG_LEVEL, and in the web process
one line per request carrying a request id (also sent back as X-Request-ID, and taken
from the proxy's X-Request-ID when it sends a sane one)."""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, has_request_context, request

FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_KEY = "casework.logging"
log = logging.getLogger("casework.request")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or "-") on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def configure(app: Flask) -> None:
    level = app.config.get("LOG_LEVEL") or "INFO"
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, "casework", False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler.casework = True
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    root.setLevel(level)
    app.extensions[_KEY] = True
    app.before_request(_start)
    app.after_request(_finish)


def _start() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex[:16]
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    started = g.get("request_started")
    if started is not None:
        log.info("%s %s %s %.1f ms", request.method, request.full_path.rstrip("?"),
                 response.status_code, (time.perf_counter() - started) * 1000)
        response.headers.setdefault("X-Request-ID", g.request_id)
    return response
