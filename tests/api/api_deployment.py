"""The API function against the pipeline's resources in moto: calls, seeded images, what is left.

Images are seeded as the pipeline leaves them (its own ``ImageRecord`` item layout and key
functions), so the API's tests control ``uploaded_at`` and status without running Pillow; the
round trip test runs the real image processor instead.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from emulated_aws.api_gateway import USER, ProxyEvent
from emulated_aws.lambda_context import FrozenLambdaContext
from handlers import contract
from handlers.contract import ImageStatus
from handlers.image_api import handler
from handlers.image_item import ImageRecord, StoredRendition
from handlers.imaging.renditions import OutputFormat
from handlers.key_layout import image_id_for, rendition_key, rendition_prefix, upload_key
from handlers.timestamps import iso_utc
from tests.handler.deployment import PROCESSED_BUCKET, TABLE, UPLOAD_BUCKET, Deployment

# What each answer's request id and Lambda's request id are in these tests.
LAMBDA_REQUEST_ID = FrozenLambdaContext().aws_request_id
FIRST_UPLOAD = datetime(2025, 3, 14, 9, 0, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: Any  # parsed JSON; None for an empty body
    raw: dict[str, Any]

    @property
    def error(self) -> str | None:
        return self.body.get("error") if isinstance(self.body, dict) else None


def call(event: ProxyEvent | object) -> Answer:
    """Invoke the API function in-process, as Lambda would, and read its proxy response."""
    raw = handler(event, FrozenLambdaContext())
    assert set(raw) == {"statusCode", "headers", "body", "isBase64Encoded"}
    assert raw["isBase64Encoded"] is False
    body = json.loads(raw["body"]) if raw["body"] else None
    return Answer(raw["statusCode"], raw["headers"], body, raw)


def api_environment() -> dict[str, str]:
    return {
        contract.ENV_UPLOAD_BUCKET: UPLOAD_BUCKET,
        contract.ENV_PROCESSED_BUCKET: PROCESSED_BUCKET,
        contract.ENV_METADATA_TABLE: TABLE,
    }


@dataclass(frozen=True)
class SeededImage:
    image_id: str
    key: str
    user: str
    uploaded_at: str
    rendition_keys: tuple[str, ...] = field(default=())


def seed_image(
    aws: Deployment,
    file_name: str = "photo.jpg",
    *,
    user: str = USER,
    uploaded_at: datetime = FIRST_UPLOAD,
    status: ImageStatus = ImageStatus.COMPLETED,
    versions: int = 2,
    upload_id: str | None = None,
    key: str | None = None,
) -> SeededImage:
    """An upload as the pipeline leaves it: ``versions`` versions of the original plus a delete marker,
    renditions of each version (completed only), and the item of the latest."""
    key = key or upload_key(user, upload_id or f"{uploaded_at:%Y%m%d%H%M%S%f}", file_name)
    image_id = image_id_for(key)
    stored: list[StoredRendition] = []
    version_id = None
    for n in range(versions):
        version_id = aws.s3.put_object(Bucket=UPLOAD_BUCKET, Key=key, Body=b"original %d" % n)["VersionId"]
        if status is ImageStatus.COMPLETED:
            stored = [_put_rendition(aws, user, image_id, f"v{n}", name, fmt) for name, fmt in _RENDITIONS]
    # A delete marker too: every version and marker of the key is the image's.
    aws.s3.delete_object(Bucket=UPLOAD_BUCKET, Key=key)
    record = ImageRecord(
        image_id=image_id,
        source_bucket=UPLOAD_BUCKET,
        source_key=key,
        source_version_id=version_id,
        sequencer=f"{versions:020X}",
        version_token=f"v{versions - 1}",
        uploaded_at=iso_utc(uploaded_at),
        status=status,
        updated_at=iso_utc(uploaded_at + timedelta(seconds=1)),
        request_id=LAMBDA_REQUEST_ID,
        user_id=user,
        file_name=file_name,
        size_bytes=123_456,
        format="JPEG" if status is not ImageStatus.FAILED else None,
        width=2400 if status is ImageStatus.COMPLETED else None,
        height=1200 if status is ImageStatus.COMPLETED else None,
        renditions=tuple(stored),
        fingerprint=SEED_FINGERPRINT if status is ImageStatus.COMPLETED else None,
        reason="undecodable" if status is ImageStatus.REJECTED else None,
        detail="cannot identify image file" if status is ImageStatus.REJECTED else None,
        error_type="ClientError" if status is ImageStatus.FAILED else None,
        error_code="SlowDown" if status is ImageStatus.FAILED else None,
    )
    aws.dynamodb.put_item(TableName=TABLE, Item=record.to_item())
    rendition_keys = tuple(sorted(object_keys(aws, PROCESSED_BUCKET, rendition_prefix(user, image_id))))
    return SeededImage(image_id, key, user, iso_utc(uploaded_at), rendition_keys)


# What the seeded completed items say made their renditions (any 16 hex digits).
SEED_FINGERPRINT = "0123456789abcdef"
_RENDITIONS = (("thumbnail", OutputFormat.JPEG), ("thumbnail", OutputFormat.WEBP), ("preview", OutputFormat.JPEG))


def _put_rendition(
    aws: Deployment, user: str, image_id: str, token: str, name: str, fmt: OutputFormat
) -> StoredRendition:
    key = rendition_key(user, image_id, token, name, fmt)
    data = f"{name}.{fmt.extension} of {token}".encode()
    aws.s3.put_object(Bucket=PROCESSED_BUCKET, Key=key, Body=data, ContentType=fmt.content_type)
    width, height = (150, 75) if name == "thumbnail" else (800, 400)
    return StoredRendition(name, fmt.value, key, fmt.content_type, width, height, len(data))


def versions(aws: Deployment, bucket: str, prefix: str = "") -> list[tuple[str, str]]:
    """Every (key, version id) under ``prefix``, versions and delete markers alike."""
    pages = aws.s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix)
    return sorted(
        (entry["Key"], entry["VersionId"])
        for page in pages
        for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
    )


def object_keys(aws: Deployment, bucket: str, prefix: str = "") -> set[str]:
    return {key for key, _ in versions(aws, bucket, prefix)}


def item(aws: Deployment, image_id: str) -> dict[str, Any] | None:
    response = aws.dynamodb.get_item(
        TableName=TABLE, Key={contract.TABLE_HASH_KEY: {"S": image_id}}, ConsistentRead=True
    )
    found: dict[str, Any] | None = response.get("Item")
    return found


def is_tombstone_of(found: dict[str, Any] | None, user: str = USER) -> bool:
    """Whether a raw item is the tombstone DELETE leaves: no owner and no upload time (so never found or
    listed), the caller among those who deleted it (handlers/tombstone.py)."""
    return (
        found is not None
        and contract.USER_INDEX_HASH_KEY not in found
        and contract.USER_INDEX_RANGE_KEY not in found
        and user in found.get("deleted_by", {}).get("SS", [])
    )
