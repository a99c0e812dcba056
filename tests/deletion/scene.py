"""Uploads as the image API hands them out, the three functions as actors, and what an image left behind."""

import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from emulated_aws.api_gateway import USER, delete_image, get_image, list_images
from handlers import contract
from handlers.api.clients import API_CALL_BUDGET, api_clients
from handlers.image_item import decode_item
from handlers.image_processor import PROCESSOR_CALL_BUDGET, aws_clients, failure_record_client
from handlers.key_layout import rendition_prefix, upload_key
from handlers.tombstone import ATTR_DELETED_AT, ATTR_DELETED_BY
from tests.api.api_deployment import Answer, call, versions
from tests.handler.deployment import PROCESSED_BUCKET, TABLE, UPLOAD_BUCKET, Deployment, Upload
from tests.reprocess.batch import invoke, task

# Renditions one image makes under the default set, and a smaller set that drops some of them.
FEWER_RENDITIONS = json.dumps([{"name": "thumbnail", "width": 150, "height": 150}])


def function_clients() -> list[Any]:
    """The clients the image function, the reprocessing function and the API make their calls with (the
    tests' invocations have the time for the full call budgets)."""
    processor, api = aws_clients(PROCESSOR_CALL_BUDGET), api_clients(API_CALL_BUDGET)
    return [processor.s3, processor.dynamodb, failure_record_client(), api.s3, api.dynamodb]


def api_upload(aws: Deployment, data: bytes, user: str = USER, file_name: str = "photo.jpg") -> Upload:
    """A file sent with the presigned POST the API hands out: its own folder, uploads/{user}/{upload id}/."""
    return aws.upload(file_name, data, key=upload_key(user, uuid.uuid4().hex, file_name))


def another_version(aws: Deployment, upload: Upload, data: bytes) -> Upload:
    """A second version of the same key (an upload straight to the bucket, or a repeated POST of the key)."""
    return aws.upload(upload.key.rsplit("/", 1)[-1], data, key=upload.key)


def processes(aws: Deployment, upload: Upload) -> Any:
    """The image function on the upload's S3 event."""
    return lambda: aws.invoke(upload.event())


def reprocesses(upload: Upload) -> Any:
    """The reprocessing function on a Batch Operations task for the upload's version."""
    return lambda: invoke(task(upload))


def deletes(image_id: str, user: str = USER) -> Any:
    """DELETE /images/{id}, as ``user``."""
    return lambda: call(delete_image(image_id, user=user))


@dataclass(frozen=True)
class Left:
    """Everything of one image in the buckets and the table."""

    originals: list[tuple[str, str]]  # (key, version id), versions and delete markers
    renditions: list[tuple[str, str]]
    item: dict[str, Any] | None

    @property
    def is_tombstone_only(self) -> bool:
        """Nothing but the tombstone: no version of the original or of any rendition, no image item."""
        return not self.originals and not self.renditions and self.item is not None and ATTR_DELETED_BY in self.item


def left_of(aws: Deployment, upload: Upload, user: str = USER) -> Left:
    response = aws.dynamodb.get_item(
        TableName=TABLE, Key={contract.TABLE_HASH_KEY: {"S": upload.image_id}}, ConsistentRead=True
    )
    return Left(
        originals=versions(aws, UPLOAD_BUCKET, upload.key),
        renditions=versions(aws, PROCESSED_BUCKET, rendition_prefix(user, upload.image_id)),
        item=decode_item(response["Item"]) if "Item" in response else None,
    )


# What a tombstone holds beyond its key: who deleted, when, until when (and what, if there was an item).
TOMBSTONE_ATTRIBUTES = {contract.TABLE_HASH_KEY, ATTR_DELETED_BY, ATTR_DELETED_AT, contract.TABLE_TTL_ATTRIBUTE}


def seen_by_owner(image_id: str, user: str = USER) -> tuple[Answer, Answer]:
    """GET /images/{id} and GET /images as the owner sees them."""
    return call(get_image(image_id, user=user)), call(list_images(user=user))


def assert_deleted(aws: Deployment, upload: Upload, user: str = USER) -> None:
    """What DELETE promises once every function has finished: GET 404, not listed, nothing left but the
    tombstone, which names the owner among those who deleted it."""
    got, listing = seen_by_owner(upload.image_id, user)
    assert got.status == 404
    assert listing.status == 200 and listing.body["images"] == []
    left = left_of(aws, upload, user)
    assert left.is_tombstone_only, left
    assert left.item is not None and user in left.item[ATTR_DELETED_BY]


def delete_markers_as_s3_makes_them(monkeypatch: pytest.MonkeyPatch, aws: Deployment, client: Any) -> None:
    """Make ``client``'s DeleteObject (no version id) add a delete marker even where the key has no version.

    S3 does ("If bucket versioning is enabled, the operation inserts a delete marker, which becomes the
    current version of the object", S3 API Reference, DeleteObject; markers "regardless of file existence",
    aws/aws-sdk-go-v2 issue #2607); moto 5.2.5 adds none for a key with no version or marker at all. The
    image function's removal of renditions no longer made, after a DELETE emptied the folder, leaves such
    markers on S3.
    """
    real = client.delete_object

    def delete_object(**request: Any) -> Any:
        bucket, key = request["Bucket"], request["Key"]
        if "VersionId" in request or any(k == key for k, _ in versions(aws, bucket, key)):
            return real(**request)
        # The test's own client (never held by the lockstep) makes a version for moto to put a marker over.
        placeholder = aws.s3.put_object(Bucket=bucket, Key=key, Body=b"")["VersionId"]
        response = real(**request)
        aws.s3.delete_object(Bucket=bucket, Key=key, VersionId=placeholder)
        return response

    monkeypatch.setattr(client, "delete_object", delete_object)
