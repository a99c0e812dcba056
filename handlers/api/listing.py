"""GET /images: the caller's images, newest first, a page at a time through the user index.

The cursor is the Query's LastEvaluatedKey as urlsafe base64 of its JSON: opaque to clients, and
checked on the way back in field by field, so that a cursor cannot start another user's listing and
DynamoDB never sees a start key it would refuse (a 500): an image id of the shape the pipeline gives,
the caller's own user id, an upload time as the pipeline writes it, each within DynamoDB's key limits.
"""

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any, Final

from handlers.api.clients import ApiClients
from handlers.api.errors import BadRequest
from handlers.api.proxy_event import ApiRequest
from handlers.api.responses import ApiResponse, json_response
from handlers.api.settings import ApiSettings
from handlers.api.summary import image_summary
from handlers.contract import TABLE_HASH_KEY, USER_INDEX_HASH_KEY, USER_INDEX_NAME, USER_INDEX_RANGE_KEY
from handlers.image_item import decode_item
from handlers.key_layout import is_image_id
from handlers.timestamps import is_iso_utc

PARAM_LIMIT: Final = "limit"
PARAM_CURSOR: Final = "cursor"
DEFAULT_LIMIT: Final = 20
MAX_LIMIT: Final = 100
# A LastEvaluatedKey of the user index is three short strings; the longest a cursor of ours can be is
# 2,212 characters (a 128-character user id of characters JSON escapes as surrogate pairs).
MAX_CURSOR_CHARS: Final = 4096
# DynamoDB refuses a key attribute's value over these (UTF-8 bytes), https://docs.aws.amazon.com/
# amazondynamodb/latest/developerguide/Constraints.html#limits-partition-sort-keys
DYNAMODB_MAX_PARTITION_KEY_BYTES: Final = 2048
DYNAMODB_MAX_SORT_KEY_BYTES: Final = 1024
# Each attribute of the start key: the table's partition key, the index's partition and sort keys.
_CURSOR_FIELDS: Final = {
    TABLE_HASH_KEY: DYNAMODB_MAX_PARTITION_KEY_BYTES,
    USER_INDEX_HASH_KEY: DYNAMODB_MAX_PARTITION_KEY_BYTES,
    USER_INDEX_RANGE_KEY: DYNAMODB_MAX_SORT_KEY_BYTES,
}
_DIGITS: Final = re.compile(r"[0-9]{1,4}")
_URLSAFE_BASE64: Final = re.compile(r"[A-Za-z0-9_-]+")

StartKey = dict[str, dict[str, str]]


def list_images(request: ApiRequest, user_id: str, settings: ApiSettings, clients: ApiClients) -> ApiResponse:
    limit = parse_limit(request.query.get(PARAM_LIMIT))
    cursor = request.query.get(PARAM_CURSOR)
    query: dict[str, Any] = {
        "TableName": settings.metadata_table,
        "IndexName": USER_INDEX_NAME,
        "KeyConditionExpression": "#user = :user",
        "ExpressionAttributeNames": {"#user": USER_INDEX_HASH_KEY},
        "ExpressionAttributeValues": {":user": {"S": user_id}},
        "ScanIndexForward": False,  # newest uploaded_at first
        "Limit": limit,
    }
    if cursor is not None:
        query["ExclusiveStartKey"] = decode_cursor(cursor, user_id)
    response = clients.dynamodb.query(**query)
    images = [image_summary(decode_item(item)) for item in response.get("Items", [])]
    last = response.get("LastEvaluatedKey")
    return json_response(200, {"images": images, "cursor": encode_cursor(last) if last else None})


def parse_limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if not _DIGITS.fullmatch(raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadRequest(f"{PARAM_LIMIT} must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def encode_cursor(last_evaluated_key: Mapping[str, Any]) -> str:
    text = json.dumps(last_evaluated_key, sort_keys=True, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, user_id: str) -> StartKey:
    """The ExclusiveStartKey a cursor from an earlier page of this caller's listing stands for."""
    invalid = BadRequest(f"{PARAM_CURSOR} is not one this API gave you; start again without it")
    if len(cursor) > MAX_CURSOR_CHARS or not _URLSAFE_BASE64.fullmatch(cursor):
        raise invalid
    try:
        start = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, RecursionError):
        raise invalid from None
    if not isinstance(start, dict) or set(start) != set(_CURSOR_FIELDS):
        raise invalid
    fields: dict[str, str] = {}
    for name, max_bytes in _CURSOR_FIELDS.items():
        value = start[name]
        if not (isinstance(value, dict) and set(value) == {"S"} and isinstance(value["S"], str)):
            raise invalid
        if not 0 < len(value["S"].encode("utf-8", "surrogatepass")) <= max_bytes:
            raise invalid
        fields[name] = value["S"]
    if not is_image_id(fields[TABLE_HASH_KEY]) or not is_iso_utc(fields[USER_INDEX_RANGE_KEY]):
        raise invalid
    if fields[USER_INDEX_HASH_KEY] != user_id:
        raise invalid
    return {name: {"S": value} for name, value in fields.items()}
