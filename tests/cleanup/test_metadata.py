"""The table: items whose upload is older than the age go, in batches, retried when DynamoDB defers them."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from emulated_aws.provisioning import create_metadata_table
from handlers import contract
from handlers.cleanup import metadata
from handlers.cleanup.clients import cleanup_clients
from handlers.cleanup.errors import CleanupIncomplete
from handlers.telemetry import events as ev
from handlers.tombstone import tombstone_item
from tests.cleanup.cleanup_deployment import MAX_AGE_DAYS, CleanupDeployment
from tests.cleanup.conftest import Request
from tests.conftest import LogLines
from tests.handler.deployment import TABLE

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=MAX_AGE_DAYS, seconds=1)
NEW = NOW - timedelta(days=MAX_AGE_DAYS) + timedelta(seconds=1)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The backoff's pauses, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(metadata, "sleep", slept.append)
    return slept


def defer_items(monkeypatch: pytest.MonkeyPatch, deferred: set[str], times: int | None) -> list[int]:
    """Make BatchWriteItem leave the items ``deferred`` unprocessed (unapplied), the first ``times`` times
    each is asked for (None: always), as DynamoDB does under throttling; the rest it applies for real.
    Returns the size of every call the cleanup makes."""
    dynamodb = cleanup_clients().dynamodb
    real = dynamodb.batch_write_item
    asked: dict[str, int] = {}
    calls: list[int] = []

    def batch_write_item(**request: Any) -> Any:
        ((table, writes),) = request["RequestItems"].items()
        calls.append(len(writes))
        applied: list[Any] = []
        unprocessed: list[Any] = []
        for write in writes:
            image_id = write["DeleteRequest"]["Key"][contract.TABLE_HASH_KEY]["S"]
            asked[image_id] = asked.get(image_id, 0) + 1
            deferred_now = image_id in deferred and (times is None or asked[image_id] <= times)
            (unprocessed if deferred_now else applied).append(write)
        response = real(RequestItems={table: applied}) if applied else {"UnprocessedItems": {}}
        if unprocessed:
            response["UnprocessedItems"] = {table: unprocessed}
        return response

    monkeypatch.setattr(dynamodb, "batch_write_item", batch_write_item)
    return calls


def test_items_uploaded_before_the_cutoff_are_deleted_and_newer_ones_kept(aws: CleanupDeployment) -> None:
    # GIVEN items uploaded a second before the cutoff and a second after it
    for i in range(3):
        aws.put_item(f"old-{i}", uploaded_at=OLD)
        aws.put_item(f"new-{i}", uploaded_at=NEW)
    # WHEN the cleanup runs
    aws.run(NOW)
    # THEN only the newer items are left
    assert aws.item_ids() == {"new-0", "new-1", "new-2"}


def test_an_items_age_is_its_upload_time_not_its_last_update(aws: CleanupDeployment) -> None:
    # GIVEN an item uploaded long ago but rewritten yesterday (a retry, a late duplicate event)
    aws.put_item("reprocessed", uploaded_at=OLD - timedelta(days=10), updated_at=NOW - timedelta(days=1))
    # WHEN the cleanup runs
    aws.run(NOW)
    # THEN it goes with its upload, whose LastModified is as old as its uploaded_at
    assert aws.item_ids() == set()


def test_an_item_without_a_readable_upload_time_is_kept_and_counted(aws: CleanupDeployment) -> None:
    # GIVEN items with no uploaded_at, an unreadable one, and one that names no time zone
    key = contract.TABLE_HASH_KEY
    aws.dynamodb.put_item(TableName=TABLE, Item={key: {"S": "no-time"}})
    aws.dynamodb.put_item(TableName=TABLE, Item={key: {"S": "garbled"}, "uploaded_at": {"S": "last spring"}})
    aws.dynamodb.put_item(TableName=TABLE, Item={key: {"S": "no-zone"}, "uploaded_at": {"S": "2001-01-01T00:00:00"}})
    # WHEN the cleanup runs
    summary = aws.run(NOW)
    # THEN all three are kept, counted as undated, and nothing is an error
    assert aws.item_ids() == {"no-time", "garbled", "no-zone"}
    assert summary[ev.FIELD_ITEMS_UNDATED] == 3
    assert summary[ev.FIELD_ERRORS] == 0


def test_a_deleted_images_tombstone_is_left_to_the_tables_ttl_and_not_counted(aws: CleanupDeployment) -> None:
    # GIVEN a tombstone DELETE /images/{id} left (no upload time: it is no upload's item)
    aws.dynamodb.put_item(
        TableName=TABLE, Item=tombstone_item("deleted", "user-42", "uploads-bucket", "uploads/user-42/a.jpg")
    )
    # WHEN the cleanup runs
    summary = aws.run(NOW)
    # THEN it is kept, and neither counted as undated nor as an error
    assert aws.item_ids() == {"deleted"}
    assert (summary[ev.FIELD_ITEMS_UNDATED], summary[ev.FIELD_ITEMS_DELETED], summary[ev.FIELD_ERRORS]) == (0, 0, 0)


def test_more_than_25_old_items_are_deleted_in_batches_of_at_most_25(
    aws: CleanupDeployment, aws_requests: list[Request]
) -> None:
    # GIVEN 60 old items and 3 new ones
    for i in range(60):
        aws.put_item(f"old-{i:02d}", uploaded_at=OLD - timedelta(hours=i))
    for i in range(3):
        aws.put_item(f"new-{i}", uploaded_at=NEW)
    # WHEN the cleanup runs
    summary = aws.run(NOW)
    # THEN the 60 went in at least 3 BatchWriteItem calls of at most 25 deletes, and the new ones stay
    assert aws.item_ids() == {"new-0", "new-1", "new-2"}
    batches = [len(r.params["RequestItems"][TABLE]) for r in aws_requests if r.operation == "BatchWriteItem"]
    assert len(batches) >= 3
    assert max(batches) <= 25
    assert sum(batches) == 60
    assert summary[ev.FIELD_ITEMS_DELETED] == 60


def test_unprocessed_items_are_retried_with_backoff_until_deleted(
    aws: CleanupDeployment, monkeypatch: pytest.MonkeyPatch, sleeps: list[float], log_lines: LogLines
) -> None:
    # GIVEN 30 old items, two of which DynamoDB leaves unprocessed twice
    for i in range(30):
        aws.put_item(f"old-{i:02d}", uploaded_at=OLD)
    defer_items(monkeypatch, {"old-03", "old-27"}, times=2)
    # WHEN the cleanup runs
    summary = aws.run(NOW)
    # THEN they were retried after growing pauses and every item is gone, without an error
    assert aws.item_ids() == set()
    assert summary[ev.FIELD_ITEMS_DELETED] == 30
    assert summary[ev.FIELD_ERRORS] == 0
    assert len(sleeps) == 4  # two retries in each of two batches
    assert all(0 <= s <= metadata.BACKOFF_CAP_SECONDS for s in sleeps)
    assert [line for line in log_lines() if line[ev.FIELD_LEVEL] == ev.Level.ERROR] == []


def test_items_still_unprocessed_after_the_last_attempt_are_logged_and_fail_the_invocation(
    aws: CleanupDeployment,
    monkeypatch: pytest.MonkeyPatch,
    sleeps: list[float],
    log_lines: LogLines,
) -> None:
    # GIVEN 5 old items, one of which DynamoDB never processes
    for i in range(5):
        aws.put_item(f"old-{i}", uploaded_at=OLD)
    calls = defer_items(monkeypatch, {"old-2"}, times=None)
    # WHEN the cleanup runs
    with pytest.raises(CleanupIncomplete, match=r"^1 error"):
        aws.run(NOW)
    # THEN it gave up after a bounded number of attempts, logged the item as an ERROR line, deleted the rest
    assert calls == [5] + [1] * (metadata.MAX_ATTEMPTS - 1)
    assert len(sleeps) == metadata.MAX_ATTEMPTS - 1
    assert aws.item_ids() == {"old-2"}
    errors = [line for line in log_lines() if line[ev.FIELD_LEVEL] == ev.Level.ERROR]
    assert [(e[ev.FIELD_EVENT], e[ev.FIELD_TABLE], e[ev.FIELD_IMAGE_ID]) for e in errors] == [
        (ev.LogEvent.CLEANUP_ITEM_DELETE_FAILED, TABLE, "old-2")
    ]


def test_a_table_the_function_is_not_configured_with_is_never_touched(aws: CleanupDeployment) -> None:
    # GIVEN another table with the same layout, holding an old item, and an old item in the function's own
    create_metadata_table(aws.dynamodb, "someone-elses-images")
    aws.dynamodb.put_item(
        TableName="someone-elses-images",
        Item={
            contract.TABLE_HASH_KEY: {"S": "theirs"},
            contract.USER_INDEX_RANGE_KEY: {"S": "2001-01-01T00:00:00.000Z"},
        },
    )
    aws.put_item("ours", uploaded_at=OLD)
    # WHEN the cleanup runs
    aws.run(NOW)
    # THEN only the function's own table lost its item
    assert aws.item_ids() == set()
    assert aws.item_ids("someone-elses-images") == {"theirs"}
