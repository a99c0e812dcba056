"""What goes wrong inside: a 500 that names only the request id, and one ERROR line that says everything.

Failures are injected by wrapping the API's own client calls (moto applies a request even when a
botocore hook fakes an error, see shared README).
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from emulated_aws.api_gateway import USER, delete_image, list_images
from handlers.api.clients import api_clients
from handlers.key_layout import rendition_prefix
from handlers.telemetry.events import (
    FIELD_API_REQUEST_ID,
    FIELD_ERROR_CODE,
    FIELD_ERROR_TYPE,
    FIELD_EVENT,
    FIELD_HTTP_METHOD,
    FIELD_LEVEL,
    FIELD_REQUEST_ID,
    FIELD_RESOURCE,
    LogEvent,
)
from tests.api.api_deployment import LAMBDA_REQUEST_ID, call, is_tombstone_of, item, seed_image, versions
from tests.conftest import LogLines
from tests.handler.deployment import PROCESSED_BUCKET, UPLOAD_BUCKET, Deployment

API_REQUEST_ID = "a1b2c3d4-api-gateway"


Replace = Callable[[str, str, Callable[..., Any]], Callable[..., Any]]


@pytest.fixture
def replace(aws: Deployment) -> Iterator[Replace]:
    """Replace one method of the API's (container-wide) clients for this test; returns the real one."""
    replaced: list[tuple[Any, str]] = []

    def swap(service: str, method: str, fake: Callable[..., Any]) -> Callable[..., Any]:
        client = getattr(api_clients(), service)
        real: Callable[..., Any] = getattr(client, method)
        setattr(client, method, fake)  # an instance attribute shadows the client's method
        replaced.append((client, method))
        return real

    yield swap
    for client, method in replaced:
        vars(client).pop(method, None)


def restore(service: str, method: str) -> None:
    vars(getattr(api_clients(), service)).pop(method, None)


def throttled(**_: Any) -> dict[str, Any]:
    raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "Query")


def test_aws_error_is_a_500_naming_only_the_request_id(aws: Deployment, replace: Replace) -> None:
    # GIVEN DynamoDB throttles the listing
    replace("dynamodb", "query", throttled)
    # WHEN the caller lists
    answer = call(list_images(request_id=API_REQUEST_ID))
    # THEN 500 internal, and the message holds the request id and nothing of the cause
    assert (answer.status, answer.error) == (500, "internal")
    assert API_REQUEST_ID in answer.body["message"]
    assert "Throttling" not in answer.body["message"] and "Rate" not in answer.body["message"]


def test_aws_error_is_one_error_line_with_the_request_ids_and_the_traceback(
    aws: Deployment, replace: Replace, log_lines: LogLines
) -> None:
    replace("dynamodb", "query", throttled)
    call(list_images(request_id=API_REQUEST_ID))
    (line,) = log_lines()
    assert (line[FIELD_LEVEL], line[FIELD_EVENT]) == ("ERROR", LogEvent.API_FAILED)
    assert (line[FIELD_REQUEST_ID], line[FIELD_API_REQUEST_ID]) == (LAMBDA_REQUEST_ID, API_REQUEST_ID)
    assert (line[FIELD_HTTP_METHOD], line[FIELD_RESOURCE]) == ("GET", "/images")
    assert (line[FIELD_ERROR_TYPE], line[FIELD_ERROR_CODE]) == ("ClientError", "ThrottlingException")
    assert any("listing.py" in frame for frame in line["stackTrace"])


def test_4xx_answers_write_no_log_line(aws: Deployment, log_lines: LogLines) -> None:
    call(list_images(user=None))
    call(list_images(query={"limit": "0"}))
    assert log_lines() == []


def test_delete_that_s3_refuses_in_part_is_a_500_and_keeps_the_item(
    aws: Deployment, replace: Replace, log_lines: LogLines
) -> None:
    # GIVEN S3 refuses to delete the first version of every batch (and deletes the rest)
    seeded = seed_image(aws, versions=2)

    def partly_refused(**kwargs: Any) -> dict[str, Any]:
        first, *rest = kwargs["Delete"]["Objects"]
        if rest:
            real_delete(**{**kwargs, "Delete": {**kwargs["Delete"], "Objects": rest}})
        error = {**first, "Code": "AccessDenied", "Message": "Access Denied"}
        return {"Errors": [error]}

    real_delete = replace("s3", "delete_objects", partly_refused)
    # WHEN the owner deletes the image
    answer = call(delete_image(seeded.image_id, request_id=API_REQUEST_ID))
    # THEN 500, never 204; the item that says what to delete is kept; the line names the refused version
    assert (answer.status, answer.error) == (500, "internal")
    assert item(aws, seeded.image_id) is not None
    assert len(versions(aws, UPLOAD_BUCKET, seeded.key)) == 1
    (line,) = log_lines()
    assert (line[FIELD_EVENT], line[FIELD_ERROR_TYPE]) == (LogEvent.API_FAILED, "VersionsRemain")
    assert "AccessDenied" in line["error_message"] and seeded.key in line["error_message"]


def test_delete_retried_after_a_partial_failure_removes_what_was_left(aws: Deployment, replace: Replace) -> None:
    # GIVEN a DELETE that failed part way (S3 deleted nothing of the original and said so)
    seeded = seed_image(aws, versions=2)
    replace("s3", "delete_objects", lambda **kw: {"Errors": [{**kw["Delete"]["Objects"][0], "Code": "SlowDown"}]})
    assert call(delete_image(seeded.image_id)).status == 500
    assert item(aws, seeded.image_id) is not None
    # WHEN S3 works again and the client retries
    restore("s3", "delete_objects")
    answer = call(delete_image(seeded.image_id))
    # THEN everything is gone; the tombstone stays
    assert answer.status == 204
    assert versions(aws, UPLOAD_BUCKET, seeded.key) == []
    assert versions(aws, PROCESSED_BUCKET, rendition_prefix(USER, seeded.image_id)) == []
    assert is_tombstone_of(item(aws, seeded.image_id))


def test_missing_environment_is_a_500_and_an_error_line(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch, log_lines: LogLines
) -> None:
    monkeypatch.delenv("METADATA_TABLE")
    answer = call(list_images(request_id=API_REQUEST_ID))
    assert (answer.status, answer.error) == (500, "internal")
    assert "METADATA_TABLE" not in answer.body["message"]
    (line,) = log_lines()
    assert line[FIELD_ERROR_TYPE] == "SettingsError" and "METADATA_TABLE" in line["error_message"]
