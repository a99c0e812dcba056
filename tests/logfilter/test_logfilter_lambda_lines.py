"""The evaluator on log lines shaped like the handler's: Lambda's JSON log format, one object per
line, with the telemetry fields at top level."""

import json

import logfilter
from handlers.telemetry.events import (
    ERROR_CODE_ACCESS_DENIED,
    FIELD_ERROR_CODE,
    FIELD_EVENT,
    FIELD_LEVEL,
    FIELD_MESSAGE,
    FIELD_PROCESSING_TIME_MS,
    FIELD_REQUEST_ID,
    FIELD_TIMESTAMP,
    Level,
    LogEvent,
)


def _line(event: LogEvent, level: Level, **fields: object) -> str:
    record: dict[str, object] = {
        FIELD_TIMESTAMP: "2025-01-01T00:00:00Z",
        FIELD_LEVEL: level.value,
        FIELD_MESSAGE: event.value,
        FIELD_REQUEST_ID: "0b7c1e2a",
        FIELD_EVENT: event.value,
        **fields,
    }
    return json.dumps(record)


def test_access_denied_failures_are_counted_apart_from_other_failures() -> None:
    # GIVEN one access-denied failure, one other failure and one success in a minute
    events = [
        _line(LogEvent.FAILED, Level.ERROR, **{FIELD_ERROR_CODE: ERROR_CODE_ACCESS_DENIED}),
        _line(LogEvent.FAILED, Level.ERROR, **{FIELD_ERROR_CODE: "SlowDown"}),
        _line(LogEvent.PROCESSED, Level.INFO, **{FIELD_PROCESSING_TIME_MS: 95}),
    ]
    pattern = (
        f'{{ $.{FIELD_EVENT} = "{LogEvent.FAILED.value}" && $.{FIELD_ERROR_CODE} = "{ERROR_CODE_ACCESS_DENIED}" }}'
    )
    # WHEN the access-denied metric filter is evaluated
    result = logfilter.evaluate_metric(pattern, "1", events, default_value=0)
    # THEN exactly one data point of 1 is published
    assert result.datapoints == [1.0]


def test_processing_time_is_published_from_processed_lines_only() -> None:
    events = [
        _line(LogEvent.PROCESSED, Level.INFO, **{FIELD_PROCESSING_TIME_MS: 95}),
        _line(LogEvent.REJECTED, Level.WARNING, **{FIELD_PROCESSING_TIME_MS: 3}),
        _line(LogEvent.PROCESSED, Level.INFO, **{FIELD_PROCESSING_TIME_MS: 140.5}),
    ]
    pattern = f'{{ $.{FIELD_EVENT} = "{LogEvent.PROCESSED.value}" }}'
    result = logfilter.evaluate_metric(pattern, f"$.{FIELD_PROCESSING_TIME_MS}", events, default_value=None)
    assert result.datapoints == [95.0, 140.5]


def test_plain_print_output_is_ignored_by_json_filters() -> None:
    # Lambda's JSON log format leaves print() output as plain text.
    pattern = logfilter.parse(f'{{ $.{FIELD_LEVEL} = "{Level.ERROR.value}" }}')
    assert not pattern.matches("ERROR something printed")
