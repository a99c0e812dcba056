"""The cleanup calls exactly what its role may grant, with nothing beyond its two buckets and its table.

Its role (written elsewhere) may allow only s3:ListBucketVersions on the two buckets, s3:DeleteObject
and s3:DeleteObjectVersion on their objects (a versioned delete needs both), and dynamodb:Scan and
dynamodb:BatchWriteItem on the table.
Every request the cleanup's own clients make across a run that deletes versions, delete markers
and items (with a deferred item retried) is recorded from botocore's provide-client-params event.
"""

from datetime import UTC, datetime
from typing import Any

import pytest

from handlers import contract
from handlers.cleanup.clients import CLEANUP_OPERATIONS, cleanup_clients
from handlers.tombstone import ATTR_DELETED_BY
from tests.cleanup.cleanup_deployment import BUCKETS, CleanupDeployment
from tests.cleanup.conftest import Request, resources_named
from tests.handler.deployment import TABLE

# The operations behind the four IAM actions the role may grant, and those actions.
ALLOWED_OPERATIONS = {"ListObjectVersions", "DeleteObjects", "Scan", "BatchWriteItem"}
ALLOWED_ACTIONS = {
    "s3:ListBucketVersions",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "dynamodb:Scan",
    "dynamodb:BatchWriteItem",
}


@pytest.fixture
def full_run(aws: CleanupDeployment, aws_requests: list[Request], monkeypatch: pytest.MonkeyPatch) -> list[Request]:
    """Versions, a delete marker and items in everything, one item deferred once, all old enough to go."""
    for bucket in BUCKETS:
        for i in range(3):
            aws.put(bucket, f"k/{i}", b"one")
            aws.put(bucket, f"k/{i}", b"two")
        aws.delete(bucket, "k/0")
    for i in range(30):
        aws.put_item(f"img-{i}", uploaded_at=datetime(2001, 1, 1, tzinfo=UTC))
    _defer_once(monkeypatch, "img-7")
    aws.run_days_later()
    assert all(not aws.versions(b) and not aws.delete_markers(b) for b in BUCKETS)
    assert aws.item_ids() == set()
    return aws_requests


def _defer_once(monkeypatch: pytest.MonkeyPatch, image_id: str) -> None:
    """DynamoDB leaves ``image_id`` unprocessed the first time, so the run retries (the real call each time)."""
    dynamodb = cleanup_clients().dynamodb
    real = dynamodb.batch_write_item
    deferred = False

    def batch_write_item(**request: Any) -> Any:
        nonlocal deferred
        ((table, writes),) = request["RequestItems"].items()
        held = [w for w in writes if w["DeleteRequest"]["Key"][contract.TABLE_HASH_KEY]["S"] == image_id]
        if deferred or not held:
            return real(**request)
        deferred = True
        response = real(RequestItems={table: [w for w in writes if w not in held]})
        response["UnprocessedItems"] = {table: held}
        return response

    monkeypatch.setattr(dynamodb, "batch_write_item", batch_write_item)


def test_a_run_makes_only_the_four_calls_the_role_may_grant(full_run: list[Request]) -> None:
    assert {r.operation for r in full_run} == ALLOWED_OPERATIONS


def test_the_declared_operations_are_the_calls_and_need_only_the_allowed_actions(full_run: list[Request]) -> None:
    assert {op.operation for op in CLEANUP_OPERATIONS} == {r.operation for r in full_run}
    assert {a for op in CLEANUP_OPERATIONS for a in op.iam_actions} == ALLOWED_ACTIONS


def test_every_deleted_object_entry_names_its_version(full_run: list[Request]) -> None:
    entries = [o for r in full_run if r.operation == "DeleteObjects" for o in r.params["Delete"]["Objects"]]
    assert len(entries) == 2 * (6 + 1)  # per bucket: six versions and a delete marker
    assert all(set(o) == {"Key", "VersionId"} and o["VersionId"] for o in entries)


def test_every_request_names_only_the_configured_buckets_and_table(full_run: list[Request]) -> None:
    assert resources_named(full_run) == {*BUCKETS, TABLE}
    assert {r.params["Bucket"] for r in full_run if r.operation in {"ListObjectVersions", "DeleteObjects"}} == {
        *BUCKETS
    }


def test_the_table_is_only_ever_asked_to_delete(full_run: list[Request]) -> None:
    writes = [w for r in full_run if r.operation == "BatchWriteItem" for w in r.params["RequestItems"][TABLE]]
    assert len(writes) == 30  # the deferred item was held back from the real call, then sent again
    assert all(set(w) == {"DeleteRequest"} for w in writes)


def test_the_scan_reads_only_the_key_the_upload_time_and_the_tombstone_mark(full_run: list[Request]) -> None:
    (scan,) = [r for r in full_run if r.operation == "Scan"]
    names = scan.params["ExpressionAttributeNames"]
    assert sorted(names[p.strip()] for p in scan.params["ProjectionExpression"].split(",")) == sorted(
        [contract.TABLE_HASH_KEY, contract.USER_INDEX_RANGE_KEY, ATTR_DELETED_BY]
    )
