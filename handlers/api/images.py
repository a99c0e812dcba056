"""GET and DELETE /images/{id}: one image of the caller's.

Another user's image is answered exactly as a missing one, never 403: the API does not say whose an
id is. GET answers both with 404; DELETE is repeatable, so with no item of the caller's left it answers
204 for both (and deletes nothing of anyone else's).
"""

import logging
from typing import Any, Final

from botocore.exceptions import ClientError

from handlers.api.clients import ApiClients, DynamoDbApi
from handlers.api.errors import NotFound
from handlers.api.excerpt import excerpt
from handlers.api.object_versions import delete_every_version
from handlers.api.proxy_event import ApiRequest
from handlers.api.responses import ApiResponse, json_response, no_content
from handlers.api.settings import ApiSettings
from handlers.api.summary import ImageDetail, RenditionView, image_summary
from handlers.contract import API_IMAGE_ID_PARAM, TABLE_HASH_KEY, UPLOAD_PREFIX, USER_INDEX_HASH_KEY
from handlers.image_item import ATTR_FINGERPRINT, decode_item
from handlers.key_layout import is_image_id, rendition_prefix
from handlers.telemetry.events import FIELD_IMAGE_ID, FIELD_USER_ID, FIELD_VERSIONS_DELETED, Level, LogEvent
from handlers.telemetry.logger import log_event

_logger = logging.getLogger(__name__)
_CONDITION_FAILED: Final = "ConditionalCheckFailedException"
# Item attributes the pipeline writes (handlers.edge.metadata.ImageRecord.to_item).
_ATTR_SOURCE_BUCKET: Final = "source_bucket"
_ATTR_SOURCE_KEY: Final = "source_key"
_ATTR_REASON: Final = "reason"
_ATTR_RENDITIONS: Final = "renditions"


class InconsistentItem(RuntimeError):
    """An item that names an original outside its owner's uploads: deleting it could not be complete."""


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
    """Every version of the original, every rendition, then the item: objects first, so a retry after a
    partial failure still finds the item that says what to delete."""
    image_id = _image_id(request)
    item = _item(clients.dynamodb, settings.metadata_table, image_id)
    if item is None or item.get(USER_INDEX_HASH_KEY) != user_id:
        # Already deleted, never there, or someone else's: all three look the same, and nothing is touched.
        return no_content()
    bucket, key = item.get(_ATTR_SOURCE_BUCKET), item.get(_ATTR_SOURCE_KEY)
    if bucket != settings.upload_bucket or not isinstance(key, str) or not key.startswith(f"{UPLOAD_PREFIX}{user_id}/"):
        raise InconsistentItem(f"item {image_id} of {user_id} names s3://{bucket}/{key}")
    deleted = delete_every_version(clients.s3, settings.upload_bucket, key, exact_key=True)
    deleted += delete_every_version(clients.s3, settings.processed_bucket, rendition_prefix(user_id, image_id))
    try:
        clients.dynamodb.delete_item(
            TableName=settings.metadata_table,
            Key={TABLE_HASH_KEY: {"S": image_id}},
            ConditionExpression="#user = :user",
            ExpressionAttributeNames={"#user": USER_INDEX_HASH_KEY},
            ExpressionAttributeValues={":user": {"S": user_id}},
        )
    except ClientError as exc:
        # Only a concurrent DELETE removes an item between the read and here (the owner never changes).
        if exc.response.get("Error", {}).get("Code") != _CONDITION_FAILED:
            raise
    fields = {FIELD_IMAGE_ID: image_id, FIELD_USER_ID: user_id, FIELD_VERSIONS_DELETED: deleted}
    log_event(_logger, Level.INFO, LogEvent.API_IMAGE_DELETED, fields)
    return no_content()


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
