"""LambdaErrors and the dashboard's "Recent errors" on the lines Lambda itself writes, not only the handler's.

With JSON log format the function's log group holds three kinds of lines:

- the handler's own stdlib-logging lines, level in ``level`` (``ERROR`` for ``image.failed``);
- the Python runtime's error line when the handler raises, or when the module fails to import.
  awslambdaric ``bootstrap.log_error`` (JSON branch) writes ``{"timestamp", "log_level": "ERROR",
  "errorMessage", "errorType", "requestId", "stackTrace"}``: the level is in ``log_level``, not
  ``level``, and there is no ``message`` (github.com/aws/aws-lambda-python-runtime-interface-client,
  ``awslambdaric/bootstrap.py`` at 4.0.1, commit 46e4c6a; issues #202 and #220). awslambdaric 4.0.4
  renames the key to ``level`` (PR #221, release notes of 4.0.4); which one a managed python3.12
  runtime writes depends on the runtime version it runs, so both are counted;
- Lambda's system lines: ``{"time", "type": "platform.<event>", "record": {...}}`` with no level
  field at all. A timeout is a ``platform.runtimeDone`` and a ``platform.report`` whose
  ``record.status`` is ``"timeout"``; no "Task timed out after N seconds" line is written any more
  (DataBiosphere/azul issue #8140, June 2026: only "Status: timeout" on REPORT in text format; the
  JSON capture below has only the two platform records). Under the function's
  ``system_log_level = "WARN"`` only non-success records are kept: the "System log level event
  mapping" of the Lambda guide's log-level filtering page makes ``platform.start`` and a successful
  ``platform.report`` INFO, a successful ``platform.runtimeDone`` DEBUG, and ``platform.runtimeDone``,
  ``platform.report``, ``platform.initRuntimeDone`` and ``platform.initReport`` WARN when their status
  is not success (as reproduced in Neaox/overcast ``internal/services/lambda/logging_json.go``).

So LambdaErrors counts a timeout on its ``platform.report`` only, once per invocation.
"""

import json
import logging
import re

import pytest

import logfilter
from components.monitoring.catalogue import LAMBDA_ERRORS
from components.monitoring.dashboard import recent_errors_query
from handlers.telemetry.events import (
    FIELD_BUCKET,
    FIELD_ERROR_CODE,
    FIELD_ERROR_MESSAGE,
    FIELD_ERROR_TYPE,
    FIELD_KEY,
    FIELD_REASON,
    Level,
    LogEvent,
)
from handlers.telemetry.logger import LambdaJsonFormatter, log_event

# --- The runtime's own lines -----------------------------------------------------------------------

# (a) An exception the handler did not catch, python3.12, JSON log format: copied from a CloudWatch
# event captured on 2024-06-17 in level12/mu, mu/tests/data/log_events.py (``unhandled_exc``,
# commit c24d61c). In that capture the line follows a plain-text LAMBDA_WARNING and "\r" in the
# same event (RUNTIME_ERROR_2024_EVENT below); the runtime has written the warning as its own JSON
# line since awslambdaric #182 (Jan 2025) and only for init errors since #189 (May 2025), so today
# the error line is an event of its own, exactly this JSON object.
RUNTIME_UNCAUGHT_EXCEPTION = (
    '{"timestamp": "2024-06-17T17:23:55Z", "log_level": "ERROR"'
    ', "errorMessage": "\'utf-8\' codec can\'t decode byte 0x80 in position 7: invalid start byte"'
    ', "errorType": "UnicodeDecodeError", "requestId": "ca52c236-a38d-40fc-aa6b-7e3be2b7aa55"'
    ', "stackTrace": ["  File \\"/var/lang/lib/python3.12/site-packages/mu/handler.py\\", line 21'
    ', in on_event\\n    return cls.wsgi(event, context)\\n"'
    ', "  File \\"/var/lang/lib/python3.12/site-packages/mu/handler.py\\", line 92'
    ", in wsgi\\n    return awsgi2.response(cls.wsgi_app, event, context"
    ", base64_content_types={'image/png'})\\n\""
    ', "  File \\"/var/lang/lib/python3.12/site-packages/awsgi2/wrapper.py\\", line 27'
    ', in response\\n    return instance.response(output)\\n"'
    ', "  File \\"/var/lang/lib/python3.12/site-packages/awsgi2/impl.py\\", line 18'
    ", in response\\n    resp = cast(Dict[str, Union[bool, str, int, Mapping[str, str]]]"
    ', super().response(output))\\n"'
    ', "  File \\"/var/lang/lib/python3.12/site-packages/awsgi2/base.py\\", line 104'
    ', in response\\n    resp.update(self.build_body(headers, output))\\n"'
    ', "  File \\"/var/lang/lib/python3.12/site-packages/awsgi2/base.py\\", line 90'
    ', in build_body\\n    converted_output = ensure_str(full_body)\\n"'
    ', "  File \\"/var/lang/lib/python3.12/site-packages/libadvian/binpackers.py\\", line 35'
    ', in ensure_str\\n    return instr.decode(\\"utf-8\\")\\n"]}'
)

# (a) The same line from awslambdaric 4.0.4 on: PR #221 renames only the key "log_level" to "level".
RUNTIME_UNCAUGHT_EXCEPTION_FROM_4_0_4 = RUNTIME_UNCAUGHT_EXCEPTION.replace('"log_level": ', '"level": ', 1)

# The runtime's LAMBDA_WARNING text, as in the 2024 capture (awslambdaric lambda_literals.py).
LAMBDA_WARNING_TEXT = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. "
    "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. "
    "For functions using managed runtimes, runtime updates can be triggered by a function change, "
    "or can be applied automatically. To determine if the runtime has been updated, check the "
    "runtime version in the INIT_START log entry. If this error correlates with a change in the "
    "runtime version, you may be able to mitigate this error by temporarily rolling back to the "
    "previous runtime version. For more information, see "
    "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
)

# The whole 2024 event (level12/mu, above): warning, "\r", error line. Not a JSON object.
RUNTIME_ERROR_2024_EVENT = LAMBDA_WARNING_TEXT + "\r" + RUNTIME_UNCAUGHT_EXCEPTION + "\n"

# (b) An init error (the module fails to import). The body is the runtime's error result exactly as
# real invocations return it (e.g. {"errorMessage": "Unable to import module 'lambda_function': No
# module named 'lambda_function'", "errorType": "Runtime.ImportModuleError", "requestId": "",
# "stackTrace": []}: _get_handler raises FaultException(IMPORT_MODULE_ERROR, "Unable to import
# module '{}': {}"), make_error builds the result); bootstrap.run logs it with log_error, which
# prefixes "timestamp" (%Y-%m-%dT%H:%M:%SZ) and "log_level": "ERROR". Built from that source path,
# not captured: no CloudWatch capture of an init error in JSON format was found.
RUNTIME_INIT_ERROR = (
    '{"timestamp": "2026-07-09T06:05:45Z", "log_level": "ERROR"'
    ", \"errorMessage\": \"Unable to import module 'lambda_function': No module named 'lambda_function'\""
    ', "errorType": "Runtime.ImportModuleError", "requestId": "", "stackTrace": []}'
)

# (b) The warning bootstrap.run logs just before an init error (logging.warning, so the runtime's
# JsonFormatter writes it: level "WARNING", logger "root", requestId "" at init; the literal ends in
# "\r"). Built from awslambdaric 4.0.1 bootstrap.py and lambda_runtime_log_utils.py.
RUNTIME_INIT_WARNING = json.dumps(
    {
        "timestamp": "2026-07-09T06:05:45Z",
        "level": "WARNING",
        "message": LAMBDA_WARNING_TEXT + "\r",
        "logger": "root",
        "requestId": "",
    },
    ensure_ascii=False,
)

# (c) A timeout, python3.12 with JSON log format (a CloudFormation custom resource hitting its 5 s
# timeout, 2026-07-09): both lines copied from a reproduction write-up in a public repository, found
# through the code search index (which does not name the repository). Shapes agree with the Telemetry
# API schema reference (platform.runtimeDone / platform.report; status success|failure|error|timeout).
PLATFORM_RUNTIME_DONE_TIMEOUT = (
    '{"time":"2026-07-09T06:05:50.562Z","type":"platform.runtimeDone","record":'
    '{"requestId":"aec7a529-47f9-4090-be01-c9ed91bf83cf","status":"timeout",'
    '"metrics":{"durationMs":5001.182,"producedBytes":0}}}'
)
PLATFORM_REPORT_TIMEOUT = (
    '{"time":"2026-07-09T06:05:50.581Z","type":"platform.report","record":'
    '{"requestId":"aec7a529-47f9-4090-be01-c9ed91bf83cf","metrics":{"durationMs":5000.0,'
    '"billedDurationMs":5000,"memorySizeMB":128,"maxMemoryUsedMB":94},"status":"timeout"}}'
)

# Routine platform lines, python3.12, JSON log format: copied from level12/mu,
# mu/tests/data/log_events.py (``platform_report``, ``platform_start``; 2024-06-17). Kept at
# system_log_level INFO or below; not at WARN, but they must not count if the level is ever lowered.
PLATFORM_REPORT_SUCCESS = (
    '{"time":"2024-06-17T17:23:55.826Z","type":"platform.report","record":'
    '{"requestId":"40f6c622-67a3-4159-97f2-ce364a0cb7a8","metrics":{"durationMs":18.593,'
    '"billedDurationMs":19,"memorySizeMB":2048,"maxMemoryUsedMB":246},"status":"success"}}'
)
PLATFORM_START = (
    '{"time":"2024-06-17T17:23:55.902Z","type":"platform.start","record":'
    '{"requestId":"ca52c236-a38d-40fc-aa6b-7e3be2b7aa55","version":"$LATEST"}}'
)


# --- The handler's own lines, written by its own formatter ----------------------------------------


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.setFormatter(LambdaJsonFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def handler_line(level: Level, event: LogEvent, fields: dict[str, object], exc: Exception | None = None) -> str:
    """One line exactly as the handler logs it (log_event through LambdaJsonFormatter)."""
    logger = logging.getLogger("tests.lambda_errors_runtime_lines")
    collect = _Collect()
    logger.addHandler(collect)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        log_event(logger, level, event, fields, exc_info=exc)
    finally:
        logger.removeHandler(collect)
    (line,) = collect.lines
    return line


def _failed_line() -> str:
    try:
        raise RuntimeError("SlowDown: Please reduce your request rate.")
    except RuntimeError as exc:
        fields: dict[str, object] = {
            FIELD_BUCKET: "uploads-bucket",
            FIELD_KEY: "uploads/alice/photo.jpg",
            FIELD_ERROR_TYPE: "ClientError",
            FIELD_ERROR_CODE: "SlowDown",
            FIELD_ERROR_MESSAGE: str(exc),
        }
        return handler_line(Level.ERROR, LogEvent.FAILED, fields, exc)


HANDLER_FAILED = _failed_line()
HANDLER_REJECTED = handler_line(
    Level.WARNING, LogEvent.REJECTED, {FIELD_KEY: "uploads/alice/broken.jpg", FIELD_REASON: "corrupt"}
)
HANDLER_SKIPPED = handler_line(
    Level.INFO, LogEvent.SKIPPED, {FIELD_KEY: "uploads/alice/photo.jpg", FIELD_REASON: "duplicate"}
)
HANDLER_PROCESSED = handler_line(Level.INFO, LogEvent.PROCESSED, {FIELD_KEY: "uploads/alice/photo.jpg"})

COUNTED = {
    "runtime uncaught exception": RUNTIME_UNCAUGHT_EXCEPTION,
    "runtime uncaught exception (awslambdaric 4.0.4+)": RUNTIME_UNCAUGHT_EXCEPTION_FROM_4_0_4,
    "runtime init error": RUNTIME_INIT_ERROR,
    "platform.report of a timeout": PLATFORM_REPORT_TIMEOUT,
    "handler image.failed": HANDLER_FAILED,
}
NOT_COUNTED = {
    "runtime init warning": RUNTIME_INIT_WARNING,
    "platform.runtimeDone of a timeout": PLATFORM_RUNTIME_DONE_TIMEOUT,
    "platform.report of a success": PLATFORM_REPORT_SUCCESS,
    "platform.start": PLATFORM_START,
    "handler image.rejected": HANDLER_REJECTED,
    "handler image.skipped": HANDLER_SKIPPED,
    "handler image.processed": HANDLER_PROCESSED,
}


@pytest.fixture(scope="module")
def lambda_errors() -> logfilter.Pattern:
    """The pattern the program renders for the LambdaErrors metric filter."""
    return logfilter.parse(LAMBDA_ERRORS.filter_pattern)


# --- (a) an exception the handler did not catch ----------------------------------------------------


def test_runtime_line_for_an_uncaught_exception_is_counted(lambda_errors: logfilter.Pattern) -> None:
    # GIVEN the runtime's line: level in "log_level", no "level" field
    assert "level" not in json.loads(RUNTIME_UNCAUGHT_EXCEPTION)
    # THEN LambdaErrors counts it
    assert lambda_errors.matches(RUNTIME_UNCAUGHT_EXCEPTION)


def test_runtime_line_for_an_uncaught_exception_was_missed_by_the_level_only_pattern() -> None:
    assert not logfilter.parse('{ $.level = "ERROR" }').matches(RUNTIME_UNCAUGHT_EXCEPTION)


def test_runtime_line_with_the_renamed_level_key_is_counted(lambda_errors: logfilter.Pattern) -> None:
    assert lambda_errors.matches(RUNTIME_UNCAUGHT_EXCEPTION_FROM_4_0_4)


def test_pre_2025_error_event_behind_a_plain_text_warning_matches_no_json_pattern(
    lambda_errors: logfilter.Pattern,
) -> None:
    # A JSON filter pattern only ever matches an event that is one JSON object; this 2024 event is
    # not, so no JSON pattern can count it (the runtime stopped writing it this way in 2025).
    assert not lambda_errors.matches(RUNTIME_ERROR_2024_EVENT)


# --- (b) an init error -----------------------------------------------------------------------------


def test_runtime_line_for_an_init_error_is_counted(lambda_errors: logfilter.Pattern) -> None:
    assert lambda_errors.matches(RUNTIME_INIT_ERROR)


def test_runtime_warning_before_an_init_error_is_not_counted(lambda_errors: logfilter.Pattern) -> None:
    assert not lambda_errors.matches(RUNTIME_INIT_WARNING)


# --- (c) a timeout ---------------------------------------------------------------------------------


def test_report_of_a_timed_out_invocation_is_counted(lambda_errors: logfilter.Pattern) -> None:
    assert lambda_errors.matches(PLATFORM_REPORT_TIMEOUT)


def test_a_timeout_counts_once_not_on_its_runtime_done_record() -> None:
    # GIVEN both platform records a timeout writes at system_log_level WARN
    lines = [PLATFORM_RUNTIME_DONE_TIMEOUT, PLATFORM_REPORT_TIMEOUT]
    # WHEN the LambdaErrors metric filter evaluates them
    result = logfilter.evaluate_metric(LAMBDA_ERRORS.filter_pattern, LAMBDA_ERRORS.value, lines, default_value=0)
    # THEN one error is published
    assert result.sum == 1


def test_report_of_a_successful_invocation_is_not_counted(lambda_errors: logfilter.Pattern) -> None:
    assert not lambda_errors.matches(PLATFORM_REPORT_SUCCESS)


def test_start_record_is_not_counted(lambda_errors: logfilter.Pattern) -> None:
    assert not lambda_errors.matches(PLATFORM_START)


# --- the handler's own lines -----------------------------------------------------------------------


def test_handler_error_line_is_counted(lambda_errors: logfilter.Pattern) -> None:
    assert lambda_errors.matches(HANDLER_FAILED)


def test_handler_rejected_warning_is_not_counted(lambda_errors: logfilter.Pattern) -> None:
    assert not lambda_errors.matches(HANDLER_REJECTED)


def test_handler_skipped_and_processed_info_lines_are_not_counted(lambda_errors: logfilter.Pattern) -> None:
    assert not lambda_errors.matches(HANDLER_SKIPPED)
    assert not lambda_errors.matches(HANDLER_PROCESSED)


def test_a_mixed_stream_counts_exactly_the_error_lines() -> None:
    lines = [*NOT_COUNTED.values(), *COUNTED.values()]
    result = logfilter.evaluate_metric(LAMBDA_ERRORS.filter_pattern, LAMBDA_ERRORS.value, lines, default_value=0)
    assert result.sum == len(COUNTED)


# --- the dashboard's "Recent errors" query ---------------------------------------------------------

RECENT_ERRORS_FILTER = (
    "| filter level = 'ERROR' or log_level = 'ERROR' or (type = 'platform.report' and record.status = 'timeout') |"
)


def test_recent_errors_query_filters_on_the_handler_runtime_and_timeout_lines() -> None:
    assert RECENT_ERRORS_FILTER in recent_errors_query("/aws/lambda/imagepipe-dev")


def test_recent_errors_query_shows_the_runtime_error_fields() -> None:
    fields = recent_errors_query("/aws/lambda/imagepipe-dev").split(" | ")[1]
    assert fields.endswith(", errorType, errorMessage, type")


def _insights_filter_as_pattern(query: str) -> str:
    """The query's filter as a CloudWatch filter pattern: `a = 'x' or (b = 'y' and c = 'z')` becomes
    `{ $.a = "x" || ($.b = "y" && $.c = "z") }` (equality, and, or, parentheses: all the query uses)."""
    (predicate,) = re.findall(r"\| filter (.+?) \|", query)
    predicate = re.sub(r"([A-Za-z_][\w.]*) = '([^']*)'", r'$.\1 = "\2"', predicate)
    return "{ " + predicate.replace(" and ", " && ").replace(" or ", " || ") + " }"


def test_recent_errors_query_selects_the_lines_the_metric_counts() -> None:
    predicate = logfilter.parse(_insights_filter_as_pattern(recent_errors_query("/aws/lambda/imagepipe-dev")))
    selected = {name for name, line in (COUNTED | NOT_COUNTED).items() if predicate.matches(line)}
    assert selected == set(COUNTED)
