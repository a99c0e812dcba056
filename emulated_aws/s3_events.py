"""S3 event notifications shaped like the ones S3 delivers to Lambda.

Keys are form-encoded as S3 writes them (a space becomes ``+``, a plus sign ``%2B``); each
record names the object version and carries a sequencer and an event time. The local demo and
the handler's tests both build their events here, so both feed the handler what AWS would.
"""

import itertools
import threading
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus

from emulated_aws.environment import REGION
from handlers.timestamps import iso_utc

S3Event = dict[str, Any]


def encode_key(key: str, keep_slashes: bool = True) -> str:
    """The key as it appears in an event (``keep_slashes=False``: ``/`` as ``%2F`` too)."""
    return quote_plus(key, safe="/" if keep_slashes else "")


class Sequencers:
    """Increasing sequencers for one emulated bucket, like S3's hex strings (lengths may differ)."""

    def __init__(self, start: int = 0x5F3A_0000_0000_0000) -> None:
        self._counter = itertools.count(start)
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            return f"{next(self._counter):X}"


def object_created_record(
    bucket: str,
    key: str,
    *,
    size: int,
    sequencer: str,
    version_id: str | None = None,
    etag: str = "d41d8cd98f00b204e9800998ecf8427e",
    event_time: datetime | None = None,
    event_name: str = "ObjectCreated:Put",
    region: str = REGION,
    keep_slashes: bool = True,
) -> dict[str, Any]:
    moment = (event_time or datetime.now(UTC)).astimezone(UTC)
    obj: dict[str, Any] = {"key": encode_key(key, keep_slashes), "size": size, "eTag": etag, "sequencer": sequencer}
    if version_id is not None:
        obj["versionId"] = version_id
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": region,
        "eventTime": iso_utc(moment),
        "eventName": event_name,
        "userIdentity": {"principalId": "AWS:AIDAEXAMPLEUPLOADER"},
        "requestParameters": {"sourceIPAddress": "203.0.113.10"},
        "responseElements": {"x-amz-request-id": uuid.uuid4().hex[:16].upper(), "x-amz-id-2": uuid.uuid4().hex},
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "image-processor",
            "bucket": {
                "name": bucket,
                "ownerIdentity": {"principalId": "A3EXAMPLEOWNER"},
                "arn": f"arn:aws:s3:::{bucket}",
            },
            "object": obj,
        },
    }


def s3_event(*records: dict[str, Any]) -> S3Event:
    return {"Records": list(records)}


def s3_test_event(bucket: str) -> S3Event:
    """What S3 sends once when a notification configuration is saved: no ``Records``."""
    return {
        "Service": "Amazon S3",
        "Event": "s3:TestEvent",
        "Time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "Bucket": bucket,
        "RequestId": uuid.uuid4().hex[:16].upper(),
        "HostId": uuid.uuid4().hex,
    }
