"""One JSON object per log line, in the shape of Lambda's JSON log format, everywhere.

On Lambda with ``AWS_LAMBDA_LOG_FORMAT=JSON`` the runtime's own formatter writes stdlib
``logging`` records as ``timestamp``, ``level``, ``message``, ``logger``, ``requestId`` plus the
``extra=`` fields at top level, and the function's application log level decides what is kept:
``configure_logging`` then changes nothing. Anywhere else (Lambda's text format, tests, the local
demo) it installs ``LambdaJsonFormatter``, which writes the same lines, on the handler's loggers.
"""

import json
import logging
import os
import sys
import threading
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Final

from handlers.telemetry.events import (
    FIELD_EVENT,
    FIELD_LEVEL,
    FIELD_LOGGER,
    FIELD_MESSAGE,
    FIELD_REQUEST_ID,
    FIELD_TIMESTAMP,
    Level,
    LogEvent,
)
from handlers.timestamps import iso_utc

# Parent of every logger in handlers/; the one configure_logging sets up.
ROOT_LOGGER_NAME: Final = "handlers"
ENV_LAMBDA_LOG_FORMAT: Final = "AWS_LAMBDA_LOG_FORMAT"

_LEVELS: Final = {Level.INFO: logging.INFO, Level.WARNING: logging.WARNING, Level.ERROR: logging.ERROR}
# LogRecord's own attributes: everything else on a record came from ``extra=``.
_RECORD_ATTRIBUTES: Final = frozenset(
    set(vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))) | {"message", "asctime", "aws_request_id"}
)
_request_id: ContextVar[str | None] = ContextVar("aws_request_id", default=None)
_configure_lock = threading.Lock()


@contextmanager
def request_scope(request_id: str) -> Iterator[None]:
    """Stamp ``requestId`` on every line logged inside (Lambda's runtime does it on Lambda)."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


class LambdaJsonFormatter(logging.Formatter):
    """The lines Lambda's JSON log format writes for a stdlib logging record."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return iso_utc(datetime.fromtimestamp(record.created, tz=UTC))

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            FIELD_TIMESTAMP: self.formatTime(record),
            FIELD_LEVEL: logging.getLevelName(min(50, max(0, record.levelno)) // 10 * 10),
            FIELD_MESSAGE: record.getMessage(),
            FIELD_LOGGER: record.name,
            FIELD_REQUEST_ID: getattr(record, "aws_request_id", None) or _request_id.get(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, exc, tb = record.exc_info
            line["errorType"] = exc_type.__name__
            line["errorMessage"] = str(exc)
            line["stackTrace"] = traceback.format_tb(tb)
            line["location"] = f"{record.pathname}:{record.funcName}:{record.lineno}"
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in line:
                line[key] = value
        # Lambda drops empty fields; json.dumps escapes newlines, so one record is one line.
        return json.dumps({k: v for k, v in line.items() if v is not None}, default=str, ensure_ascii=False)


class _StdoutHandler(logging.Handler):
    """Writes to whatever ``sys.stdout`` is at the time (Lambda captures it; so does pytest)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stdout.write(self.format(record) + "\n")
            sys.stdout.flush()
        except Exception:
            self.handleError(record)


def lambda_formats_json(environ: Mapping[str, str]) -> bool:
    return environ.get(ENV_LAMBDA_LOG_FORMAT, "").upper() == "JSON"


def configure_logging(environ: Mapping[str, str] = os.environ) -> None:
    """Make the handler's log lines Lambda-shaped JSON; cheap and idempotent, call it per invocation."""
    if lambda_formats_json(environ):
        return
    logger = logging.getLogger(ROOT_LOGGER_NAME)
    with _configure_lock:  # concurrent first invocations must not add two handlers
        if any(isinstance(h, _StdoutHandler) for h in logger.handlers):
            return
        handler = _StdoutHandler()
        handler.setFormatter(LambdaJsonFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        # Lambda's text-format root handler would write each line a second time, as text.
        logger.propagate = False


def log_event(
    logger: logging.Logger,
    level: Level,
    event: LogEvent,
    fields: Mapping[str, object],
    exc_info: BaseException | None = None,
) -> None:
    """One line for one thing that happened: ``message`` and ``event`` are the event name."""
    # stacklevel=2: the location Lambda records is the caller, not this function.
    logger.log(_LEVELS[level], event.value, extra={FIELD_EVENT: event.value, **fields}, exc_info=exc_info, stacklevel=2)
