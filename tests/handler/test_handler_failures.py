"""Transient failures: recorded, logged, the rest of the event finished, then one retryable error."""

from typing import Any

import pytest

from emulated_aws.lambda_context import FrozenLambdaContext
from emulated_aws.s3_events import s3_event
from handlers.contract import ImageStatus
from handlers.edge.errors import TransientError
from handlers.image_processor import aws_clients
from handlers.telemetry.events import (
    ERROR_CODE_ACCESS_DENIED,
    FIELD_ERROR_CODE,
    FIELD_ERROR_TYPE,
    FIELD_EVENT,
    FIELD_KEY,
    FIELD_LEVEL,
    Level,
    LogEvent,
)
from tests.conftest import LogLines
from tests.handler import images
from tests.handler.deployment import Deployment
from tests.handler.failures import client_error, fail_call

RENDITIONS_PER_JPEG = 6


def test_failed_rendition_upload_fails_its_record_but_finishes_the_others(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN an event with two uploads, and S3 failing the second rendition upload of the first
    first = aws.upload("first.jpg", images.jpeg((800, 400)))
    second = aws.upload("second.jpg", images.jpeg((800, 400)))
    fail_call(monkeypatch, aws_clients().s3, "put_object", "InternalError", on_call=2)
    # WHEN the handler runs
    with pytest.raises(TransientError) as raised:
        aws.invoke(s3_event(first.record(), second.record()))
    # THEN one retryable error names the first upload; its item says failed; the second completed
    assert [(f.key, f.error_code) for f in raised.value.failures] == [(first.key, "InternalError")]
    first_item, second_item = aws.item(first.key), aws.item(second.key)
    assert first_item is not None and second_item is not None
    assert (first_item["status"], first_item["error_code"]) == (ImageStatus.FAILED, "InternalError")
    assert "renditions" not in first_item
    assert second_item["status"] == ImageStatus.COMPLETED


def test_retry_after_failed_rendition_upload_completes_with_one_set_of_renditions(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the event failed once on the first upload's second rendition
    first = aws.upload("first.jpg", images.jpeg((800, 400)))
    second = aws.upload("second.jpg", images.jpeg((800, 400)))
    event = s3_event(first.record(), second.record())
    heal = fail_call(monkeypatch, aws_clients().s3, "put_object", "InternalError", on_call=2)
    with pytest.raises(TransientError):
        aws.invoke(event)
    heal()
    # WHEN Lambda retries the event
    aws.invoke(event)
    # THEN both items are completed and each lists exactly the renditions stored
    items = [aws.item(first.key), aws.item(second.key)]
    assert [i["status"] for i in items if i] == [ImageStatus.COMPLETED, ImageStatus.COMPLETED]
    listed = {r["key"] for i in items if i for r in i["renditions"]}
    assert listed == aws.rendition_keys()
    assert len(listed) == 2 * RENDITIONS_PER_JPEG


def test_too_little_remaining_time_is_transient_and_reads_nothing(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN 5 s left in the invocation and at least 10 s needed (MIN_REMAINING_MS default)
    upload = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    reads: list[dict[str, Any]] = []
    monkeypatch.setattr(aws_clients().s3, "get_object", lambda **request: reads.append(request))
    # WHEN the handler runs
    with pytest.raises(TransientError) as raised:
        aws.invoke(upload.event(), FrozenLambdaContext(remaining_ms=5_000))
    # THEN the record is failed for retry without touching the upload
    assert [f.error_code for f in raised.value.failures] == ["RemainingTimeTooShort"]
    item = aws.item(upload.key)
    assert item is not None and item["status"] == ImageStatus.FAILED
    assert reads == []


def test_access_denied_on_s3_is_logged_with_its_error_code(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch, log_lines: LogLines
) -> None:
    # GIVEN S3 refusing to read the upload
    upload = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    fail_call(monkeypatch, aws_clients().s3, "get_object", "AccessDenied")
    # WHEN the handler runs
    with pytest.raises(TransientError):
        aws.invoke(upload.event())
    # THEN one ERROR line says image.failed with error_code AccessDenied
    (line,) = log_lines()
    assert (line[FIELD_LEVEL], line[FIELD_EVENT], line[FIELD_KEY]) == (Level.ERROR, LogEvent.FAILED, upload.key)
    assert (line[FIELD_ERROR_TYPE], line[FIELD_ERROR_CODE]) == ("ClientError", ERROR_CODE_ACCESS_DENIED)


@pytest.mark.parametrize(
    ("code", "http_status"),
    [("403", 403), ("Forbidden", 403), ("SignatureDoesNotMatch", 403)],
    ids=["bare-403", "forbidden", "other-code-with-http-403"],
)
def test_any_http_403_from_s3_is_logged_as_access_denied(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch, log_lines: LogLines, code: str, http_status: int
) -> None:
    # GIVEN S3 answering the read with an HTTP 403 that does not say AccessDenied
    upload = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    fail_call(monkeypatch, aws_clients().s3, "get_object", code, http_status=http_status)
    # WHEN the handler runs
    with pytest.raises(TransientError) as raised:
        aws.invoke(upload.event())
    # THEN it is recorded and logged under AccessDenied, where the access-denied metric counts it
    assert [f.error_code for f in raised.value.failures] == [ERROR_CODE_ACCESS_DENIED]
    (line,) = log_lines()
    assert (line[FIELD_EVENT], line[FIELD_ERROR_CODE]) == (LogEvent.FAILED, ERROR_CODE_ACCESS_DENIED)
    item = aws.item(upload.key)
    assert item is not None and item["error_code"] == ERROR_CODE_ACCESS_DENIED


def test_other_http_errors_keep_their_own_code(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch, log_lines: LogLines
) -> None:
    # GIVEN S3 throttling the read (HTTP 503 SlowDown)
    upload = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    fail_call(monkeypatch, aws_clients().s3, "get_object", "SlowDown", http_status=503)
    # WHEN the handler runs
    with pytest.raises(TransientError):
        aws.invoke(upload.event())
    # THEN the line says SlowDown, not AccessDenied: throttling is not a permissions problem
    (line,) = log_lines()
    assert line[FIELD_ERROR_CODE] == "SlowDown"


def test_access_denied_on_dynamodb_is_logged_with_the_same_error_code(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch, log_lines: LogLines
) -> None:
    # GIVEN DynamoDB refusing every read and write (it says AccessDeniedException)
    upload = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    dynamodb = aws_clients().dynamodb

    def denied(**request: Any) -> Any:
        raise client_error("AccessDeniedException", "GetItem")

    monkeypatch.setattr(dynamodb, "get_item", denied)
    monkeypatch.setattr(dynamodb, "put_item", denied)
    # WHEN the handler runs
    with pytest.raises(TransientError):
        aws.invoke(upload.event())
    # THEN the failure is logged as AccessDenied, so one alarm covers S3 and DynamoDB
    (line,) = log_lines()
    assert (line[FIELD_EVENT], line[FIELD_ERROR_CODE]) == (LogEvent.FAILED, ERROR_CODE_ACCESS_DENIED)


def test_transient_failure_never_replaces_a_completed_result_of_the_same_version(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a completed upload
    upload = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    aws.invoke(upload.event())
    # WHEN a duplicate of its event fails transiently (DynamoDB throttles the first read)
    fail_call(monkeypatch, aws_clients().dynamodb, "get_item", "ProvisionedThroughputExceededException")
    with pytest.raises(TransientError):
        aws.invoke(upload.event())
    # THEN the item still says completed
    item = aws.item(upload.key)
    assert item is not None and item["status"] == ImageStatus.COMPLETED
