"""DELETE /images/{id} wins, whatever the order: a deleted image never comes back.

The image function, the reprocessing function and the API run as actors taking turns at their AWS
calls (tests/deletion/lockstep.py), so each race is played out exactly: DELETE before the upload's event
is processed, between any two of the function's writes, between two versions of one key, during a
Batch Operations reprocess, and before a late or repeated event. Once every function has finished, GET
is 404, the listing does not show the image, and no version of its original or of any rendition is left;
only the tombstone stays, for DynamoDB's TTL to remove.
"""

import json
from typing import Any

import pytest

from emulated_aws.api_gateway import OTHER_USER, USER
from handlers import contract
from handlers.contract import ImageStatus
from handlers.edge.errors import TransientError
from handlers.image_processor import aws_clients
from handlers.telemetry.events import (
    FIELD_DETAIL,
    FIELD_EVENT,
    FIELD_IMAGE_ID,
    FIELD_REASON,
    FIELD_VERSIONS_DELETED,
    LogEvent,
)
from handlers.tombstone import ATTR_DELETED_BY
from tests.api.api_deployment import Answer
from tests.conftest import LogLines
from tests.deletion.lockstep import Lockstep
from tests.deletion.scene import (
    FEWER_RENDITIONS,
    another_version,
    api_upload,
    assert_deleted,
    delete_markers_as_s3_makes_them,
    deletes,
    left_of,
    processes,
    reprocesses,
    seen_by_owner,
)
from tests.handler import images
from tests.handler.deployment import Deployment, Upload
from tests.handler.failures import fail_call


def photo() -> bytes:
    return images.jpeg((320, 160))


def deleted_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line for line in lines if line.get(FIELD_EVENT) == LogEvent.SKIPPED and line.get(FIELD_REASON) == "deleted"]


@pytest.fixture
def processed(aws: Deployment, lockstep: Lockstep) -> Upload:
    """An upload through the API, processed with the default renditions (6 for a JPEG)."""
    upload = api_upload(aws, photo())
    lockstep.add("first", processes(aws, upload))
    lockstep.finish("first")
    assert len(left_of(aws, upload).renditions) == 6
    return upload


# --- before the event is processed ---


def test_an_upload_deleted_before_its_event_is_processed_is_removed_when_the_event_arrives(
    aws: Deployment, lockstep: Lockstep, log_lines: LogLines
) -> None:
    # GIVEN an upload whose event has not been processed: no item yet
    upload = api_upload(aws, photo())
    # WHEN its owner deletes it
    lockstep.add("delete", deletes(upload.image_id))
    answer = lockstep.finish("delete")
    # THEN 204; it is neither found nor listed, though its original is still there (the API cannot know its key)
    assert isinstance(answer, Answer) and answer.status == 204
    got, listing = seen_by_owner(upload.image_id)
    assert (got.status, listing.body["images"]) == (404, [])
    assert len(left_of(aws, upload).originals) == 1
    # WHEN the event arrives
    lockstep.add("upload", processes(aws, upload))
    lockstep.finish("upload")
    # THEN the function removed the original, wrote nothing, and said so
    assert_deleted(aws, upload)
    assert lockstep.actor("upload").calls == ["GetItem", "ListObjectVersions", "HeadObject", "DeleteObjects"]
    (line,) = deleted_lines(log_lines())
    assert line[FIELD_IMAGE_ID] == upload.image_id
    assert line[FIELD_DETAIL] == (
        "deleted by its owner before its upload was processed: 0 rendition version(s) removed, "
        "the original version removed"
    )
    assert line[FIELD_VERSIONS_DELETED] == 1


def test_a_late_event_of_a_deleted_image_finds_the_tombstone_and_the_missing_source_and_writes_nothing(
    aws: Deployment, lockstep: Lockstep, processed: Upload, log_lines: LogLines
) -> None:
    # GIVEN a processed image its owner deleted
    lockstep.add("delete", deletes(processed.image_id))
    lockstep.finish("delete")
    tombstone = left_of(aws, processed).item
    log_lines()
    # WHEN S3 delivers its event again, late
    lockstep.add("late", processes(aws, processed))
    lockstep.finish("late")
    # THEN the function only read: the tombstone, the empty renditions folder, the missing original
    assert lockstep.actor("late").calls == ["GetItem", "ListObjectVersions", "HeadObject"]
    assert left_of(aws, processed).item == tombstone
    assert_deleted(aws, processed)
    (line,) = deleted_lines(log_lines())
    assert line[FIELD_DETAIL].endswith("0 rendition version(s) removed, the original version already gone")
    assert line[FIELD_VERSIONS_DELETED] == 0


# --- during processing: DELETE between any two of the function's calls ---

# Where the function is when DELETE runs whole: just before this call (the n-th of its kind).
FIRST_UPLOAD_POINTS = {
    "before the item is read": ("GetItem", 1),
    "after the item is read": ("GetObject", 1),
    "after the original is read": ("PutObject", 1),
    "after one rendition is stored": ("PutObject", 2),
    "after every rendition is stored": ("PutItem", 1),
}


@pytest.mark.parametrize("point", [*FIRST_UPLOAD_POINTS, "after the item is written"])
def test_delete_while_an_upload_is_processed_leaves_nothing_once_the_function_is_done(
    aws: Deployment, lockstep: Lockstep, point: str
) -> None:
    # GIVEN an upload being processed, stopped at the point
    upload = api_upload(aws, photo())
    lockstep.add("upload", processes(aws, upload))
    if point in FIRST_UPLOAD_POINTS:
        operation, occurrence = FIRST_UPLOAD_POINTS[point]
        lockstep.run_until("upload", before=operation, occurrence=occurrence)
    else:
        lockstep.finish("upload")
    # WHEN its owner deletes it (204), and then the function goes on to its end
    lockstep.add("delete", deletes(upload.image_id))
    answer = lockstep.finish("delete")
    assert isinstance(answer, Answer) and answer.status == 204
    lockstep.finish("upload")
    # THEN nothing of it is left but the tombstone, and no GET or listing shows it
    assert_deleted(aws, upload)


# A second version of a processed image, after the stack dropped renditions: the function stores the new
# set, writes the item, then removes the 4 renditions no longer made (writes after the item) and reads once more.
SECOND_VERSION_POINTS = {
    "before the item is read": ("GetItem", 1),
    "after the original is read": ("PutObject", 1),
    "after every rendition is stored": ("PutItem", 1),
    "after the item is written": ("DeleteObject", 1),
    "between two removals of renditions no longer made": ("DeleteObject", 3),
    "after the last removal": ("GetItem", 2),
}


@pytest.mark.parametrize("point", [*SECOND_VERSION_POINTS, "after the function is done"])
def test_delete_while_a_second_version_is_processed_leaves_no_version_of_either(
    aws: Deployment, lockstep: Lockstep, processed: Upload, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    # GIVEN a second version of a processed image, being processed with fewer renditions, stopped at the point
    monkeypatch.setenv(contract.ENV_RENDITIONS, FEWER_RENDITIONS)
    delete_markers_as_s3_makes_them(monkeypatch, aws, aws_clients().s3)
    second = another_version(aws, processed, images.jpeg((400, 200)))
    lockstep.add("second", processes(aws, second))
    if point in SECOND_VERSION_POINTS:
        operation, occurrence = SECOND_VERSION_POINTS[point]
        lockstep.run_until("second", before=operation, occurrence=occurrence)
    else:
        lockstep.finish("second")
    # WHEN its owner deletes it, and the function goes on to its end
    lockstep.add("delete", deletes(processed.image_id))
    assert isinstance(answer := lockstep.finish("delete"), Answer) and answer.status == 204
    lockstep.finish("second")
    # THEN no version of the original (both), no rendition of either, no image item is left
    assert_deleted(aws, second)


# --- between two versions of one key ---


@pytest.mark.parametrize("order", [("first", "second"), ("second", "first")])
def test_two_versions_deleted_before_either_is_processed_are_both_removed_in_any_order(
    aws: Deployment, lockstep: Lockstep, order: tuple[str, str]
) -> None:
    # GIVEN two versions of one key, neither processed, and the image deleted
    first = api_upload(aws, photo())
    second = another_version(aws, first, images.jpeg((400, 200)))
    lockstep.add("delete", deletes(first.image_id))
    lockstep.finish("delete")
    # WHEN both events arrive, in either order
    events = {"first": first, "second": second}
    for name in order:
        lockstep.add(name, processes(aws, events[name]))
        lockstep.finish(name)
    # THEN each version was removed by its own event, and nothing came back
    assert_deleted(aws, first)


def test_a_new_version_whose_event_comes_after_the_delete_is_removed_too(
    aws: Deployment, lockstep: Lockstep, processed: Upload
) -> None:
    # GIVEN a processed image, a second version uploaded, and the image deleted before that version's event
    second = another_version(aws, processed, images.jpeg((400, 200)))
    lockstep.add("delete", deletes(processed.image_id))
    lockstep.finish("delete")
    # WHEN the second version's event arrives, then the first's again (late)
    lockstep.add("second", processes(aws, second))
    lockstep.finish("second")
    lockstep.add("late", processes(aws, processed))
    lockstep.finish("late")
    # THEN neither brought anything back
    assert_deleted(aws, processed)


# --- during a Batch Operations reprocess ---

REPROCESS_POINTS = {
    "before the item is read": ("GetItem", 1),
    "after the original is read": ("PutObject", 1),
    "after every rendition is stored": ("PutItem", 1),
    "after the item is rewritten": ("DeleteObject", 1),
    "after the last removal": ("GetItem", 2),
}


@pytest.mark.parametrize("point", REPROCESS_POINTS)
def test_delete_during_a_reprocess_leaves_nothing_and_the_task_reports_the_delete(
    aws: Deployment, lockstep: Lockstep, processed: Upload, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    # GIVEN a Batch Operations task re-rendering the image with fewer renditions, stopped at the point
    monkeypatch.setenv(contract.ENV_RENDITIONS, FEWER_RENDITIONS)
    delete_markers_as_s3_makes_them(monkeypatch, aws, aws_clients().s3)
    lockstep.add("task", reprocesses(processed))
    operation, occurrence = REPROCESS_POINTS[point]
    lockstep.run_until("task", before=operation, occurrence=occurrence)
    # WHEN the owner deletes the image, and the task goes on to its end
    lockstep.add("delete", deletes(processed.image_id))
    lockstep.finish("delete")
    response = lockstep.finish("task")
    # THEN the job's report says the image was deleted, and nothing of it is left
    assert isinstance(response, dict)
    ((task_result),) = response["results"]
    assert task_result["resultCode"] == "PermanentFailure"
    assert task_result["resultString"].startswith("deleted: deleted by its owner")
    assert_deleted(aws, processed)


def test_delete_after_a_reprocess_finished_leaves_nothing(
    aws: Deployment, lockstep: Lockstep, processed: Upload, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(contract.ENV_RENDITIONS, FEWER_RENDITIONS)
    lockstep.add("task", reprocesses(processed))
    lockstep.finish("task")
    lockstep.add("delete", deletes(processed.image_id))
    lockstep.finish("delete")
    assert_deleted(aws, processed)


# --- failures that meet the tombstone ---


def test_an_upload_that_fails_after_the_delete_is_removed_by_its_retry(
    aws: Deployment, lockstep: Lockstep, monkeypatch: pytest.MonkeyPatch, log_lines: LogLines
) -> None:
    # GIVEN an upload whose third rendition write is throttled, its owner deleting it during the second
    upload = api_upload(aws, photo())
    lockstep.add("upload", processes(aws, upload))
    lockstep.run_until("upload", before="PutObject", occurrence=2)
    lockstep.add("delete", deletes(upload.image_id))
    lockstep.finish("delete")
    fail_call(monkeypatch, aws_clients().s3, "put_object", "SlowDown", on_call=1, http_status=503)
    # WHEN the function goes on: the write fails, and the failure it records is refused by the tombstone
    with pytest.raises(TransientError):
        lockstep.finish("upload")
    assert len(left_of(aws, upload).renditions) == 2
    (failed,) = [line for line in log_lines() if line.get(FIELD_EVENT) == LogEvent.FAILED]
    assert failed[FIELD_DETAIL] == "the image was deleted meanwhile: the retry removes what this attempt left"
    # WHEN Lambda retries the event
    lockstep.add("retry", processes(aws, upload))
    lockstep.finish("retry")
    # THEN the retry found the tombstone first and removed the rendition and the original
    assert_deleted(aws, upload)


def test_a_reprocess_that_fails_for_good_after_the_delete_asks_to_be_retried_and_the_retry_removes_it(
    aws: Deployment, lockstep: Lockstep, processed: Upload, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a task whose second rendition write is refused (AccessDenied: no retry would pass), the owner
    # deleting the image during the first
    monkeypatch.setenv(contract.ENV_RENDITIONS, json.dumps([{"name": "avatar", "width": 64, "height": 64}]))
    lockstep.add("task", reprocesses(processed))
    lockstep.run_until("task", before="PutObject", occurrence=1)
    lockstep.add("delete", deletes(processed.image_id))
    lockstep.finish("delete")
    fail_call(monkeypatch, aws_clients().s3, "put_object", "AccessDenied", on_call=1, http_status=403)
    # WHEN the task goes on
    response = lockstep.finish("task")
    # THEN it asks Batch Operations to try again (the image was deleted meanwhile), and the retry removes it all
    assert isinstance(response, dict)
    assert response["results"][0]["resultCode"] == "TemporaryFailure"
    assert len(left_of(aws, processed).renditions) == 1
    lockstep.add("retry", reprocesses(processed))
    retried = lockstep.finish("retry")
    assert isinstance(retried, dict) and retried["results"][0]["resultCode"] == "PermanentFailure"
    assert_deleted(aws, processed)


# --- a repeated DELETE, another user's DELETE ---


def test_a_repeated_delete_is_204_and_changes_nothing(aws: Deployment, lockstep: Lockstep, processed: Upload) -> None:
    lockstep.add("delete", deletes(processed.image_id))
    lockstep.finish("delete")
    before = left_of(aws, processed)
    # WHEN the owner deletes it again
    lockstep.add("again", deletes(processed.image_id))
    answer = lockstep.finish("again")
    # THEN 204, no write at all, and the tombstone is as it was
    assert isinstance(answer, Answer) and answer.status == 204
    assert lockstep.actor("again").calls == ["GetItem", "ListObjectVersions", "ListObjectVersions"]
    assert left_of(aws, processed) == before


def test_a_repeated_delete_of_an_upload_not_processed_yet_reads_and_writes_nothing(
    aws: Deployment, lockstep: Lockstep
) -> None:
    upload = api_upload(aws, photo())
    lockstep.add("delete", deletes(upload.image_id))
    lockstep.finish("delete")
    before = left_of(aws, upload)
    lockstep.add("again", deletes(upload.image_id))
    assert isinstance(answer := lockstep.finish("again"), Answer) and answer.status == 204
    assert lockstep.actor("again").calls == ["GetItem"]
    assert left_of(aws, upload) == before


def test_another_users_delete_of_a_processed_image_is_204_and_touches_nothing(
    aws: Deployment, lockstep: Lockstep, processed: Upload
) -> None:
    before = left_of(aws, processed)
    # WHEN another user deletes the image's id
    lockstep.add("theirs", deletes(processed.image_id, user=OTHER_USER))
    answer = lockstep.finish("theirs")
    # THEN 204 as for a missing id, one read, and the owner's image is exactly as it was
    assert isinstance(answer, Answer) and answer.status == 204
    assert lockstep.actor("theirs").calls == ["GetItem"]
    assert left_of(aws, processed) == before
    got, listing = seen_by_owner(processed.image_id)
    assert (got.status, [i["image_id"] for i in listing.body["images"]]) == (200, [processed.image_id])


@pytest.mark.parametrize("point", ["before the event", "while the upload is processed"])
def test_another_users_delete_of_an_upload_not_processed_yet_does_not_stop_it(
    aws: Deployment, lockstep: Lockstep, point: str
) -> None:
    # GIVEN the owner's upload; another user deletes its id before or while it is processed
    upload = api_upload(aws, photo())
    lockstep.add("upload", processes(aws, upload))
    if point != "before the event":
        lockstep.run_until("upload", before="PutItem")
    lockstep.add("theirs", deletes(upload.image_id, user=OTHER_USER))
    assert isinstance(answer := lockstep.finish("theirs"), Answer) and answer.status == 204
    # WHEN the function finishes
    lockstep.finish("upload")
    # THEN the owner's image is complete, found and listed; the other user's tombstone is gone with the write
    got, listing = seen_by_owner(upload.image_id)
    assert (got.status, got.body["status"]) == (200, ImageStatus.COMPLETED)
    assert [i["image_id"] for i in listing.body["images"]] == [upload.image_id]
    left = left_of(aws, upload)
    assert left.item is not None and ATTR_DELETED_BY not in left.item and len(left.renditions) == 6


@pytest.mark.parametrize("first", [OTHER_USER, USER])
def test_the_owners_delete_stops_an_upload_whoever_deleted_its_id_first(
    aws: Deployment, lockstep: Lockstep, first: str
) -> None:
    # GIVEN an upload not processed yet, its id deleted by both users, in either order
    upload = api_upload(aws, photo())
    second = USER if first == OTHER_USER else OTHER_USER
    for name, user in (("first", first), ("second", second)):
        lockstep.add(name, deletes(upload.image_id, user=user))
        assert isinstance(answer := lockstep.finish(name), Answer) and answer.status == 204
    # WHEN the event arrives
    lockstep.add("upload", processes(aws, upload))
    lockstep.finish("upload")
    # THEN the owner's delete stands: nothing is left
    assert_deleted(aws, upload)
    assert left_of(aws, upload).item is not None
