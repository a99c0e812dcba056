"""What the handler does with each kind of S3 event and record, end to end."""

import pytest

from emulated_aws.s3_events import s3_event, s3_test_event
from handlers.contract import ImageStatus
from handlers.edge.outcomes import EventRejectReason, SkipReason
from handlers.image_processor import aws_clients
from handlers.telemetry.events import FIELD_DETAIL, FIELD_EVENT, FIELD_KEY, FIELD_LEVEL, FIELD_REASON, Level, LogEvent
from tests.conftest import LogLines
from tests.handler import images
from tests.handler.deployment import UPLOAD_BUCKET, Deployment
from tests.handler.failures import fail_call


@pytest.mark.parametrize(
    "name",
    ["summer holiday.jpg", "1+1=2.jpg", "Ærøskøbing 東京 ☀.jpg", "100% real.jpg", "already%20encoded%2B.jpg"],
)
def test_upload_with_any_file_name_is_processed_under_its_real_key(aws: Deployment, name: str) -> None:
    # GIVEN an upload whose name S3 form-encodes in the event
    upload = aws.upload(name, images.jpeg((400, 200)))
    # WHEN the handler runs
    aws.invoke(upload.event())
    # THEN the item for the real key is completed and names the file as uploaded
    item = aws.item(upload.key)
    assert item is not None
    assert (item["status"], item["file_name"]) == (ImageStatus.COMPLETED, name)


def test_key_with_encoded_slashes_is_processed(aws: Deployment) -> None:
    # GIVEN an event whose key has its slashes encoded as %2F as well
    upload = aws.upload("a b+c.jpg", images.jpeg((400, 200)))
    # WHEN the handler runs
    aws.invoke(upload.event(keep_slashes=False))
    # THEN the upload is processed
    item = aws.item(upload.key)
    assert item is not None and item["status"] == ImageStatus.COMPLETED


def test_s3_test_event_is_ignored(aws: Deployment, log_lines: LogLines) -> None:
    # WHEN S3's test event arrives (sent when the notification is saved)
    aws.invoke(s3_test_event(UPLOAD_BUCKET))
    # THEN nothing is written and one line says it was skipped
    assert aws.items() == [] and aws.rendition_keys() == set()
    assert [(line[FIELD_EVENT], line[FIELD_REASON]) for line in log_lines()] == [
        (LogEvent.SKIPPED, SkipReason.TEST_EVENT)
    ]


def test_key_outside_upload_prefix_is_ignored(aws: Deployment, log_lines: LogLines) -> None:
    # GIVEN an image written outside uploads/
    upload = aws.upload("x", images.jpeg((400, 200)), key="incoming/user-42/photo.jpg")
    # WHEN its event arrives
    aws.invoke(upload.event())
    # THEN nothing is written
    assert aws.items() == [] and aws.rendition_keys() == set()
    assert [(line[FIELD_EVENT], line[FIELD_REASON]) for line in log_lines()] == [
        (LogEvent.SKIPPED, SkipReason.OUTSIDE_UPLOAD_PREFIX)
    ]


def test_key_without_user_folder_is_a_recorded_rejection(aws: Deployment, log_lines: LogLines) -> None:
    # GIVEN an upload directly under uploads/, with no user id
    upload = aws.upload("x", images.jpeg((400, 200)), key="uploads/photo.jpg")
    # WHEN its event arrives
    aws.invoke(upload.event())
    # THEN the item records the rejection (outside the user index: there is no user) and the log says why
    item = aws.item(upload.key)
    assert item is not None
    assert (item["status"], item["reason"]) == (ImageStatus.REJECTED, EventRejectReason.INVALID_KEY)
    assert "user_id" not in item
    (line,) = log_lines()
    assert (line[FIELD_EVENT], line[FIELD_REASON], line[FIELD_KEY]) == (
        LogEvent.REJECTED,
        EventRejectReason.INVALID_KEY,
        "uploads/photo.jpg",
    )


@pytest.mark.parametrize(
    "event",
    [None, ["not", "a", "dict"], {"Records": "all of them"}, {"Records": [{"eventName": "ObjectCreated:Put"}]}],
    ids=["none", "list", "records-not-a-list", "record-missing-s3"],
)
def test_malformed_event_is_a_logged_rejection_not_a_crash(aws: Deployment, log_lines: LogLines, event: object) -> None:
    # WHEN an event that is not what S3 sends arrives
    aws.invoke(event)
    # THEN the handler returns, writes nothing, and one line says what was wrong
    assert aws.items() == []
    (line,) = log_lines()
    assert line[FIELD_EVENT] == LogEvent.REJECTED
    assert line[FIELD_REASON] in (EventRejectReason.MALFORMED_EVENT, EventRejectReason.MALFORMED_RECORD)
    assert line[FIELD_DETAIL]


def test_malformed_record_does_not_stop_the_next_one(aws: Deployment) -> None:
    # GIVEN an event whose first record has no s3 section and whose second is a real upload
    upload = aws.upload("landscape.jpg", images.jpeg((400, 200)))
    event = s3_event({"eventName": "ObjectCreated:Put"}, upload.record())
    # WHEN the handler runs
    aws.invoke(event)
    # THEN the real upload is completed
    item = aws.item(upload.key)
    assert item is not None and item["status"] == ImageStatus.COMPLETED


def test_upload_deleted_before_it_was_read_is_skipped(aws: Deployment, log_lines: LogLines) -> None:
    # GIVEN an upload whose version was deleted before its event was handled
    upload = aws.upload("gone.jpg", images.jpeg((400, 200)))
    aws.s3.delete_object(Bucket=UPLOAD_BUCKET, Key=upload.key, VersionId=upload.version_id)
    # WHEN its event arrives
    aws.invoke(upload.event())
    # THEN nothing is recorded and nothing retried: there is nothing left to process
    assert aws.items() == []
    (line,) = log_lines()
    assert (line[FIELD_EVENT], line[FIELD_REASON]) == (LogEvent.SKIPPED, SkipReason.SOURCE_MISSING)
    assert line[FIELD_DETAIL] == (f"s3://{UPLOAD_BUCKET}/{upload.key} version {upload.version_id} no longer exists")


@pytest.mark.parametrize("code", ["NoSuchKey", "NoSuchVersion", "404"])
def test_every_not_found_answer_means_the_source_is_gone(
    aws: Deployment, log_lines: LogLines, monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    # GIVEN S3 answering the read with not-found (what it says once the role may list uploads/)
    upload = aws.upload("gone.jpg", images.jpeg((400, 200)))
    fail_call(monkeypatch, aws_clients().s3, "get_object", code, http_status=404)
    # WHEN its event arrives
    aws.invoke(upload.event())  # no TransientError: no retry, nothing for the failure queue
    # THEN it is skipped as gone, with no failed item and no ERROR line
    assert aws.items() == []
    assert [(line[FIELD_LEVEL], line[FIELD_REASON]) for line in log_lines()] == [
        (Level.INFO, SkipReason.SOURCE_MISSING)
    ]
