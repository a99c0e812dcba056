"""The listing's cursor is checked field by field before DynamoDB sees it.

DynamoDB refuses a key value over 2,048 bytes (partition key) or 1,024 bytes (sort key) with a
ValidationException, which would be a 500 (https://docs.aws.amazon.com/amazondynamodb/latest/
developerguide/Constraints.html#limits-partition-sort-keys); moto does not enforce those limits, so
the tests assert the 400 that comes first.
"""

import base64
import json
from datetime import timedelta
from typing import Any

import pytest

from emulated_aws.api_gateway import USER, list_images
from handlers.api.identity import MAX_USER_ID_CHARS
from handlers.api.listing import (
    DYNAMODB_MAX_PARTITION_KEY_BYTES,
    DYNAMODB_MAX_SORT_KEY_BYTES,
    MAX_CURSOR_CHARS,
    encode_cursor,
)
from handlers.key_layout import image_id_for
from handlers.timestamps import iso_utc
from tests.api.api_deployment import FIRST_UPLOAD, call, seed_image
from tests.handler.deployment import Deployment

SOME_ID = image_id_for("uploads/user-42/x/photo.jpg")
SOME_TIME = iso_utc(FIRST_UPLOAD)


def cursor_of(fields: dict[str, Any]) -> str:
    """A cursor as the API writes one, around whatever ``fields`` hold."""
    text = json.dumps(fields, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def start_key(image_id: object = SOME_ID, user_id: object = USER, uploaded_at: object = SOME_TIME) -> dict[str, Any]:
    return {"image_id": {"S": image_id}, "user_id": {"S": user_id}, "uploaded_at": {"S": uploaded_at}}


@pytest.mark.parametrize(
    "fields",
    [
        start_key(image_id="i" * 1400),
        start_key(image_id=SOME_ID.upper()),
        start_key(image_id="not-an-image-id"),
        start_key(uploaded_at="t" * 1400),
        start_key(uploaded_at="2025-02-30T09:00:00.000Z"),
        start_key(uploaded_at="2025-03-14T09:00:00Z"),
        start_key(uploaded_at="2025-03-14 09:00:00.000+00:00"),
        start_key(user_id="u" * 1400),
        start_key(user_id=""),
        start_key(image_id=7),
        {**start_key(), "image_id": {"N": "7"}},
        {**start_key(), "image_id": {"S": SOME_ID, "N": "7"}},
        {**start_key(), "status": {"S": "completed"}},
    ],
    ids=[
        "1400-byte-image-id",
        "upper-case-image-id",
        "not-an-image-id",
        "1400-byte-upload-time",
        "no-such-day",
        "seconds-only",
        "other-time-form",
        "1400-byte-user-id",
        "empty-user-id",
        "number-image-id",
        "number-type",
        "two-types",
        "extra-field",
    ],
)
def test_a_cursor_with_any_field_not_of_its_shape_is_400_before_dynamodb_sees_it(
    aws: Deployment, fields: dict[str, Any]
) -> None:
    answer = call(list_images(query={"cursor": cursor_of(fields)}))
    assert (answer.status, answer.body) == (
        400,
        {"error": "bad_request", "message": "cursor is not one this API gave you; start again without it"},
    )


def test_a_cursor_of_fields_of_the_right_shape_for_the_caller_is_used(aws: Deployment) -> None:
    # GIVEN two images of the caller, and a cursor naming a moment between them
    older = seed_image(aws, "older.jpg", uploaded_at=FIRST_UPLOAD, versions=1)
    seed_image(aws, "newer.jpg", uploaded_at=FIRST_UPLOAD + timedelta(minutes=2), versions=1)
    between = iso_utc(FIRST_UPLOAD + timedelta(minutes=1))
    # WHEN the caller lists from it
    answer = call(list_images(query={"cursor": cursor_of(start_key(uploaded_at=between))}))
    # THEN the listing goes on after it: only the older image
    assert answer.status == 200
    assert [i["image_id"] for i in answer.body["images"]] == [older.image_id]


def test_the_longest_user_id_of_the_widest_characters_still_pages_with_its_own_cursors(aws: Deployment) -> None:
    # GIVEN a user id of 128 characters that JSON escapes as surrogate pairs, with two images
    user = "\N{GRINNING FACE}" * MAX_USER_ID_CHARS
    for n in range(2):
        seed_image(aws, f"p{n}.jpg", user=user, uploaded_at=FIRST_UPLOAD + timedelta(minutes=n), versions=1)
    # WHEN they page one image at a time
    first = call(list_images(user=user, query={"limit": "1"}))
    cursor = first.body["cursor"]
    second = call(list_images(user=user, query={"limit": "1", "cursor": cursor}))
    # THEN the cursor the API gave is one it takes back
    assert len(cursor) <= MAX_CURSOR_CHARS
    assert (second.status, len(second.body["images"])) == (200, 1)


def test_every_field_of_the_shapes_the_api_takes_is_within_dynamodbs_key_limits() -> None:
    # The table's partition key (an image id), the index's partition key (a user id, at most 128
    # characters of at most 4 UTF-8 bytes) and its sort key (an upload time as iso_utc writes it).
    assert len(SOME_ID.encode()) <= DYNAMODB_MAX_PARTITION_KEY_BYTES
    assert MAX_USER_ID_CHARS * 4 <= DYNAMODB_MAX_PARTITION_KEY_BYTES
    assert len(SOME_TIME.encode()) <= DYNAMODB_MAX_SORT_KEY_BYTES


def test_a_cursor_the_api_writes_is_taken_back(aws: Deployment) -> None:
    cursor = encode_cursor(start_key())
    answer = call(list_images(query={"cursor": cursor}))
    assert answer.status == 200
