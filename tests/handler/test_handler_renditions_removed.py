"""What made an image's renditions is recorded, and renditions no longer configured go only when it is reprocessed.

A new upload version is one way an image is reprocessed (the other is S3 Batch Operations, tests/reprocess):
after the new set is stored and the item written, the renditions the item listed whose name and format
are no longer made are deleted from the processed bucket. Never before, never a key of the new set.
"""

import json

import pytest

from handlers.contract import ENV_RENDITIONS, RENDITION_PREFIX, ImageStatus
from handlers.image_item import ImageRecord, StoredRendition
from handlers.image_processor import aws_clients
from handlers.imaging.fingerprint import rendering_fingerprint
from handlers.imaging.renditions import DEFAULT_RENDITIONS, renditions_from_json
from handlers.telemetry.events import FIELD_DETAIL, FIELD_ERROR_CODE, FIELD_EVENT, FIELD_RENDITIONS_REMOVED, LogEvent
from tests.conftest import LogLines
from tests.handler import images
from tests.handler.deployment import PROCESSED_BUCKET, TABLE, USER, Deployment
from tests.handler.failures import fail_call

# The defaults without `small`.
WITHOUT_SMALL = [
    {"name": "thumbnail", "width": 150, "height": 150, "formats": ["jpeg", "webp"], "alpha_formats": ["png"]},
    {"name": "preview", "width": 800, "height": 600, "formats": ["jpeg", "webp"], "alpha_formats": ["png"]},
]


def folder(image_id: str, version: str) -> str:
    return f"{RENDITION_PREFIX}{USER}/{image_id}/{version}/"


def test_a_completed_item_records_the_fingerprint_of_what_made_its_renditions(aws: Deployment) -> None:
    upload = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    aws.invoke(upload.event())
    item = aws.item(upload.key)
    assert item is not None and item["status"] == ImageStatus.COMPLETED
    assert item["fingerprint"] == rendering_fingerprint(DEFAULT_RENDITIONS)


def test_a_rejected_item_records_no_fingerprint(aws: Deployment) -> None:
    upload = aws.upload("broken.jpg", images.truncated_jpeg())
    aws.invoke(upload.event())
    item = aws.item(upload.key)
    assert item is not None and item["status"] == ImageStatus.REJECTED
    assert "fingerprint" not in item


def test_a_new_version_removes_the_renditions_no_longer_configured_and_keeps_the_rest(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch, log_lines: LogLines
) -> None:
    # GIVEN an image rendered with the defaults, then the `small` rendition dropped from the config
    first = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    aws.invoke(first.event())
    monkeypatch.setenv(ENV_RENDITIONS, json.dumps(WITHOUT_SMALL))
    # WHEN a new version of the same upload arrives
    second = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    aws.invoke(second.event())
    # THEN the item names the new version's four renditions and the new fingerprint
    item = aws.item(second.key)
    assert item is not None
    new = {
        f"{folder(second.image_id, second.version_id)}{n}.{e}"
        for n in ("thumbnail", "preview")
        for e in ("jpg", "webp")
    }
    assert {r["key"] for r in item["renditions"]} == new
    assert item["fingerprint"] == rendering_fingerprint(renditions_from_json(json.dumps(WITHOUT_SMALL)))
    # AND the first version's `small` pair is gone, while its still-configured renditions stay
    old = {
        f"{folder(first.image_id, first.version_id)}{n}.{e}" for n in ("thumbnail", "preview") for e in ("jpg", "webp")
    }
    assert aws.rendition_keys() == new | old
    # AND the processed line says two were removed
    processed = [line for line in log_lines() if line[FIELD_EVENT] == LogEvent.PROCESSED]
    assert [line[FIELD_RENDITIONS_REMOVED] for line in processed] == [0, 2]


def test_a_redelivered_event_after_a_config_change_removes_nothing(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN an image rendered with the defaults, then `small` dropped from the config
    upload = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    aws.invoke(upload.event())
    before = aws.rendition_keys()
    monkeypatch.setenv(ENV_RENDITIONS, json.dumps(WITHOUT_SMALL))
    # WHEN S3 delivers the same event again (a duplicate is not a reprocess)
    aws.invoke(upload.event())
    # THEN every rendition is still there and the item is unchanged
    assert aws.rendition_keys() == before
    item = aws.item(upload.key)
    assert item is not None and item["fingerprint"] == rendering_fingerprint(DEFAULT_RENDITIONS)


def test_a_rendition_s3_refuses_to_delete_is_an_error_line_and_the_new_set_stands(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch, log_lines: LogLines
) -> None:
    # GIVEN an image rendered with the defaults, `small` dropped, and S3 refusing the first delete
    first = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    aws.invoke(first.event())
    monkeypatch.setenv(ENV_RENDITIONS, json.dumps(WITHOUT_SMALL))
    fail_call(monkeypatch, aws_clients().s3, "delete_object", "AccessDenied", http_status=403)
    # WHEN a new version arrives: the invocation does not fail (a retry would find nothing left to do)
    second = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    aws.invoke(second.event())
    # THEN the item names the new set
    item = aws.item(second.key)
    assert item is not None and item["status"] == ImageStatus.COMPLETED and len(item["renditions"]) == 4
    # AND one ERROR line names the rendition left behind and why; the other was removed
    errors = [line for line in log_lines() if line["level"] == "ERROR"]
    assert [(e[FIELD_EVENT], e[FIELD_ERROR_CODE]) for e in errors] == [(LogEvent.RENDITION_NOT_REMOVED, "AccessDenied")]
    assert errors[0][FIELD_DETAIL].startswith(folder(first.image_id, first.version_id) + "small.")
    assert len([k for k in aws.rendition_keys() if "/small." in k]) == 1


def test_removal_never_touches_a_key_of_the_new_set_or_outside_the_images_folder(aws: Deployment) -> None:
    # GIVEN an older item (say, written by an older release) listing renditions no longer made whose keys
    # are a key the new version will write, and another user's rendition
    upload = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    elsewhere = f"{RENDITION_PREFIX}someone-else/image/version/small.jpg"
    aws.s3.put_object(Bucket=PROCESSED_BUCKET, Key=elsewhere, Body=b"not mine")
    new_key = f"{folder(upload.image_id, upload.version_id)}thumbnail.jpg"
    listed = (
        StoredRendition("old-name", "jpeg", new_key, "image/jpeg", 1, 1, 1),
        StoredRendition("small", "jpeg", elsewhere, "image/jpeg", 1, 1, 1),
    )
    older = ImageRecord(
        image_id=upload.image_id,
        source_bucket="b",
        source_key=upload.key,
        source_version_id="v0",
        sequencer="0" * 64,
        version_token="v0",
        uploaded_at="2025-01-01T00:00:00.000Z",
        status=ImageStatus.COMPLETED,
        updated_at="2025-01-01T00:00:00.000Z",
        request_id="r",
        user_id=USER,
        renditions=listed,
    )
    aws.dynamodb.put_item(TableName=TABLE, Item=older.to_item())
    # WHEN the upload's event is handled
    aws.invoke(upload.event())
    # THEN both are still there
    assert {new_key, elsewhere} <= aws.rendition_keys()
