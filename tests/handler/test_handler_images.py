"""Every kind of upload, end to end: S3 event in, renditions and a metadata item out."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

from emulated_aws.s3_events import s3_event
from handlers.contract import (
    ENV_MAX_OBJECT_BYTES,
    ENV_RENDITIONS,
    RENDITION_PREFIX,
    RENDITION_TAG_KEY,
    USER_INDEX_HASH_KEY,
    USER_INDEX_NAME,
    ImageStatus,
)
from handlers.edge.events import SEQUENCER_WIDTH
from handlers.image_item import decode_item
from handlers.image_processor import aws_clients
from handlers.imaging.errors import RejectReason
from tests.handler import images
from tests.handler.deployment import PROCESSED_BUCKET, TABLE, USER, Deployment

Size = tuple[int, int]


@dataclass(frozen=True)
class Completes:
    """Expected renditions: name -> (width, height), and the formats each one comes in."""

    sizes: dict[str, Size]
    formats: tuple[str, ...] = ("jpeg", "webp")


LANDSCAPE_2_TO_1 = {"thumbnail": (150, 75), "small": (300, 150), "preview": (800, 400)}

COMPLETES = {
    "landscape.jpg": (images.jpeg, Completes(LANDSCAPE_2_TO_1)),
    "cmyk.jpg": (images.cmyk_jpeg, Completes(LANDSCAPE_2_TO_1)),
    # Stored 1200x600 and EXIF says rotate 90 degrees: renditions are portrait.
    "rotated.jpg": (
        images.exif_rotated_jpeg,
        Completes({"thumbnail": (75, 150), "small": (150, 300), "preview": (300, 600)}),
    ),
    # 600x300 fits the preview box already: never upscaled.
    "logo.png": (
        images.png_with_alpha,
        Completes({"thumbnail": (150, 75), "small": (300, 150), "preview": (600, 300)}, ("jpeg", "webp", "png")),
    ),
    "scan-16bit.png": (
        images.png_16_bit,
        Completes({"thumbnail": (150, 75), "small": (300, 150), "preview": (400, 200)}),
    ),
    "animated.gif": (
        images.animated_gif,
        Completes({"thumbnail": (150, 75), "small": (300, 150), "preview": (300, 150)}),
    ),
}

REJECTS: dict[str, tuple[Callable[[], bytes], str]] = {
    "truncated.jpg": (images.truncated_jpeg, RejectReason.CORRUPT),
    "bomb.png": (images.bomb_png, RejectReason.TOO_MANY_PIXELS),
    "drawing.svg": (images.svg, RejectReason.UNSUPPORTED_FORMAT),
    "scan.tiff": (images.tiff, RejectReason.UNSUPPORTED_FORMAT),
    "empty.jpg": (lambda: b"", RejectReason.EMPTY),
}


@pytest.mark.parametrize("name", COMPLETES)
def test_image_becomes_renditions_of_the_expected_pixel_sizes(aws: Deployment, name: str) -> None:
    # GIVEN an upload of this kind and the event S3 sends for it
    make, expected = COMPLETES[name]
    upload = aws.upload(name, make())
    # WHEN the handler runs
    aws.invoke(upload.event())
    # THEN the item is completed and lists one rendition per name and format...
    item = aws.item(upload.key)
    assert item is not None and item["status"] == ImageStatus.COMPLETED
    listed = {(r["name"], r["format"]): (r["width"], r["height"]) for r in item["renditions"]}
    assert listed == {(n, f): size for n, size in expected.sizes.items() for f in expected.formats}
    # ...and each stored object, reopened, has exactly the listed pixels and format
    for rendition in item["renditions"]:
        image = aws.rendition_image(rendition["key"])
        assert image.size == (rendition["width"], rendition["height"])
        assert image.format == rendition["format"].upper()


@pytest.mark.parametrize("name", REJECTS)
def test_unusable_upload_is_rejected_with_its_reason_and_no_renditions(aws: Deployment, name: str) -> None:
    # GIVEN an upload that can never become renditions
    make, reason = REJECTS[name]
    upload = aws.upload(name, make())
    # WHEN the handler runs
    aws.invoke(upload.event())
    # THEN the item says rejected, with the reason, and nothing was written
    item = aws.item(upload.key)
    assert item is not None
    assert (item["status"], item["reason"]) == (ImageStatus.REJECTED, reason)
    assert aws.rendition_keys() == set()


def test_item_describes_the_source_and_when_it_was_uploaded(aws: Deployment) -> None:
    # GIVEN a 2400x1200 JPEG uploaded by user-42
    upload = aws.upload("landscape.jpg", images.jpeg())
    # WHEN the handler runs
    aws.invoke(upload.event())
    # THEN the item holds what the user index and the UI read
    item = aws.item(upload.key)
    assert item is not None
    assert {k: item[k] for k in ("user_id", "uploaded_at", "file_name", "source_key", "source_version_id")} == {
        "user_id": "user-42",
        "uploaded_at": "2025-03-14T09:26:53.589Z",
        "file_name": "landscape.jpg",
        "source_key": upload.key,
        "source_version_id": upload.version_id,
    }
    assert (item["format"], item["width"], item["height"], item["size_bytes"]) == ("JPEG", 2400, 1200, upload.size)
    assert set(item["timings_ms"]) == {"download", "process", "store", "total"}


def test_rendition_objects_are_immutable_typed_and_tagged_with_their_name(aws: Deployment) -> None:
    # GIVEN a PNG with transparency (so every output format is made)
    upload = aws.upload("logo.png", images.png_with_alpha())
    # WHEN the handler runs
    aws.invoke(upload.event())
    # THEN every stored rendition carries its content type, a cache lifetime of a year and its name as tag
    item = aws.item(upload.key)
    assert item is not None
    for rendition in item["renditions"]:
        head = aws.s3.head_object(Bucket=PROCESSED_BUCKET, Key=rendition["key"])
        tags = aws.s3.get_object_tagging(Bucket=PROCESSED_BUCKET, Key=rendition["key"])["TagSet"]
        assert head["ContentType"] == rendition["content_type"] == f"image/{rendition['format']}"
        assert head["CacheControl"] == "public, max-age=31536000, immutable"
        assert head["ContentLength"] == rendition["bytes"]
        assert tags == [{"Key": RENDITION_TAG_KEY, "Value": rendition["name"]}]


def test_rendition_keys_derive_from_user_image_and_version(aws: Deployment) -> None:
    # GIVEN a JPEG upload
    upload = aws.upload("landscape.jpg", images.jpeg())
    # WHEN the handler runs
    aws.invoke(upload.event())
    # THEN every rendition lives under renditions/{user}/{image id}/{version}/ as {name}.{ext}
    folder = f"{RENDITION_PREFIX}{USER}/{upload.image_id}/{upload.version_id}/"
    names = ("thumbnail", "small", "preview")
    assert aws.rendition_keys() == {f"{folder}{n}.{ext}" for n in names for ext in ("jpg", "webp")}


def test_renditions_follow_the_renditions_variable(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN the function configured for one 100x100 WebP rendition
    spec = {"name": "square", "width": 100, "height": 100, "formats": ["webp"], "alpha_formats": []}
    monkeypatch.setenv(ENV_RENDITIONS, json.dumps([spec]))
    upload = aws.upload("landscape.jpg", images.jpeg())
    # WHEN the handler runs
    aws.invoke(upload.event())
    # THEN exactly that rendition is made
    item = aws.item(upload.key)
    assert item is not None
    assert [(r["name"], r["format"], r["width"], r["height"]) for r in item["renditions"]] == [
        ("square", "webp", 100, 50)
    ]


def test_upload_over_the_size_limit_is_rejected_without_reading_its_body(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a limit of 1000 bytes and a larger upload whose body must not be read
    monkeypatch.setenv(ENV_MAX_OBJECT_BYTES, "1000")
    upload = aws.upload("landscape.jpg", images.jpeg())
    s3 = aws_clients().s3
    real_get_object = s3.get_object
    reads: list[str] = []

    def get_object_watching_reads(**request: Any) -> Any:
        response = real_get_object(**request)
        body = response["Body"]

        def read(*size: int) -> bytes:
            reads.append(request["Key"])
            return bytes(body.read(*size))

        response["Body"] = SimpleNamespace(read=read, close=body.close)
        return response

    monkeypatch.setattr(s3, "get_object", get_object_watching_reads)
    # WHEN the handler runs
    aws.invoke(upload.event())
    # THEN it is rejected as too large, and the body was never read
    item = aws.item(upload.key)
    assert item is not None
    assert (item["status"], item["reason"]) == (ImageStatus.REJECTED, RejectReason.TOO_LARGE)
    assert reads == []


def test_users_uploads_are_found_through_the_user_index(aws: Deployment) -> None:
    # GIVEN two uploads by user-42 and one by someone else
    mine = [aws.upload("a.jpg", images.jpeg((400, 200))), aws.upload("b.jpg", images.jpeg((400, 200)))]
    other = aws.upload("c.jpg", images.jpeg((400, 200)), user="user-7")
    aws.invoke(s3_event(*(u.record() for u in [*mine, other])))
    # WHEN the user index is queried for user-42
    response = aws.dynamodb.query(
        TableName=TABLE,
        IndexName=USER_INDEX_NAME,
        KeyConditionExpression="#user = :user",
        ExpressionAttributeNames={"#user": USER_INDEX_HASH_KEY},
        ExpressionAttributeValues={":user": {"S": USER}},
    )
    # THEN exactly that user's uploads come back
    assert sorted(decode_item(i)["source_key"] for i in response["Items"]) == sorted(u.key for u in mine)


def test_item_stores_the_event_sequencer_padded_for_ordering(aws: Deployment) -> None:
    upload = aws.upload("a.jpg", images.jpeg((400, 200)), sequencer="5F3A")
    aws.invoke(upload.event())
    item = aws.item(upload.key)
    assert item is not None and item["sequencer"] == "5F3A".rjust(SEQUENCER_WIDTH, "0")
