"""S3 event notifications to typed records: one result per record, never an exception.

A record is parsed on its own, so one bad record never costs the others. Keys arrive
URL-encoded the way S3 writes them (``+`` is a space, ``%2B`` a plus sign) and are decoded
here once; everything downstream sees the real key.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final, TypeVar
from urllib.parse import unquote_plus

from handlers.contract import UPLOAD_PREFIX
from handlers.edge.outcomes import EventRejectReason, SkipReason
from handlers.timestamps import iso_utc

# Sequencers are stored left-padded to this many hex digits so that DynamoDB's string order is
# their numeric order (AWS: pad the shorter one with zeros, then compare as strings).
SEQUENCER_WIDTH: Final = 64
_HEX: Final = re.compile(r"[0-9A-Fa-f]+")
_TEST_EVENT: Final = "s3:TestEvent"
_CREATED_PREFIX: Final = "ObjectCreated:"
_T = TypeVar("_T")


@dataclass(frozen=True)
class ObjectCreated:
    """An object written under the upload prefix."""

    bucket: str
    key: str  # decoded
    version_id: str | None  # None when the bucket is not versioned
    size: int | None
    sequencer: str  # upper-case hex, padded to SEQUENCER_WIDTH
    uploaded_at: str  # the event's eventTime, ISO-8601 UTC with milliseconds


@dataclass(frozen=True)
class Skipped:
    """A well-formed record (or test event) with nothing to do."""

    reason: SkipReason
    bucket: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class Malformed:
    """An event or record that is not what S3 sends; ``detail`` names the field."""

    reason: EventRejectReason
    detail: str
    bucket: str | None = None
    key: str | None = None


ParsedRecord = ObjectCreated | Skipped | Malformed


class _Invalid(ValueError):
    def __init__(self, detail: str, bucket: str | None = None, key: str | None = None) -> None:
        super().__init__(detail)
        self.bucket = bucket
        self.key = key


def parse_event(event: object) -> list[ParsedRecord]:
    """Every record of an S3 notification event, in order."""
    if not isinstance(event, dict):
        return [Malformed(EventRejectReason.MALFORMED_EVENT, f"event must be an object, got {type(event).__name__}")]
    if "Records" not in event:
        if event.get("Event") == _TEST_EVENT:
            bucket = event.get("Bucket")
            return [Skipped(SkipReason.TEST_EVENT, bucket=bucket if isinstance(bucket, str) else None)]
        return [Malformed(EventRejectReason.MALFORMED_EVENT, "event has no Records and is not an s3:TestEvent")]
    records = event["Records"]
    if not isinstance(records, list):
        return [Malformed(EventRejectReason.MALFORMED_EVENT, f"Records must be a list, got {type(records).__name__}")]
    return [parse_record(record, f"Records[{i}]") for i, record in enumerate(records)]


def parse_record(record: object, where: str = "record") -> ParsedRecord:
    try:
        return _parse_record(record, where)
    except _Invalid as exc:
        return Malformed(EventRejectReason.MALFORMED_RECORD, str(exc), bucket=exc.bucket, key=exc.key)


def _parse_record(record: object, where: str) -> ParsedRecord:
    event_name = _string(record, where, "eventName")
    s3 = _mapping(record, where, "s3")
    bucket = _string(_mapping(s3, f"{where}.s3", "bucket"), f"{where}.s3.bucket", "name")
    obj = _mapping(s3, f"{where}.s3", "object")
    key = decode_key(_string(obj, f"{where}.s3.object", "key"), f"{where}.s3.object.key", bucket)

    if not event_name.startswith(_CREATED_PREFIX):
        return Skipped(SkipReason.NOT_OBJECT_CREATED, bucket, key)
    if not key.startswith(UPLOAD_PREFIX):
        return Skipped(SkipReason.OUTSIDE_UPLOAD_PREFIX, bucket, key)
    if key.endswith("/"):
        return Skipped(SkipReason.FOLDER_MARKER, bucket, key)

    try:
        sequencer = normalize_sequencer(_string(obj, f"{where}.s3.object", "sequencer"))
        uploaded_at = normalize_event_time(_string(record, where, "eventTime"))
        version_id = _optional(obj, f"{where}.s3.object", "versionId", str, "a string")
        size = _optional(obj, f"{where}.s3.object", "size", int, "a whole number")
        if size is not None and (isinstance(size, bool) or size < 0):
            raise ValueError(f"{where}.s3.object.size must be a whole number of bytes, got {size!r}")
    except ValueError as exc:
        # Past the prefix check the record names an upload: keep its key for the rejection.
        raise _Invalid(str(exc), bucket, key) from None
    return ObjectCreated(bucket, key, version_id or None, size, sequencer, uploaded_at)


def decode_key(raw: str, where: str = "key", bucket: str | None = None) -> str:
    """S3 writes keys form-encoded in events: ``+`` is a space and ``%2B`` a plus sign."""
    try:
        key = unquote_plus(raw, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise _Invalid(f"{where} is not URL-encoded UTF-8: {raw!r}", bucket) from None
    if not key:
        raise _Invalid(f"{where} is empty", bucket)
    return key


def normalize_sequencer(raw: str) -> str:
    if not _HEX.fullmatch(raw) or len(raw) > SEQUENCER_WIDTH:
        raise ValueError(f"sequencer must be up to {SEQUENCER_WIDTH} hex digits, got {raw!r}")
    return raw.upper().rjust(SEQUENCER_WIDTH, "0")


def normalize_event_time(raw: str) -> str:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"eventTime must be an ISO-8601 time, got {raw!r}") from None
    if moment.tzinfo is None:
        raise ValueError(f"eventTime must carry a time zone, got {raw!r}")
    return iso_utc(moment)


def _mapping(parent: object, where: str, name: str) -> Mapping[str, object]:
    value = _get(parent, where, name)
    if not isinstance(value, dict):
        raise _Invalid(f"{where}.{name} must be an object, got {type(value).__name__}")
    return value


def _string(parent: object, where: str, name: str) -> str:
    value = _get(parent, where, name)
    if not isinstance(value, str):
        raise _Invalid(f"{where}.{name} must be a string, got {type(value).__name__}")
    return value


def _get(parent: object, where: str, name: str) -> object:
    if not isinstance(parent, dict):
        raise _Invalid(f"{where} must be an object, got {type(parent).__name__}")
    if name not in parent:
        raise _Invalid(f"{where}.{name} is missing")
    return parent[name]


def _optional(parent: Mapping[str, object], where: str, name: str, kind: type[_T], meaning: str) -> _T | None:
    value = parent.get(name)
    if value is None:
        return None
    if not isinstance(value, kind):
        raise _Invalid(f"{where}.{name} must be {meaning}, got {type(value).__name__}")
    return value
