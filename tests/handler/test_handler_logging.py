"""Telemetry: one JSON object per line, shaped like Lambda's JSON log format, with the event's fields."""

import logging
import re
from typing import Any

import pytest

from emulated_aws.lambda_context import FrozenLambdaContext
from emulated_aws.s3_events import s3_event
from handlers.edge.errors import TransientError
from handlers.edge.outcomes import SkipReason
from handlers.image_processor import aws_clients
from handlers.imaging.errors import RejectReason
from handlers.telemetry.events import (
    FIELD_EVENT,
    FIELD_FORMAT,
    FIELD_HEIGHT,
    FIELD_IMAGE_SIZE_BYTES,
    FIELD_LEVEL,
    FIELD_LOGGER,
    FIELD_MESSAGE,
    FIELD_PROCESSING_TIME_MS,
    FIELD_REASON,
    FIELD_RENDITION_COUNT,
    FIELD_REQUEST_ID,
    FIELD_TIMESTAMP,
    FIELD_WIDTH,
    Level,
    LogEvent,
)
from handlers.telemetry.logger import ROOT_LOGGER_NAME, configure_logging
from tests.conftest import LogLines
from tests.handler import images
from tests.handler.deployment import Deployment

LAMBDA_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def test_every_line_is_one_json_object_with_lambdas_fields(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch, log_lines: LogLines
) -> None:
    # GIVEN an event that produces every kind of line: processed, rejected, skipped, malformed, failed
    good = aws.upload("good.jpg", images.jpeg((400, 200)))
    bad = aws.upload("bad.jpg", images.truncated_jpeg())
    failing = aws.upload("failing.jpg", images.jpeg((400, 200)))
    outside = aws.upload("x", images.jpeg((40, 20)), key="elsewhere/x.jpg")
    real_get_object = aws_clients().s3.get_object

    def get_object(**request: Any) -> Any:
        if request["Key"] == failing.key:
            raise ValueError("a bug, say")
        return real_get_object(**request)

    monkeypatch.setattr(aws_clients().s3, "get_object", get_object)
    event = s3_event(good.record(), bad.record(), outside.record(), {"eventName": 1}, failing.record())
    # WHEN the handler runs (and raises for the failing record)
    with pytest.raises(TransientError):
        aws.invoke(event, FrozenLambdaContext(aws_request_id="req-7"))
    # THEN each line parsed as one JSON object (log_lines fails otherwise) with Lambda's fields
    lines = log_lines()
    assert [line[FIELD_EVENT] for line in lines] == [
        LogEvent.PROCESSED,
        LogEvent.REJECTED,
        LogEvent.SKIPPED,
        LogEvent.REJECTED,
        LogEvent.FAILED,
    ]
    for line in lines:
        assert LAMBDA_TIMESTAMP.fullmatch(line[FIELD_TIMESTAMP])
        assert line[FIELD_LEVEL] in set(Level)
        assert line[FIELD_MESSAGE] == line[FIELD_EVENT]
        assert line[FIELD_LOGGER].startswith(f"{ROOT_LOGGER_NAME}.")
        assert line[FIELD_REQUEST_ID] == "req-7"


def test_processed_line_carries_the_metric_fields(aws: Deployment, log_lines: LogLines) -> None:
    # GIVEN a 400x200 JPEG
    upload = aws.upload("good.jpg", images.jpeg((400, 200)))
    # WHEN it is processed
    aws.invoke(upload.event())
    # THEN the INFO line carries what the metric filters read
    (line,) = log_lines()
    assert line[FIELD_LEVEL] == Level.INFO
    assert {k: line[k] for k in (FIELD_IMAGE_SIZE_BYTES, FIELD_WIDTH, FIELD_HEIGHT, FIELD_FORMAT)} == {
        FIELD_IMAGE_SIZE_BYTES: upload.size,
        FIELD_WIDTH: 400,
        FIELD_HEIGHT: 200,
        FIELD_FORMAT: "JPEG",
    }
    assert line[FIELD_RENDITION_COUNT] == 6
    assert isinstance(line[FIELD_PROCESSING_TIME_MS], int) and line[FIELD_PROCESSING_TIME_MS] >= 0


def test_rejected_line_is_a_warning_with_the_reason(aws: Deployment, log_lines: LogLines) -> None:
    upload = aws.upload("drawing.svg", images.svg())
    aws.invoke(upload.event())
    (line,) = log_lines()
    assert (line[FIELD_LEVEL], line[FIELD_EVENT], line[FIELD_REASON]) == (
        Level.WARNING,
        LogEvent.REJECTED,
        RejectReason.UNSUPPORTED_FORMAT,
    )


def test_skipped_line_is_info_with_the_reason(aws: Deployment, log_lines: LogLines) -> None:
    upload = aws.upload("x", images.jpeg((40, 20)), key="uploads/user-42/")
    aws.invoke(upload.event())
    (line,) = log_lines()
    assert (line[FIELD_LEVEL], line[FIELD_EVENT], line[FIELD_REASON]) == (
        Level.INFO,
        LogEvent.SKIPPED,
        SkipReason.FOLDER_MARKER,
    )


def test_with_lambdas_json_log_format_lines_are_left_to_the_runtime(caplog: pytest.LogCaptureFixture) -> None:
    # GIVEN Lambda's JSON log format, whose runtime formatter sits on the root logger
    configure_logging({"AWS_LAMBDA_LOG_FORMAT": "JSON"})
    # WHEN the handler logs an event
    with caplog.at_level(logging.INFO):
        logging.getLogger(f"{ROOT_LOGGER_NAME}.edge.pipeline").info("image.processed", extra={FIELD_EVENT: "x"})
    # THEN the record reaches the root logger untouched, its fields as attributes Lambda puts at top level
    (record,) = caplog.records
    assert getattr(record, FIELD_EVENT) == "x"
    assert logging.getLogger(ROOT_LOGGER_NAME).handlers == []
