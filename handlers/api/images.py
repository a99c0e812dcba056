"""GET and DELETE /images/{id}: one image of the caller's.

Another user's image is answered exactly as a missing one, never 403: the API does not say whose an
id is. GET answers both with 404; DELETE is repeatable, so with no item of the caller's left it answers
204 for both (and deletes nothing of anyone else's).

DELETE wins over the image function whatever the order (handlers/tombstone.py): it first puts a
tombstone in the image's place, then deletes every version of the original and of every rendition. The
function refuses to write over the tombstone and removes what an upload of the image brings later,
even an upload DELETE came before: the API cannot know that upload's key, its first item not written
yet, so for an id with no item it leaves a tombstone naming the caller, which stops the upload only if
it is the caller's.
"""

import logging
import time
from datetime import UTC, datetime
from typing import Any, Final

from botocore.exceptions import ClientError

from handlers.api.clients import ApiClients, DynamoDbApi
from handlers.api.errors import NotFound
from handlers.api.excerpt import excerpt
from handlers.api.proxy_event import ApiRequest
from handlers.api.responses import ApiResponse, json_response, no_content
from handlers.api.settings import ApiSettings
from handlers.api.summary import ImageDetail, RenditionView, image_summary
from handlers.contract import (
    API_IMAGE_ID_PARAM,
    TABLE_HASH_KEY,
    TABLE_TTL_ATTRIBUTE,
    UPLOAD_PREFIX,
    USER_INDEX_HASH_KEY,
)
from handlers.image_item import ATTR_FINGERPRINT, ATTR_SOURCE_BUCKET, ATTR_SOURCE_KEY, decode_item
from handlers.key_layout import is_image_id, rendition_prefix
from handlers.object_versions import delete_every_version
from handlers.telemetry.events import FIELD_IMAGE_ID, FIELD_USER_ID, FIELD_VERSIONS_DELETED, Level, LogEvent
from handlers.telemetry.logger import log_event
from handlers.timestamps import iso_utc
from handlers.tombstone import ATTR_DELETED_AT, ATTR_DELETED_BY, expires_at, is_tombstone, tombstone_item

_logger = logging.getLogger(__name__)
_CONDITION_FAILED: Final = "ConditionalCheckFailedException"
# Item attributes the pipeline writes (handlers.image_item.ImageRecord.to_item).
_ATTR_REASON: Final = "reason"
_ATTR_RENDITIONS: Final = "renditions"
# Reading the item and writing the tombstone, again when a write is refused because another function
# wrote in between (the image function its first item, another DELETE of the caller's its tombstone):
# the third round finds a state no write can change any more; a refusal then is a fault.
MAX_TOMBSTONE_ROUNDS: Final = 3


class InconsistentItem(RuntimeError):
    """An item that names an original outside its owner's uploads: deleting it could not be complete."""


class ItemKeptChanging(RuntimeError):
    """The item changed under every tombstone write: the client should retry the DELETE."""


Original = tuple[str, str]  # (bucket, key) of an image's original


def get_image(request: ApiRequest, user_id: str, settings: ApiSettings, clients: ApiClients) -> ApiResponse:
    image_id = _image_id(request)
    item = _item(clients.dynamodb, settings.metadata_table, image_id)
    if item is None or item.get(USER_INDEX_HASH_KEY) != user_id:
        raise _not_found(image_id)
    renditions = [
        RenditionView(
            name=r["name"],
            format=r["format"],
            width=r["width"],
            height=r["height"],
            bytes=r["bytes"],
            url=clients.s3.generate_presigned_url(
                ClientMethod="get_object",
                Params={"Bucket": settings.processed_bucket, "Key": r["key"]},
                ExpiresIn=settings.url_ttl_seconds,
            ),
        )
        for r in item.get(_ATTR_RENDITIONS) or []
    ]
    detail = ImageDetail(
        **image_summary(item),
        reason=item.get(_ATTR_REASON),
        fingerprint=item.get(ATTR_FINGERPRINT),
        renditions=renditions,
    )
    return json_response(200, detail)


def delete_image(request: ApiRequest, user_id: str, settings: ApiSettings, clients: ApiClients) -> ApiResponse:
    """The tombstone first, then every version of the original and every rendition: once the tombstone
    stands, the image function removes whatever it still writes, and a retry after a partial failure
    finds in the tombstone what to delete."""
    image_id = _image_id(request)
    original = _tombstone(clients.dynamodb, settings, image_id, user_id)
    if original is None:
        # Nothing of the caller's to delete now: never there, someone else's, an upload not processed yet
        # (the image function removes it when it arrives), or already deleted. All look the same.
        return no_content()
    bucket, key = original
    deleted = delete_every_version(clients.s3, bucket, key, exact_key=True)
    deleted += delete_every_version(clients.s3, settings.processed_bucket, rendition_prefix(user_id, image_id))
    fields = {FIELD_IMAGE_ID: image_id, FIELD_USER_ID: user_id, FIELD_VERSIONS_DELETED: deleted}
    log_event(_logger, Level.INFO, LogEvent.API_IMAGE_DELETED, fields)
    return no_content()


def _tombstone(dynamodb: DynamoDbApi, settings: ApiSettings, image_id: str, user_id: str) -> Original | None:
    """Make the image id the caller's tombstone; return the original left to delete (None: nothing).

    - The caller's item: replaced whole by the tombstone (a conditional PutItem, so an item the image
      function wrote meanwhile is the one replaced).
    - Another user's item, or another user's deleted image: nothing written.
    - No item, or a tombstone of an id that had none: the caller is added to it (a conditional
      UpdateItem, which refuses if the image function wrote the item meanwhile: then read again).
    - The caller's tombstone: nothing written; the original it names is deleted again (a retry).
    """
    for _ in range(MAX_TOMBSTONE_ROUNDS):
        item = _item(dynamodb, settings.metadata_table, image_id)
        if item is not None and not is_tombstone(item):
            if item.get(USER_INDEX_HASH_KEY) != user_id:
                return None
            original = _checked_original(item, image_id, user_id, settings)
            if _replace_item(dynamodb, settings.metadata_table, image_id, user_id, original):
                return original
        elif item is not None and _deleted_by(item, user_id):
            return _checked_original(item, image_id, user_id, settings) if ATTR_SOURCE_KEY in item else None
        elif item is not None and ATTR_SOURCE_KEY in item:
            return None  # another user's image, deleted by its owner
        elif _add_deleter(dynamodb, settings.metadata_table, image_id, user_id):
            return None
    raise ItemKeptChanging(f"item {image_id} changed under {MAX_TOMBSTONE_ROUNDS} tombstone writes")


def _deleted_by(tombstone: dict[str, Any], user_id: str) -> bool:
    deleters = tombstone[ATTR_DELETED_BY]
    return isinstance(deleters, frozenset) and user_id in deleters


def _checked_original(item: dict[str, Any], image_id: str, user_id: str, settings: ApiSettings) -> Original:
    bucket, key = item.get(ATTR_SOURCE_BUCKET), item.get(ATTR_SOURCE_KEY)
    if bucket != settings.upload_bucket or not isinstance(key, str) or not key.startswith(f"{UPLOAD_PREFIX}{user_id}/"):
        raise InconsistentItem(f"item {image_id} of {user_id} names s3://{bucket}/{key}")
    return bucket, key


def _replace_item(dynamodb: DynamoDbApi, table: str, image_id: str, user_id: str, original: Original) -> bool:
    """The caller's item replaced by the caller's tombstone; False if it is no longer the caller's item."""
    try:
        dynamodb.put_item(
            TableName=table,
            Item=tombstone_item(image_id, user_id, *original),
            # Any version of the image (the key, hence the original, is the same for all): still the
            # caller's, and not a tombstone yet.
            ConditionExpression="#user = :user AND attribute_not_exists(#by)",
            ExpressionAttributeNames={"#user": USER_INDEX_HASH_KEY, "#by": ATTR_DELETED_BY},
            ExpressionAttributeValues={":user": {"S": user_id}},
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != _CONDITION_FAILED:
            raise
        return False
    return True


def _add_deleter(dynamodb: DynamoDbApi, table: str, image_id: str, user_id: str) -> bool:
    """The caller added to the tombstone of an id without an item (made if need be); False if the image
    function wrote the item meanwhile."""
    now = time.time()
    try:
        dynamodb.update_item(
            TableName=table,
            Key={TABLE_HASH_KEY: {"S": image_id}},
            UpdateExpression="ADD #by :user SET #at = if_not_exists(#at, :now), #expires = :expires",
            # No item, or a tombstone that names no original: never an image's item, never one deleted by its owner.
            ConditionExpression="attribute_not_exists(#id) OR (attribute_exists(#by) AND attribute_not_exists(#key))",
            ExpressionAttributeNames={
                "#id": TABLE_HASH_KEY,
                "#by": ATTR_DELETED_BY,
                "#at": ATTR_DELETED_AT,
                "#expires": TABLE_TTL_ATTRIBUTE,
                "#key": ATTR_SOURCE_KEY,
            },
            ExpressionAttributeValues={
                ":user": {"SS": [user_id]},
                ":now": {"S": iso_utc(datetime.fromtimestamp(now, UTC))},
                ":expires": {"N": str(expires_at(now))},
            },
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != _CONDITION_FAILED:
            raise
        return False
    return True


def _image_id(request: ApiRequest) -> str:
    image_id = request.path_parameters.get(API_IMAGE_ID_PARAM, "")
    if not is_image_id(image_id):  # anything else names no image
        raise _not_found(image_id)
    return image_id


def _item(dynamodb: DynamoDbApi, table: str, image_id: str) -> dict[str, Any] | None:
    # Consistent: an image just processed or just deleted is seen as it now is.
    response = dynamodb.get_item(TableName=table, Key={TABLE_HASH_KEY: {"S": image_id}}, ConsistentRead=True)
    item = response.get("Item")
    return decode_item(item) if item else None


def _not_found(image_id: str) -> NotFound:
    # The same words for a missing image and another user's.
    return NotFound(f"no image {excerpt(image_id)}")
