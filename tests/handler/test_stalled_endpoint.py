"""A stalled AWS endpoint: the image function logs image.failed, records the failure and raises for
Lambda's retry, all before its timeout.

The endpoint accepts connections and never answers (``emulated_aws.stalled_endpoint``); the function's
clients are rebuilt pointing S3 (or every service) at it. The Lambda context's clock runs
(``LocalLambdaContext``), so the deadline is real; MIN_REMAINING_MS is lowered so a short invocation
still starts its record.
"""

import time
from collections.abc import Iterator

import pytest

from emulated_aws.lambda_context import LocalLambdaContext
from emulated_aws.stalled_endpoint import StalledEndpoint, stalled_endpoint
from handlers import contract
from handlers.aws_budget import FINAL_MARGIN_S
from handlers.contract import ImageStatus
from handlers.edge.errors import TransientError
from handlers.image_processor import (
    PROCESSOR_CALL_BUDGET,
    PROCESSOR_RESERVE_S,
    aws_clients,
    failure_record_client,
    handler,
    reset_aws_clients,
)
from handlers.telemetry.events import FIELD_DETAIL, FIELD_ERROR_CODE, FIELD_EVENT, FIELD_KEY, FIELD_LEVEL, LogEvent
from tests.conftest import LogLines
from tests.handler import images
from tests.handler.deployment import Deployment

TIMEOUT_MS = 6000
# The budget an invocation of TIMEOUT_MS fits its calls to: 3 s left for them, so 0.5 s + 2 s, one attempt.
FITTED_BUDGET = PROCESSOR_CALL_BUDGET.fitted(TIMEOUT_MS / 1000 - PROCESSOR_RESERVE_S)


@pytest.fixture
def short_invocations(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(contract.ENV_MIN_REMAINING_MS, "1000")


def stall(variable: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[StalledEndpoint]:
    with stalled_endpoint() as endpoint:
        monkeypatch.setenv(variable, endpoint.url)
        reset_aws_clients()
        # Made now, from this environment, as a warm container has them: the invocation's time goes
        # to its calls, not to making clients (a loaded machine may take most of a second).
        aws_clients(FITTED_BUDGET)
        failure_record_client()
        yield endpoint
    reset_aws_clients()  # and later tests get clients without it


@pytest.fixture
def stalled_s3(short_invocations: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[StalledEndpoint]:
    yield from stall("AWS_ENDPOINT_URL_S3", monkeypatch)


@pytest.fixture
def stalled_aws(short_invocations: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[StalledEndpoint]:
    yield from stall("AWS_ENDPOINT_URL", monkeypatch)


def timed_invoke(event: object) -> tuple[BaseException | None, float]:
    context = LocalLambdaContext(timeout_ms=TIMEOUT_MS)
    started = time.monotonic()
    try:
        handler(event, context)
    except Exception as exc:
        return exc, time.monotonic() - started
    return None, time.monotonic() - started


def test_stalled_s3_is_recorded_logged_and_raised_for_a_retry_before_the_timeout(
    aws: Deployment, stalled_s3: StalledEndpoint, log_lines: LogLines
) -> None:
    # GIVEN an upload, S3 accepting connections and never answering, DynamoDB answering, 6 s to run
    upload = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    # WHEN the function gets the upload's event
    raised, took = timed_invoke(upload.event())
    # THEN it raises for Lambda's retry, with the final margin still left
    assert isinstance(raised, TransientError)
    assert [(f.key, f.error_code) for f in raised.failures] == [(upload.key, "ReadTimeoutError")]
    assert took <= TIMEOUT_MS / 1000 - FINAL_MARGIN_S
    # AND it waited on the stalled read (a budget fitted to the 3 s left for calls) before giving up
    assert took >= FITTED_BUDGET.read_timeout_s
    assert stalled_s3.connections == 1
    # AND the item says failed, with the cause, so a retry or an operator knows
    item = aws.item(upload.key)
    assert item is not None
    assert (item["status"], item["error_type"], item["error_code"]) == (
        ImageStatus.FAILED,
        "ReadTimeoutError",
        "ReadTimeoutError",
    )
    assert aws.rendition_keys() == set()
    (line,) = log_lines()
    assert (line[FIELD_LEVEL], line[FIELD_EVENT], line[FIELD_KEY]) == ("ERROR", LogEvent.FAILED, upload.key)
    assert line[FIELD_ERROR_CODE] == "ReadTimeoutError"
    assert FIELD_DETAIL not in line  # the failure was recorded


def test_when_every_endpoint_stalls_the_failure_still_ends_in_a_line_and_a_retry_before_the_timeout(
    aws: Deployment, stalled_aws: StalledEndpoint, log_lines: LogLines
) -> None:
    # GIVEN S3 and DynamoDB both stalled: not even the failure can be recorded
    upload = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    # WHEN the function gets the event
    raised, took = timed_invoke(upload.event())
    # THEN the first read gave up, the failure record (in the reserve) gave up too, and still the
    # function raised for a retry with the final margin left
    assert isinstance(raised, TransientError)
    assert took <= TIMEOUT_MS / 1000 - FINAL_MARGIN_S
    assert stalled_aws.connections == 2
    (line,) = log_lines()
    assert (line[FIELD_EVENT], line[FIELD_ERROR_CODE]) == (LogEvent.FAILED, "ReadTimeoutError")
    assert line[FIELD_DETAIL].startswith("the failed status was not recorded: ReadTimeoutError")
