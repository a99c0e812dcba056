"""The tombstone DELETE leaves: what it holds, how long it stands, and who never sees it (GET, the listing,
the reprocess command's selection)."""

import time

from components import lambda_function as lambda_rules
from components.image_api import MAX_URL_TTL_SECONDS
from components.image_pipeline import FAILURE_QUEUE_RETENTION_S
from emulated_aws.api_gateway import USER, delete_image, get_image
from handlers import contract
from handlers.image_item import ATTR_SOURCE_BUCKET, ATTR_SOURCE_KEY
from handlers.imaging.fingerprint import rendering_fingerprint
from handlers.imaging.renditions import DEFAULT_RENDITIONS
from handlers.tombstone import ATTR_DELETED_AT, ATTR_DELETED_BY, TOMBSTONE_LIFETIME_S
from reprocess.selection import LEFT_OUT_DELETED, select
from tests.api.api_deployment import call, seed_image
from tests.deletion.scene import TOMBSTONE_ATTRIBUTES, api_upload, left_of
from tests.handler import images
from tests.handler.deployment import TABLE, UPLOAD_BUCKET, Deployment


def test_a_tombstone_outlives_every_event_that_could_still_bring_the_image_back() -> None:
    # GIVEN the longest each step may keep an upload's event from being processed, as the components allow:
    # a presigned POST used at the end of its validity, Lambda's async queue holding the event, the failure
    # queue holding it until on-call redrives it, and one more invocation
    assert lambda_rules.max_event_age_seconds.accepts(6 * 3600)
    assert not lambda_rules.max_event_age_seconds.accepts(6 * 3600 + 1)
    assert lambda_rules.timeout_seconds.accepts(900) and not lambda_rules.timeout_seconds.accepts(901)
    longest = MAX_URL_TTL_SECONDS + 6 * 3600 + FAILURE_QUEUE_RETENTION_S + 900
    # THEN the tombstone stands longer than all of it together (15 days against 14 days 7 h 15 min)
    assert TOMBSTONE_LIFETIME_S == 15 * 24 * 3600
    assert longest < TOMBSTONE_LIFETIME_S


def test_deleting_an_image_leaves_a_tombstone_of_who_when_until_when_and_which_original(aws: Deployment) -> None:
    seeded = seed_image(aws, "photo.jpg")
    before = int(time.time())
    assert call(delete_image(seeded.image_id)).status == 204
    after = int(time.time())
    found = aws.dynamodb.get_item(TableName=TABLE, Key={"image_id": {"S": seeded.image_id}}, ConsistentRead=True)
    item = found["Item"]
    # THEN exactly these attributes: no owner and no upload time, so no GET or listing ever shows it
    assert set(item) == TOMBSTONE_ATTRIBUTES | {ATTR_SOURCE_BUCKET, ATTR_SOURCE_KEY}
    assert item[ATTR_DELETED_BY] == {"SS": [USER]}
    assert (item[ATTR_SOURCE_BUCKET], item[ATTR_SOURCE_KEY]) == ({"S": UPLOAD_BUCKET}, {"S": seeded.key})
    assert before + TOMBSTONE_LIFETIME_S <= int(item[contract.TABLE_TTL_ATTRIBUTE]["N"]) <= after + TOMBSTONE_LIFETIME_S
    assert item[ATTR_DELETED_AT]["S"].endswith("Z")


def test_deleting_an_upload_not_processed_yet_leaves_a_tombstone_that_names_no_original(aws: Deployment) -> None:
    upload = api_upload(aws, images.jpeg((320, 160)))
    assert call(delete_image(upload.image_id)).status == 204
    item = left_of(aws, upload).item
    assert item is not None and set(item) == TOMBSTONE_ATTRIBUTES
    assert item[ATTR_DELETED_BY] == frozenset({USER})


def test_get_answers_a_deleted_image_exactly_as_one_that_never_was(aws: Deployment) -> None:
    seeded = seed_image(aws, "photo.jpg")
    call(delete_image(seeded.image_id))
    never = "00000000-0000-5000-8000-000000000000"
    deleted, missing = call(get_image(seeded.image_id)), call(get_image(never))
    assert (deleted.status, deleted.error) == (404, "not_found")
    assert deleted.body["message"].replace(seeded.image_id, "ID") == missing.body["message"].replace(never, "ID")


def test_the_reprocess_commands_selection_leaves_a_tombstone_out(aws: Deployment) -> None:
    # GIVEN one image kept and one deleted
    kept = seed_image(aws, "kept.jpg", upload_id="a1")
    gone = seed_image(aws, "gone.jpg", upload_id="a2")
    call(delete_image(gone.image_id))
    fingerprint = rendering_fingerprint(DEFAULT_RENDITIONS)
    # WHEN a job's originals are selected from the whole table, and from the user's items
    everyone = select(aws.dynamodb, TABLE, fingerprint=fingerprint)
    theirs = select(aws.dynamodb, TABLE, fingerprint=fingerprint, user=USER)
    # THEN only the kept image is an original to re-render; the scan counts the tombstone as deleted
    assert [o.key for o in everyone.originals] == [o.key for o in theirs.originals] == [kept.key]
    assert everyone.left_out == {LEFT_OUT_DELETED: 1}
    assert (everyone.items, theirs.items, theirs.left_out) == (2, 1, {})
