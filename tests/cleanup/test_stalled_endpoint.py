"""A stalled AWS endpoint: the cleanup logs each part it could not do and fails loudly, before its timeout.

The endpoint accepts connections and never answers (``emulated_aws.stalled_endpoint``); the function's
clients are rebuilt pointing every service at it. The Lambda context's clock runs
(``LocalLambdaContext``), so the deadline is real.
"""

import time
from collections.abc import Iterator

import pytest

from emulated_aws.lambda_context import LocalLambdaContext
from emulated_aws.stalled_endpoint import StalledEndpoint, stalled_endpoint
from handlers import cleanup_handler
from handlers.aws_budget import FINAL_MARGIN_S
from handlers.cleanup.clients import CLEANUP_CALL_BUDGET, CLEANUP_RESERVE_S, cleanup_clients, reset_cleanup_clients
from handlers.cleanup.errors import CleanupIncomplete
from handlers.telemetry import events as ev
from tests.cleanup.cleanup_deployment import CleanupDeployment
from tests.conftest import LogLines
from tests.handler.deployment import PROCESSED_BUCKET, TABLE, UPLOAD_BUCKET

TIMEOUT_MS = 5000
# The budget a run of TIMEOUT_MS fits its calls to: 4 s left for them, so 0.5 s + 2.5 s, one attempt.
FITTED_BUDGET = CLEANUP_CALL_BUDGET.fitted(TIMEOUT_MS / 1000 - CLEANUP_RESERVE_S)


@pytest.fixture
def stalled_aws(aws: CleanupDeployment, monkeypatch: pytest.MonkeyPatch) -> Iterator[StalledEndpoint]:
    with stalled_endpoint() as endpoint:
        monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint.url)
        reset_cleanup_clients()
        # Made now, from this environment, as a warm container has them: the run's time goes to its
        # calls, not to making clients (a loaded machine may take most of a second).
        cleanup_clients(FITTED_BUDGET)
        yield endpoint
    reset_cleanup_clients()  # and later tests get clients without it


def test_stalled_aws_makes_the_run_log_every_part_and_fail_before_the_timeout(
    aws: CleanupDeployment, stalled_aws: StalledEndpoint, log_lines: LogLines
) -> None:
    # GIVEN every endpoint accepts connections and never answers, and the run has 5 s
    context = LocalLambdaContext(timeout_ms=TIMEOUT_MS)
    # WHEN the cleanup runs
    started = time.monotonic()
    with pytest.raises(CleanupIncomplete, match=r"^3 error\(s\)"):
        cleanup_handler.handler({}, context)
    took = time.monotonic() - started
    # THEN it failed loudly with the final margin still left, after waiting out one stalled listing
    assert took <= TIMEOUT_MS / 1000 - FINAL_MARGIN_S
    assert took >= FITTED_BUDGET.read_timeout_s
    assert stalled_aws.connections == 1
    # AND each part has its ERROR line: the stalled listing, then the two the deadline refused
    lines = log_lines()
    failed = [line for line in lines if line[ev.FIELD_EVENT] == ev.LogEvent.CLEANUP_FAILED]
    assert [
        (f[ev.FIELD_LEVEL], f.get(ev.FIELD_BUCKET) or f.get(ev.FIELD_TABLE), f[ev.FIELD_ERROR_TYPE]) for f in failed
    ] == [
        ("ERROR", UPLOAD_BUCKET, "ReadTimeoutError"),
        ("ERROR", PROCESSED_BUCKET, "OutOfTime"),
        ("ERROR", TABLE, "OutOfTime"),
    ]
    # AND the summary, last, counts them
    assert lines[-1][ev.FIELD_EVENT] == ev.LogEvent.CLEANUP_COMPLETED
    assert lines[-1][ev.FIELD_ERRORS] == 3
