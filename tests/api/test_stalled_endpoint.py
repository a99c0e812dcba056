"""A stalled AWS endpoint: the API answers its own JSON 500, logs api.failed, and does so in time.

The endpoint accepts connections and never answers (``emulated_aws.stalled_endpoint``); the function's
clients are rebuilt pointing one service at it, the other stays on moto. The Lambda context's clock
runs (``LocalLambdaContext``), so the deadline is real.
"""

import json
import time
from collections.abc import Iterator

import pytest

from emulated_aws.api_gateway import delete_image, list_images, post_images, upload_request
from emulated_aws.lambda_context import LocalLambdaContext
from emulated_aws.stalled_endpoint import StalledEndpoint, stalled_endpoint
from handlers.api.clients import API_CALL_BUDGET, API_RESERVE_S, api_clients, reset_api_clients
from handlers.aws_budget import FINAL_MARGIN_S
from handlers.image_api import handler
from handlers.telemetry.events import FIELD_ERROR_TYPE, FIELD_EVENT, FIELD_LEVEL, LogEvent
from tests.api.api_deployment import Answer, item, seed_image, versions
from tests.conftest import LogLines
from tests.handler.deployment import UPLOAD_BUCKET, Deployment

API_REQUEST_ID = "stalled-0000-api-gateway"
# The components' default timeout of the API function (components.image_api.API_TIMEOUT_SECONDS).
DEFAULT_TIMEOUT_MS = 10_000
SHORT_TIMEOUT_MS = 4000
# The budget a request of SHORT_TIMEOUT_MS fits its calls to: 3 s left for them, so 0.5 s + 1.5 s.
SHORT_BUDGET = API_CALL_BUDGET.fitted(SHORT_TIMEOUT_MS / 1000 - API_RESERVE_S)


def stall(service: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[StalledEndpoint]:
    with stalled_endpoint() as endpoint:
        monkeypatch.setenv(f"AWS_ENDPOINT_URL_{service.upper()}", endpoint.url)
        reset_api_clients()
        # Made now, from this environment, as a warm container has them: the invocation's time goes
        # to its calls, not to making clients (a loaded machine may take most of a second).
        for budget in (API_CALL_BUDGET, SHORT_BUDGET):
            getattr(api_clients(budget), service)
        yield endpoint
    reset_api_clients()  # and later tests get clients without it


@pytest.fixture
def stalled_dynamodb(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> Iterator[StalledEndpoint]:
    yield from stall("dynamodb", monkeypatch)


@pytest.fixture
def stalled_s3(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> Iterator[StalledEndpoint]:
    yield from stall("s3", monkeypatch)


def timed_call(event: object, context: LocalLambdaContext) -> tuple[Answer, float]:
    """The API's answer to ``event`` and how long the invocation took."""
    started = time.monotonic()
    raw = handler(event, context)
    took = time.monotonic() - started
    return Answer(raw["statusCode"], raw["headers"], json.loads(raw["body"]) if raw["body"] else None, raw), took


def test_stalled_dynamodb_is_the_apis_own_500_and_an_api_failed_line_before_the_timeout(
    stalled_dynamodb: StalledEndpoint, log_lines: LogLines
) -> None:
    # GIVEN DynamoDB accepts connections and never answers, and the invocation has 4 s
    context = LocalLambdaContext(timeout_ms=SHORT_TIMEOUT_MS)
    # WHEN the caller lists their images
    answer, took = timed_call(list_images(request_id=API_REQUEST_ID), context)
    # THEN the function answers its own 500, in the documented shape, with the margin still left
    assert (answer.status, answer.body) == (
        500,
        {"error": "internal", "message": f"the request failed; quote request id {API_REQUEST_ID} when you report it"},
    )
    assert took <= SHORT_TIMEOUT_MS / 1000 - FINAL_MARGIN_S
    # AND it did wait on the stalled call (a budget fitted to the 3 s left for calls), then gave up
    assert took >= SHORT_BUDGET.read_timeout_s
    assert stalled_dynamodb.connections == 1
    (line,) = log_lines()
    assert (line[FIELD_LEVEL], line[FIELD_EVENT], line[FIELD_ERROR_TYPE]) == (
        "ERROR",
        LogEvent.API_FAILED,
        "ReadTimeoutError",
    )


def test_at_the_default_timeout_a_delete_whose_s3_stalls_answers_500_within_it_and_deletes_nothing(
    aws: Deployment, stalled_s3: StalledEndpoint, log_lines: LogLines
) -> None:
    # GIVEN an image, and S3 stalling (DynamoDB answers) in a function of the default 10 s
    seeded = seed_image(aws, versions=2)
    before = versions(aws, UPLOAD_BUCKET, seeded.key)
    context = LocalLambdaContext(timeout_ms=DEFAULT_TIMEOUT_MS)
    # WHEN the owner deletes it
    answer, took = timed_call(delete_image(seeded.image_id, request_id=API_REQUEST_ID), context)
    # THEN 500 after one stalled listing (the full budget: 1 s connect, 3 s read), long before 10 s
    assert (answer.status, answer.error) == (500, "internal")
    assert API_CALL_BUDGET.read_timeout_s <= took <= API_CALL_BUDGET.worst_case_s + 0.5
    assert stalled_s3.connections == 1
    # AND nothing was deleted: the item that says what to delete is still there
    assert item(aws, seeded.image_id) is not None
    assert versions(aws, UPLOAD_BUCKET, seeded.key) == before
    (line,) = log_lines()
    assert (line[FIELD_EVENT], line[FIELD_ERROR_TYPE]) == (LogEvent.API_FAILED, "ReadTimeoutError")


def test_creating_an_upload_needs_no_aws_call_so_a_stalled_s3_does_not_delay_it(
    stalled_s3: StalledEndpoint,
) -> None:
    answer, took = timed_call(post_images(upload_request()), LocalLambdaContext(timeout_ms=DEFAULT_TIMEOUT_MS))
    assert answer.status == 201
    assert stalled_s3.connections == 0
    assert took < 1


def test_with_too_little_time_for_any_call_the_api_answers_500_at_once_without_calling(
    stalled_dynamodb: StalledEndpoint, log_lines: LogLines
) -> None:
    # GIVEN an invocation with 1.2 s left: 0.2 s for calls, less than the smallest budget's 0.5 s
    answer, took = timed_call(list_images(request_id=API_REQUEST_ID), LocalLambdaContext(timeout_ms=1200))
    # THEN it answers 500 without sending anything, and says why in its log
    assert (answer.status, answer.error) == (500, "internal")
    assert stalled_dynamodb.connections == 0
    assert took < 0.5
    (line,) = log_lines()
    assert (line[FIELD_EVENT], line[FIELD_ERROR_TYPE]) == (LogEvent.API_FAILED, "OutOfTime")
