"""GET and DELETE /images/{id}: one image of the caller's; another user's is as good as missing."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from emulated_aws.api_gateway import OTHER_USER, USER, delete_image, get_image
from emulated_aws.environment import REGION
from handlers import contract
from handlers.contract import ImageStatus
from handlers.key_layout import rendition_prefix
from handlers.telemetry.events import (
    FIELD_EVENT,
    FIELD_IMAGE_ID,
    FIELD_LEVEL,
    FIELD_USER_ID,
    FIELD_VERSIONS_DELETED,
    LogEvent,
)
from tests.api.api_deployment import (
    SEED_FINGERPRINT,
    call,
    is_tombstone_of,
    item,
    object_keys,
    seed_image,
    versions,
)
from tests.conftest import LogLines
from tests.handler.deployment import PROCESSED_BUCKET, TABLE, UPLOAD_BUCKET, Deployment

MISSING_ID = "6f0c1d2e-7a4b-5c3d-9e8f-a1b2c3d4e5f6"


# --- GET ---


def test_completed_image_is_its_summary_with_presigned_rendition_urls(aws: Deployment) -> None:
    # GIVEN a completed image with three renditions
    seeded = seed_image(aws, "photo.jpg", versions=1)
    # WHEN its owner asks for it
    answer = call(get_image(seeded.image_id))
    # THEN 200: the summary, no reason, and each rendition with a GET URL for its key
    assert answer.status == 200
    body = answer.body
    assert (body["image_id"], body["file_name"], body["status"]) == (seeded.image_id, "photo.jpg", "completed")
    assert (body["width"], body["height"], body["format"], body["reason"]) == (2400, 1200, "JPEG", None)
    assert body["fingerprint"] == SEED_FINGERPRINT
    assert [(r["name"], r["format"], r["width"], r["height"]) for r in body["renditions"]] == [
        ("thumbnail", "jpeg", 150, 75),
        ("thumbnail", "webp", 150, 75),
        ("preview", "jpeg", 800, 400),
    ]
    for rendition in body["renditions"]:
        assert set(rendition) == {"name", "format", "width", "height", "bytes", "url"}
        url = urlsplit(rendition["url"])
        assert url.netloc == f"{PROCESSED_BUCKET}.s3.{REGION}.amazonaws.com"
        assert unquote(url.path).lstrip("/") in seeded.rendition_keys
        query = parse_qs(url.query)
        assert query["X-Amz-Expires"] == [str(contract.DEFAULT_URL_TTL_SECONDS)]
        assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]


def test_rendition_urls_expire_after_the_configured_ttl(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(contract.ENV_URL_TTL_SECONDS, "90")
    seeded = seed_image(aws, versions=1)
    (first, *_) = call(get_image(seeded.image_id)).body["renditions"]
    assert parse_qs(urlsplit(first["url"]).query)["X-Amz-Expires"] == ["90"]


def test_rejected_image_says_why_and_has_no_renditions(aws: Deployment) -> None:
    seeded = seed_image(aws, "notes.jpg", status=ImageStatus.REJECTED)
    body = call(get_image(seeded.image_id)).body
    assert (body["status"], body["reason"], body["renditions"]) == ("rejected", "undecodable", [])
    assert body["fingerprint"] is None


def test_missing_image_is_404(aws: Deployment) -> None:
    answer = call(get_image(MISSING_ID))
    assert (answer.status, answer.error) == (404, "not_found")


@pytest.mark.parametrize("image_id", ["not-an-id", "", "../" + MISSING_ID, MISSING_ID.upper(), MISSING_ID + "0"])
def test_id_that_is_not_an_image_id_is_404(aws: Deployment, image_id: str) -> None:
    answer = call(get_image(image_id))
    assert (answer.status, answer.error) == (404, "not_found")


def test_another_users_image_is_404_exactly_as_a_missing_one(aws: Deployment) -> None:
    # GIVEN user-77's image
    theirs = seed_image(aws, user=OTHER_USER)
    # WHEN user-42 asks for it, and for an id that does not exist
    answer = call(get_image(theirs.image_id))
    missing = call(get_image(MISSING_ID))
    # THEN both are 404 with the same words (apart from the id): nothing says the first one exists
    assert (answer.status, answer.error) == (404, "not_found")
    assert answer.body["message"].replace(theirs.image_id, "ID") == missing.body["message"].replace(MISSING_ID, "ID")
    assert "renditions" not in answer.body


# --- DELETE ---


def test_delete_removes_every_version_of_the_original_every_rendition_and_the_item(aws: Deployment) -> None:
    # GIVEN an image with two versions and a delete marker of its original and renditions of both
    seeded = seed_image(aws, "photo.jpg", versions=2)
    assert len(versions(aws, UPLOAD_BUCKET, seeded.key)) == 3
    assert len(versions(aws, PROCESSED_BUCKET, rendition_prefix(USER, seeded.image_id))) == 6
    # WHEN its owner deletes it
    answer = call(delete_image(seeded.image_id))
    # THEN 204, and nothing of it is left: no version, no delete marker; the item is the caller's tombstone
    assert (answer.status, answer.raw["body"]) == (204, "")
    assert versions(aws, UPLOAD_BUCKET, seeded.key) == []
    assert versions(aws, PROCESSED_BUCKET, rendition_prefix(USER, seeded.image_id)) == []
    assert is_tombstone_of(item(aws, seeded.image_id))


def test_delete_writes_one_line_saying_what_was_deleted(aws: Deployment, log_lines: LogLines) -> None:
    seeded = seed_image(aws, versions=2)
    call(delete_image(seeded.image_id))
    (line,) = log_lines()
    assert (line[FIELD_LEVEL], line[FIELD_EVENT]) == ("INFO", LogEvent.API_IMAGE_DELETED)
    # 2 versions and a delete marker of the original, 3 renditions of each version
    assert (line[FIELD_IMAGE_ID], line[FIELD_USER_ID], line[FIELD_VERSIONS_DELETED]) == (seeded.image_id, USER, 9)


def test_delete_leaves_keys_that_only_start_with_the_originals_key(aws: Deployment) -> None:
    # GIVEN an image and another object whose key extends the image's key
    seeded = seed_image(aws, "photo.jpg", upload_id="a1")
    aws.s3.put_object(Bucket=UPLOAD_BUCKET, Key=seeded.key + ".bak", Body=b"keep me")
    # WHEN the image is deleted
    call(delete_image(seeded.image_id))
    # THEN the other object stays
    assert object_keys(aws, UPLOAD_BUCKET) == {seeded.key + ".bak"}


def test_delete_leaves_the_callers_other_images(aws: Deployment) -> None:
    gone = seed_image(aws, "gone.jpg", upload_id="a1")
    kept = seed_image(aws, "kept.jpg", upload_id="a2")
    call(delete_image(gone.image_id))
    assert object_keys(aws, UPLOAD_BUCKET) == {kept.key}
    assert object_keys(aws, PROCESSED_BUCKET) == set(kept.rendition_keys)
    assert item(aws, kept.image_id) is not None


def test_second_delete_of_an_image_is_204(aws: Deployment) -> None:
    seeded = seed_image(aws)
    assert call(delete_image(seeded.image_id)).status == 204
    assert call(delete_image(seeded.image_id)).status == 204


def test_delete_of_a_missing_image_is_204(aws: Deployment) -> None:
    assert call(delete_image(MISSING_ID)).status == 204


def test_delete_of_an_id_that_is_not_an_image_id_is_404(aws: Deployment) -> None:
    answer = call(delete_image("not-an-id"))
    assert (answer.status, answer.error) == (404, "not_found")


def test_delete_of_another_users_image_answers_as_for_a_missing_one_and_leaves_all_of_it(aws: Deployment) -> None:
    # GIVEN user-77's image
    theirs = seed_image(aws, user=OTHER_USER, versions=2)
    before = (versions(aws, UPLOAD_BUCKET), versions(aws, PROCESSED_BUCKET), item(aws, theirs.image_id))
    # WHEN user-42 tries to delete it
    answer = call(delete_image(theirs.image_id))
    # THEN the same 204 as for an id that does not exist (a 404 would confirm it exists), and every
    # version, every rendition and the item are still there
    assert answer.status == 204
    assert answer.status == call(delete_image("00000000-0000-5000-8000-000000000000")).status
    assert (versions(aws, UPLOAD_BUCKET), versions(aws, PROCESSED_BUCKET), item(aws, theirs.image_id)) == before


def test_item_naming_an_original_outside_its_owners_uploads_is_not_deleted(aws: Deployment) -> None:
    # GIVEN an item of user-42's that (corrupted) names user-77's original
    theirs = seed_image(aws, user=OTHER_USER)
    forged = seed_image(aws, user=USER)
    aws.dynamodb.update_item(
        TableName=TABLE,
        Key={"image_id": {"S": forged.image_id}},
        UpdateExpression="SET source_key = :k",
        ExpressionAttributeValues={":k": {"S": theirs.key}},
    )
    # WHEN user-42 deletes it
    answer = call(delete_image(forged.image_id))
    # THEN 500 and user-77's original is untouched
    assert answer.status == 500
    assert len(versions(aws, UPLOAD_BUCKET, theirs.key)) == 3


def test_delete_of_an_image_from_a_direct_upload_key_removes_it_too(aws: Deployment) -> None:
    # GIVEN an image uploaded straight to uploads/{user}/{file name} (no API upload folder)
    seeded = seed_image(aws, "direct.jpg", key=f"{contract.UPLOAD_PREFIX}{USER}/direct.jpg")
    # WHEN it is deleted THEN its original and renditions are gone as well, the item a tombstone
    assert call(delete_image(seeded.image_id)).status == 204
    assert object_keys(aws, UPLOAD_BUCKET) == object_keys(aws, PROCESSED_BUCKET) == set()
    assert is_tombstone_of(item(aws, seeded.image_id))
