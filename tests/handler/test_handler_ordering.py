"""At-least-once, out-of-order delivery: duplicates and late events never add or undo results."""

import threading
from typing import Any

import pytest

from handlers.contract import ImageStatus
from handlers.edge.outcomes import SkipReason
from handlers.image_processor import aws_clients
from handlers.telemetry.events import FIELD_EVENT, FIELD_REASON, FIELD_VERSION_ID, LogEvent
from tests.conftest import LogLines
from tests.handler import images
from tests.handler.deployment import Deployment

RENDITIONS_PER_JPEG = 6  # three sizes, JPEG and WebP each


def test_duplicate_event_leaves_one_item_and_one_set_of_renditions(aws: Deployment, log_lines: LogLines) -> None:
    # GIVEN an upload whose event was already handled
    upload = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    aws.invoke(upload.event())
    # WHEN S3 delivers the same event again
    aws.invoke(upload.event())
    # THEN there is still one item and nothing was written a second time (no new object versions)
    assert len(aws.items()) == 1
    assert aws.rendition_versions() == RENDITIONS_PER_JPEG
    assert [(line[FIELD_EVENT], line.get(FIELD_REASON)) for line in log_lines()] == [
        (LogEvent.PROCESSED, None),
        (LogEvent.SKIPPED, SkipReason.DUPLICATE),
    ]


def test_concurrent_duplicate_events_leave_one_completed_item(aws: Deployment) -> None:
    # GIVEN the same event delivered to two invocations at once
    upload = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    aws_clients()  # made once per container, before the invocations race
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def invoke() -> None:
        start.wait()
        try:
            aws.invoke(upload.event())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=invoke) for _ in range(2)]
    # WHEN both run
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # THEN neither failed, and one completed item lists the one set of rendition keys
    assert errors == []
    (item,) = aws.items()
    assert item["status"] == ImageStatus.COMPLETED
    assert {r["key"] for r in item["renditions"]} == aws.rendition_keys()
    assert len(aws.rendition_keys()) == RENDITIONS_PER_JPEG


def test_late_event_for_older_version_keeps_newer_result(aws: Deployment, log_lines: LogLines) -> None:
    # GIVEN two versions of one key; the newer one's sequencer is longer, so only padding orders them
    older = aws.upload("photo.jpg", images.jpeg((800, 400)), sequencer="FF")
    newer = aws.upload("photo.jpg", images.jpeg((400, 800)), sequencer="0100")
    aws.invoke(newer.event())
    # WHEN the older version's event arrives afterwards
    aws.invoke(older.event())
    # THEN the item still describes the newer version and only its renditions exist
    item = aws.item(newer.key)
    assert item is not None
    assert (item["source_version_id"], item["width"], item["height"]) == (newer.version_id, 400, 800)
    assert all(newer.version_id in key for key in aws.rendition_keys())
    skipped = log_lines()[-1]
    assert (skipped[FIELD_EVENT], skipped[FIELD_REASON], skipped[FIELD_VERSION_ID]) == (
        LogEvent.SKIPPED,
        SkipReason.SUPERSEDED,
        older.version_id,
    )


def test_older_version_finishing_after_newer_does_not_replace_newer_item(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch, log_lines: LogLines
) -> None:
    # GIVEN the older version's event is in flight when the newer version's event completes
    older = aws.upload("photo.jpg", images.jpeg((800, 400)))
    newer = aws.upload("photo.jpg", images.jpeg((400, 800)))
    s3 = aws_clients().s3
    real_get_object = s3.get_object

    def newer_completes_meanwhile(**request: Any) -> Any:
        if request.get("VersionId") == older.version_id:
            monkeypatch.setattr(s3, "get_object", real_get_object)
            aws.invoke(newer.event())
        return real_get_object(**request)

    monkeypatch.setattr(s3, "get_object", newer_completes_meanwhile)
    # WHEN the older event finishes
    aws.invoke(older.event())
    # THEN the item still describes the newer version, and the older one was skipped as superseded
    item = aws.item(newer.key)
    assert item is not None
    assert (item["status"], item["source_version_id"]) == (ImageStatus.COMPLETED, newer.version_id)
    assert {r["key"] for r in item["renditions"]} <= aws.rendition_keys()
    last = log_lines()[-1]
    assert (last[FIELD_EVENT], last[FIELD_REASON], last[FIELD_VERSION_ID]) == (
        LogEvent.SKIPPED,
        SkipReason.SUPERSEDED,
        older.version_id,
    )


def test_newer_version_replaces_older_result(aws: Deployment) -> None:
    # GIVEN the older version completed first
    older = aws.upload("photo.jpg", images.jpeg((800, 400)))
    newer = aws.upload("photo.jpg", images.jpeg((400, 800)))
    aws.invoke(older.event())
    # WHEN the newer version's event arrives
    aws.invoke(newer.event())
    # THEN the item describes the newer version
    item = aws.item(newer.key)
    assert item is not None
    assert (item["status"], item["source_version_id"], item["width"]) == (
        ImageStatus.COMPLETED,
        newer.version_id,
        400,
    )
