"""The cleanup's own pauses keep to the invocation's deadline too: none sleeps past it."""

import time
from datetime import UTC, datetime
from typing import Any

import pytest

from emulated_aws.lambda_context import LocalLambdaContext
from handlers import cleanup_handler
from handlers.aws_budget import FINAL_MARGIN_S
from handlers.cleanup import metadata
from handlers.cleanup.clients import CLEANUP_CALL_BUDGET, CLEANUP_RESERVE_S, cleanup_clients
from handlers.cleanup.errors import CleanupIncomplete
from handlers.telemetry import events as ev
from tests.cleanup.cleanup_deployment import CleanupDeployment
from tests.conftest import LogLines
from tests.handler.deployment import TABLE

TIMEOUT_MS = 2800
PAUSE_S = 0.6


def test_retrying_unprocessed_deletes_stops_before_a_pause_would_outlast_the_deadline(
    aws: CleanupDeployment, monkeypatch: pytest.MonkeyPatch, log_lines: LogLines
) -> None:
    # GIVEN an old item DynamoDB never gets round to deleting, pauses of 0.6 s between retries,
    # and a run of 2.8 s (1.8 s of it for calls and pauses)
    aws.put_item("a", uploaded_at=datetime(2001, 1, 1, tzinfo=UTC))
    budget = CLEANUP_CALL_BUDGET.fitted(TIMEOUT_MS / 1000 - CLEANUP_RESERVE_S)
    dynamodb = cleanup_clients(budget).dynamodb  # the clients this run will use, made beforehand

    def never_processed(**request: Any) -> Any:
        return {"UnprocessedItems": request["RequestItems"]}

    monkeypatch.setattr(dynamodb, "batch_write_item", never_processed)
    monkeypatch.setattr(metadata, "backoff_seconds", lambda attempt: PAUSE_S)
    context = LocalLambdaContext(timeout_ms=TIMEOUT_MS)
    # WHEN the cleanup runs
    started = time.monotonic()
    with pytest.raises(CleanupIncomplete, match=r"^1 error\(s\)"):
        cleanup_handler.handler({}, context)
    took = time.monotonic() - started
    # THEN it stopped retrying when the next pause would not fit, and failed with the margin left
    assert PAUSE_S <= took <= TIMEOUT_MS / 1000 - FINAL_MARGIN_S
    (failed,) = [line for line in log_lines() if line[ev.FIELD_EVENT] == ev.LogEvent.CLEANUP_FAILED]
    assert (failed[ev.FIELD_TABLE], failed[ev.FIELD_ERROR_TYPE]) == (TABLE, "OutOfTime")
    assert failed[ev.FIELD_ERROR_MESSAGE].startswith("a pause before retrying unprocessed deletes needs 0.60 s")
    assert aws.item_ids() == {"a"}
