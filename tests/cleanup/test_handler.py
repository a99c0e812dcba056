"""The entry point: refuses a dangerous age before any request, ignores the payload, stamps the request id."""

import importlib
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from handlers import contract
from handlers.cleanup.errors import CleanupIncomplete, SettingsError
from handlers.telemetry import events as ev
from tests.cleanup.cleanup_deployment import BUCKETS, MAX_AGE_DAYS, CleanupDeployment
from tests.cleanup.conftest import Request, resources_named
from tests.conftest import LogLines
from tests.handler.deployment import TABLE, UPLOAD_BUCKET

ROOT = Path(__file__).resolve().parents[2]
# An upload time before any cutoff here.
LONG_AGO = datetime(2001, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("age", ["0", "-1"])
def test_max_age_days_below_one_is_refused_before_any_request(
    aws: CleanupDeployment, monkeypatch: pytest.MonkeyPatch, aws_requests: list[Request], age: str
) -> None:
    # GIVEN old versions, a delete marker and an old item, and MAX_AGE_DAYS below one day
    versions = {b: {aws.put(b, "photo.jpg"), aws.put(b, "other.jpg")} for b in BUCKETS}
    marker = aws.delete(UPLOAD_BUCKET, "other.jpg")
    aws.put_item("a", uploaded_at=LONG_AGO)
    monkeypatch.setenv(contract.ENV_CLEANUP_MAX_AGE_DAYS, age)
    # WHEN the cleanup runs THEN it refuses, naming the variable
    with pytest.raises(SettingsError, match=f"^MAX_AGE_DAYS must be at least 1, got {age}"):
        aws.run_days_later()
    # AND it made no request at all, and everything is still there
    assert aws_requests == []
    for bucket in BUCKETS:
        assert aws.versions(bucket) == versions[bucket]
    assert aws.delete_markers(UPLOAD_BUCKET) == {marker}
    assert aws.item_ids() == {"a"}


@pytest.mark.parametrize(
    "event",
    [
        {},
        None,
        "not even an object",
        # An input that, were it read, would redirect and widen the cleanup.
        {"bucket": "someone-elses-bucket", "table": "their-table", "max_age_days": 0, "Records": []},
        # The shape of an EventBridge scheduled event.
        {"version": "0", "id": "e1", "detail-type": "Scheduled Event", "source": "aws.scheduler", "detail": {}},
    ],
)
def test_the_event_payload_is_ignored(aws: CleanupDeployment, aws_requests: list[Request], event: Any) -> None:
    # GIVEN an old version and an old item
    aws.put(UPLOAD_BUCKET, "uploads/user-42/a.jpg")
    aws.put_item("a", uploaded_at=LONG_AGO)
    # WHEN the cleanup is invoked with this payload
    summary = aws.run_days_later(event=event)
    # THEN it did what its environment says, with the configured resources only
    assert aws.versions(UPLOAD_BUCKET) == set()
    assert aws.item_ids() == set()
    assert summary[ev.FIELD_MAX_AGE_DAYS] == MAX_AGE_DAYS
    assert resources_named(aws_requests) == {*BUCKETS, TABLE}


def test_every_line_carries_the_invocations_request_id(aws: CleanupDeployment, log_lines: LogLines) -> None:
    # GIVEN a run that logs an ERROR line (a bucket that is missing) and the summary
    aws.monkeypatch.setenv(contract.ENV_PROCESSED_BUCKET, "imagepipe-test-missing")
    # WHEN invoked with request id r-1
    with pytest.raises(CleanupIncomplete):
        aws.run_days_later(request_id="r-1")
    # THEN every line says r-1
    lines = log_lines()
    assert [line[ev.FIELD_EVENT] for line in lines] == [ev.LogEvent.CLEANUP_FAILED, ev.LogEvent.CLEANUP_COMPLETED]
    assert {line[ev.FIELD_REQUEST_ID] for line in lines} == {"r-1"}


def test_importing_the_handler_imports_neither_boto3_nor_pillow() -> None:
    # A fresh interpreter: this one has imported both long ago.
    script = (
        "import sys, handlers.cleanup_handler; "
        "leaked = sorted(m for m in ('PIL', 'handlers.imaging', 'boto3', 'botocore.client') if m in sys.modules); "
        "assert not leaked, leaked"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_the_cleanup_handler_named_in_the_contract_is_the_entry_point() -> None:
    module, _, name = contract.CLEANUP_HANDLER.rpartition(".")
    assert callable(getattr(importlib.import_module(module), name))
