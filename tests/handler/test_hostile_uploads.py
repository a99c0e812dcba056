"""Hostile uploads through the real image function against moto: each ends with exactly the recorded
outcome it must have, and nothing else anywhere changes.

For every upload: the item's status and reason (and our own detail), the one log line, the
original object exactly as uploaded (same bytes, same and only version), renditions either all
stored and listed or none at all, and every other object version and item, another user's
among them, untouched.
"""

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.contract import (
    ENV_MAX_PIXELS,
    RENDITION_PREFIX,
    UPLOAD_PREFIX,
    USER_INDEX_HASH_KEY,
    USER_INDEX_NAME,
    ImageStatus,
)
from handlers.image_item import decode_item
from handlers.imaging.errors import RejectReason
from handlers.telemetry.events import FIELD_DETAIL, FIELD_EVENT, FIELD_KEY, FIELD_LEVEL, FIELD_REASON, Level, LogEvent
from tests.conftest import LogLines
from tests.handler import images
from tests.handler.deployment import PROCESSED_BUCKET, TABLE, UPLOAD_BUCKET, Deployment, Upload
from tests.handler.hostile_uploads import HOSTILE
from tests.imagefactories import animated, png, quadrants, save

NEIGHBOUR = "user-7"
DEFAULT_RENDITION_COUNT = 6  # three sizes, JPEG and WebP each (no source here has transparency)


@dataclass(frozen=True)
class World:
    """Object versions in both buckets, as (bucket, key, version, ETag), and metadata items."""

    versions: frozenset[tuple[str, str, str, str]]
    items: tuple[dict[str, Any], ...]


def world(aws: Deployment, leaving_out: Upload | None = None, of_user: str | None = None) -> World:
    """Everything stored (or everything of ``of_user``), less what ``leaving_out``'s own processing
    may write: its renditions and its item."""
    own = None if leaving_out is None else f"{RENDITION_PREFIX}{_user(leaving_out)}/{leaving_out.image_id}/"
    prefixes = {UPLOAD_BUCKET: UPLOAD_PREFIX, PROCESSED_BUCKET: RENDITION_PREFIX}
    versions = set()
    for bucket, prefix in prefixes.items():
        listing = aws.s3.list_object_versions(Bucket=bucket, Prefix=prefix + (f"{of_user}/" if of_user else ""))
        for version in listing.get("Versions", []):
            if own is None or not version["Key"].startswith(own):
                versions.add((bucket, version["Key"], version["VersionId"], version["ETag"]))
    items = aws.items() if of_user is None else _items_of(aws, of_user)
    kept = [i for i in items if leaving_out is None or i["image_id"] != leaving_out.image_id]
    return World(frozenset(versions), tuple(sorted(kept, key=lambda item: str(item["image_id"]))))


def _items_of(aws: Deployment, user: str) -> list[dict[str, Any]]:
    response = aws.dynamodb.query(
        TableName=TABLE,
        IndexName=USER_INDEX_NAME,
        KeyConditionExpression="#user = :user",
        ExpressionAttributeNames={"#user": USER_INDEX_HASH_KEY},
        ExpressionAttributeValues={":user": {"S": user}},
    )
    return [decode_item(item) for item in response["Items"]]


def _user(upload: Upload) -> str:
    return upload.key.split("/")[1]


def stored_renditions(aws: Deployment, upload: Upload) -> set[str]:
    prefix = f"{RENDITION_PREFIX}{_user(upload)}/{upload.image_id}/"
    response = aws.s3.list_object_versions(Bucket=PROCESSED_BUCKET, Prefix=prefix)
    return {v["Key"] for v in response.get("Versions", [])}


def assert_original_unchanged(aws: Deployment, upload: Upload, data: bytes) -> None:
    versions = aws.s3.list_object_versions(Bucket=UPLOAD_BUCKET, Prefix=upload.key).get("Versions", [])
    assert [(v["Key"], v["VersionId"]) for v in versions] == [(upload.key, upload.version_id)]
    body = aws.s3.get_object(Bucket=UPLOAD_BUCKET, Key=upload.key, VersionId=upload.version_id)["Body"].read()
    assert body == data


def assert_completed_with_every_rendition(aws: Deployment, upload: Upload, item: dict[str, Any]) -> None:
    """Completed: the item lists exactly the objects stored, each one a decodable image of its listed size."""
    listed = {r["key"]: r for r in item["renditions"]}
    assert set(listed) == stored_renditions(aws, upload)
    assert len(listed) >= DEFAULT_RENDITION_COUNT
    for key, rendition in listed.items():
        assert aws.rendition_image(key).size == (rendition["width"], rendition["height"])


@pytest.fixture
def neighbour(aws: Deployment) -> Upload:
    """Another user's upload, processed before the hostile one arrives."""
    upload = aws.upload("holiday.jpg", images.jpeg((200, 100)), user=NEIGHBOUR)
    aws.invoke(upload.event())
    return upload


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_upload_gets_its_outcome_and_changes_nothing_else(
    aws: Deployment, neighbour: Upload, log_lines: LogLines, name: str
) -> None:
    # GIVEN another user's processed image, then a hostile upload by user-42
    hostile = HOSTILE[name]
    data = hostile.make()
    log_lines()  # the neighbour's own line is not this test's
    upload = aws.upload(name, data)
    before = world(aws, leaving_out=upload)
    # WHEN the function handles its event (it returns: a bad upload is recorded, never retried)
    aws.invoke(upload.event())
    # THEN the item says exactly what happened
    item = aws.item(upload.key)
    assert item is not None
    assert (item["status"], item.get("reason")) == (hostile.status, hostile.reason)
    if hostile.detail is not None:
        assert item["detail"] == hostile.detail
    # ...in one log line that says the same
    (line,) = log_lines()
    if hostile.status is ImageStatus.REJECTED:
        assert (line[FIELD_LEVEL], line[FIELD_EVENT], line[FIELD_KEY], line[FIELD_REASON]) == (
            Level.WARNING,
            LogEvent.REJECTED,
            upload.key,
            hostile.reason,
        )
        assert line[FIELD_DETAIL] == item["detail"]
        assert stored_renditions(aws, upload) == set()  # nothing half-written
    else:
        assert (line[FIELD_LEVEL], line[FIELD_EVENT], line[FIELD_KEY]) == (Level.INFO, LogEvent.PROCESSED, upload.key)
        assert_completed_with_every_rendition(aws, upload, item)
        for key in stored_renditions(aws, upload):
            body = aws.s3.get_object(Bucket=PROCESSED_BUCKET, Key=key)["Body"].read()
            assert not [payload for payload in hostile.hidden if payload in body], key
    # ...the original is exactly as uploaded, and nothing else changed, the neighbour's image included
    assert_original_unchanged(aws, upload, data)
    assert world(aws, leaving_out=upload) == before
    neighbour_item = aws.item(neighbour.key)
    assert neighbour_item is not None and neighbour_item["status"] == ImageStatus.COMPLETED


# --- mangled valid files, many at random ---

# Small valid files of each format (mutations of them reach deep into the decoders and parsers).
SEEDS = (
    images.jpeg((64, 32)),
    save(quadrants((64, 32)), "JPEG", progressive=True),
    png(quadrants((64, 32))),
    images.png_16_bit((40, 20)),
    animated("GIF", ((255, 0, 0), (0, 255, 0)), (32, 16)),
    save(quadrants((64, 32)), "WEBP"),
    save(quadrants((64, 32)), "WEBP", lossless=True),
)


def _truncated(seed: bytes, keep: float) -> bytes:
    return seed[: int(keep * len(seed))]


def _flipped(seed: bytes, flips: list[tuple[float, int]]) -> bytes:
    data = bytearray(seed)
    for at, mask in flips:
        data[min(len(data) - 1, int(at * len(data)))] ^= mask
    return bytes(data)


unit = st.floats(min_value=0, max_value=1)
mangled = st.one_of(
    st.builds(_truncated, st.sampled_from(SEEDS), unit),
    st.builds(
        _flipped,
        st.sampled_from(SEEDS),
        st.lists(st.tuples(unit, st.integers(min_value=1, max_value=255)), min_size=1, max_size=4),
    ),
)
_uploaders = (f"user-{n}" for n in itertools.count(100))
_REASONS = {reason.value for reason in RejectReason}


@pytest.fixture
def small_pixel_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """A flipped header byte may claim any size up to the cap: a quarter megapixel keeps each example fast."""
    monkeypatch.setenv(ENV_MAX_PIXELS, "250000")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=mangled)
def test_truncated_or_flipped_upload_ends_complete_or_rejected_never_half_done(
    aws: Deployment, small_pixel_cap: None, neighbour: Upload, log_lines: LogLines, data: bytes
) -> None:
    # GIVEN another user's processed image, and a valid image cut short or with bytes flipped,
    # uploaded by a new user each time (the neighbour is made once for all the examples)
    log_lines()
    upload = aws.upload("mangled.jpg", data, user=next(_uploaders))
    before = world(aws, of_user=NEIGHBOUR)
    # WHEN the function handles its event
    aws.invoke(upload.event())
    # THEN either every rendition is stored and listed, or the item is rejected with a reason and
    # nothing was stored; one line says which; the original and everything else are untouched
    item = aws.item(upload.key)
    assert item is not None
    (line,) = log_lines()
    if item["status"] == ImageStatus.COMPLETED:
        assert line[FIELD_EVENT] == LogEvent.PROCESSED
        assert_completed_with_every_rendition(aws, upload, item)
    else:
        assert item["status"] == ImageStatus.REJECTED
        assert item["reason"] in _REASONS
        assert (line[FIELD_EVENT], line[FIELD_REASON]) == (LogEvent.REJECTED, item["reason"])
        assert stored_renditions(aws, upload) == set()
    assert_original_unchanged(aws, upload, data)
    assert world(aws, of_user=NEIGHBOUR) == before
