"""S3 notification events to records: decoding, filtering and clear rejections (no AWS needed)."""

from collections.abc import Callable
from typing import Any

import pytest

from emulated_aws.s3_events import object_created_record, s3_event, s3_test_event
from handlers.contract import UPLOAD_PREFIX
from handlers.edge.events import (
    SEQUENCER_WIDTH,
    Malformed,
    ObjectCreated,
    Skipped,
    normalize_sequencer,
    parse_event,
)
from handlers.edge.outcomes import EventRejectReason, SkipReason

BUCKET = "uploads-bucket"


def _record(key: str, **overrides: object) -> dict[str, Any]:
    record = object_created_record(BUCKET, key, size=10, version_id="v1", sequencer="0A")
    record.update(overrides)
    return record


@pytest.mark.parametrize(
    "key",
    [
        "uploads/u1/summer holiday.jpg",
        "uploads/u1/a+b=c.jpg",
        "uploads/u1/Ærøskøbing 東京 ☀.jpg",
        "uploads/u1/100% real.png",
        "uploads/u1/odd%2Bname%20already-encoded.jpg",
    ],
)
def test_object_key_is_decoded_the_way_s3_encoded_it(key: str) -> None:
    # GIVEN an event whose key S3 form-encoded (space as '+', '+' as %2B, UTF-8 percent-escapes)
    event = s3_event(_record(key))
    # WHEN it is parsed
    (record,) = parse_event(event)
    # THEN the record names the real key
    assert isinstance(record, ObjectCreated)
    assert record.key == key


def test_slashes_encoded_as_percent_2f_decode_too() -> None:
    # GIVEN a key whose slashes are encoded as well (moto does this)
    record = object_created_record(BUCKET, "uploads/u1/a b.jpg", size=1, sequencer="1", keep_slashes=False)
    assert record["s3"]["object"]["key"] == "uploads%2Fu1%2Fa+b.jpg"
    # WHEN it is parsed THEN the key is the original one
    (parsed,) = parse_event(s3_event(record))
    assert isinstance(parsed, ObjectCreated)
    assert parsed.key == "uploads/u1/a b.jpg"


def test_record_carries_version_size_padded_sequencer_and_utc_upload_time() -> None:
    # GIVEN a record with an offset event time and a short, lower-case sequencer
    event = s3_event(_record("uploads/u1/a.jpg", eventTime="2025-03-14T10:26:53.589+01:00"))
    event["Records"][0]["s3"]["object"]["sequencer"] = "5f3a0b"
    # WHEN it is parsed
    (record,) = parse_event(event)
    # THEN the values are normalised for storage and comparison
    assert record == ObjectCreated(
        bucket=BUCKET,
        key="uploads/u1/a.jpg",
        version_id="v1",
        size=10,
        sequencer="5F3A0B".rjust(SEQUENCER_WIDTH, "0"),
        uploaded_at="2025-03-14T09:26:53.589Z",
    )


def test_padded_sequencers_compare_as_numbers_do() -> None:
    # GIVEN two sequencers of different lengths, the longer one later (AWS: pad, then compare)
    earlier, later = normalize_sequencer("FF"), normalize_sequencer("100")
    # THEN string order is event order
    assert earlier < later


def test_s3_test_event_is_skipped() -> None:
    assert parse_event(s3_test_event(BUCKET)) == [Skipped(SkipReason.TEST_EVENT, bucket=BUCKET)]


def test_key_outside_upload_prefix_is_skipped() -> None:
    (record,) = parse_event(s3_event(_record("renditions/u1/x.jpg")))
    assert record == Skipped(SkipReason.OUTSIDE_UPLOAD_PREFIX, BUCKET, "renditions/u1/x.jpg")


def test_folder_marker_is_skipped() -> None:
    (record,) = parse_event(s3_event(_record(f"{UPLOAD_PREFIX}u1/")))
    assert record == Skipped(SkipReason.FOLDER_MARKER, BUCKET, f"{UPLOAD_PREFIX}u1/")


def test_removal_events_are_skipped() -> None:
    (record,) = parse_event(s3_event(_record("uploads/u1/a.jpg", eventName="ObjectRemoved:Delete")))
    assert record == Skipped(SkipReason.NOT_OBJECT_CREATED, BUCKET, "uploads/u1/a.jpg")


@pytest.mark.parametrize(
    ("event", "detail"),
    [
        ("not an event", "event must be an object, got str"),
        ({"Records": {"0": {}}}, "Records must be a list, got dict"),
        ({"detail-type": "Object Created"}, "event has no Records and is not an s3:TestEvent"),
    ],
)
def test_malformed_event_is_one_clear_rejection(event: object, detail: str) -> None:
    assert parse_event(event) == [Malformed(EventRejectReason.MALFORMED_EVENT, detail)]


@pytest.mark.parametrize(
    ("mutate", "detail"),
    [
        (lambda r: r.pop("s3"), "Records[0].s3 is missing"),
        (lambda r: r["s3"]["object"].pop("key"), "Records[0].s3.object.key is missing"),
        (lambda r: r["s3"].update(bucket="b"), "Records[0].s3.bucket must be an object, got str"),
        (lambda r: r.update(eventName=7), "Records[0].eventName must be a string, got int"),
        (lambda r: r["s3"]["object"].update(key="uploads/u1/%FF.jpg"), "is not URL-encoded UTF-8"),
        (lambda r: r["s3"]["object"].pop("sequencer"), "Records[0].s3.object.sequencer is missing"),
        (lambda r: r["s3"]["object"].update(sequencer="xyz"), "sequencer must be up to 64 hex digits"),
        (lambda r: r.update(eventTime="yesterday"), "eventTime must be an ISO-8601 time"),
        (lambda r: r["s3"]["object"].update(size="10"), "Records[0].s3.object.size must be a whole number, got str"),
    ],
)
def test_malformed_record_is_a_rejection_naming_the_field(
    mutate: Callable[[dict[str, Any]], object], detail: str
) -> None:
    # GIVEN a record missing or mangling one field
    record = _record("uploads/u1/a.jpg")
    mutate(record)
    # WHEN it is parsed
    (parsed,) = parse_event(s3_event(record))
    # THEN it is a rejection whose detail says which field
    assert isinstance(parsed, Malformed)
    assert parsed.reason is EventRejectReason.MALFORMED_RECORD
    assert detail in parsed.detail


def test_a_bad_record_does_not_hide_the_records_around_it() -> None:
    # GIVEN a bad record between two good ones
    event = {"Records": [_record("uploads/u1/a.jpg"), "garbage", _record("uploads/u1/b.jpg")]}
    # WHEN parsed THEN each record has its own result, in order
    first, bad, last = parse_event(event)
    assert isinstance(first, ObjectCreated) and first.key == "uploads/u1/a.jpg"
    assert bad == Malformed(EventRejectReason.MALFORMED_RECORD, "Records[1] must be an object, got str")
    assert isinstance(last, ObjectCreated) and last.key == "uploads/u1/b.jpg"
