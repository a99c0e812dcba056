"""The pipeline's buckets and table inside moto, as the cleanup function sees them, and a clock for its runs.

moto stamps LastModified with the real time of the put, to the second (as S3 reports it), so a
test ages everything by moving the cleanup's clock instead: ``run_days_later`` runs it as if that
many days had passed, and ``boundary()`` marks a moment that separates what was put before it from
what is put after, for a run whose cutoff falls exactly there.
"""

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from emulated_aws.lambda_context import FrozenLambdaContext
from handlers import cleanup_handler, contract
from handlers.contract import ImageStatus
from handlers.image_item import ImageRecord
from handlers.timestamps import iso_utc
from tests.handler.deployment import PROCESSED_BUCKET, TABLE, UPLOAD_BUCKET

MAX_AGE_DAYS = 30
BUCKETS = (UPLOAD_BUCKET, PROCESSED_BUCKET)
REQUEST_ID = "c1ea0000-0000-4000-8000-000000000004"
# What EventBridge Scheduler sends when a schedule gives no input of its own.
SCHEDULER_EVENT: dict[str, Any] = {}

VersionRef = tuple[str, str]  # (key, version id)


def cleanup_environment(max_age_days: int | str = MAX_AGE_DAYS) -> dict[str, str]:
    return {
        contract.ENV_UPLOAD_BUCKET: UPLOAD_BUCKET,
        contract.ENV_PROCESSED_BUCKET: PROCESSED_BUCKET,
        contract.ENV_METADATA_TABLE: TABLE,
        contract.ENV_CLEANUP_MAX_AGE_DAYS: str(max_age_days),
    }


def boundary() -> datetime:
    """The next whole second, once it has come: objects put before it are older than it, after it not."""
    now = datetime.now(UTC)
    second = now.replace(microsecond=0) + timedelta(seconds=1)
    time.sleep((second - now).total_seconds() + 0.01)
    return second


@dataclass
class CleanupDeployment:
    s3: Any
    dynamodb: Any
    monkeypatch: pytest.MonkeyPatch

    # --- what a test puts there ---

    def put(self, bucket: str, key: str, body: bytes = b"x") -> VersionRef:
        return key, self.s3.put_object(Bucket=bucket, Key=key, Body=body)["VersionId"]

    def delete(self, bucket: str, key: str) -> VersionRef:
        """A plain DELETE on a versioned bucket: a delete marker on top of the key's versions."""
        response = self.s3.delete_object(Bucket=bucket, Key=key)
        assert response["DeleteMarker"]
        return key, response["VersionId"]

    def put_item(self, image_id: str, uploaded_at: datetime, updated_at: datetime | None = None) -> None:
        """An item as the image processor writes it (a completed upload), dated as given."""
        record = ImageRecord(
            image_id=image_id,
            source_bucket=UPLOAD_BUCKET,
            source_key=f"{contract.UPLOAD_PREFIX}user-42/{image_id}.jpg",
            source_version_id="v1",
            sequencer="0000000000000000000001",
            version_token="token",
            uploaded_at=iso_utc(uploaded_at),
            status=ImageStatus.COMPLETED,
            updated_at=iso_utc(updated_at or uploaded_at),
            request_id="processor-request",
            user_id="user-42",
        )
        self.dynamodb.put_item(TableName=TABLE, Item=record.to_item())

    # --- running the cleanup ---

    def run(self, now: datetime, event: object = SCHEDULER_EVENT, request_id: str = REQUEST_ID) -> dict[str, object]:
        """The handler as Lambda calls it, with its clock at ``now``."""
        self.monkeypatch.setattr(cleanup_handler, "utc_now", lambda: now)
        return cleanup_handler.handler(event, FrozenLambdaContext(aws_request_id=request_id))

    def run_days_later(self, days: int = MAX_AGE_DAYS + 1, **kwargs: Any) -> dict[str, object]:
        """The handler run ``days`` days from now: with the default, everything here is old enough to go."""
        return self.run(datetime.now(UTC) + timedelta(days=days, seconds=1), **kwargs)

    # --- what is left ---

    def versions(self, bucket: str) -> set[VersionRef]:
        return {(v["Key"], v["VersionId"]) for v in self._listing(bucket, "Versions")}

    def delete_markers(self, bucket: str) -> set[VersionRef]:
        return {(v["Key"], v["VersionId"]) for v in self._listing(bucket, "DeleteMarkers")}

    def item_ids(self, table: str = TABLE) -> set[str]:
        pages = self.dynamodb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True)
        return {item[contract.TABLE_HASH_KEY]["S"] for page in pages for item in page["Items"]}

    def _listing(self, bucket: str, kind: str) -> Iterator[dict[str, Any]]:
        for page in self.s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            yield from page.get(kind, [])
