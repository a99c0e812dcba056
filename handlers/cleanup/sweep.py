"""Deleting a bucket's object versions and delete markers last modified before the cutoff.

Each version is judged on its own LastModified: a key whose older version goes keeps a newer one,
and a delete marker newer than the cutoff stays (the next run takes it once it is old). Every
DeleteObjects entry names its VersionId, which removes that version for good (a plain delete would
only add a marker) and is what S3 checks ``s3:DeleteObjectVersion`` for. An entry S3 refuses comes
back in the answer's ``Errors``: it is logged as an ERROR line and counted, and the sweep goes on.
"""

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from handlers.cleanup.batching import settled_batches
from handlers.cleanup.clients import S3Api
from handlers.cleanup.report import BucketTally
from handlers.telemetry import events as ev
from handlers.telemetry.logger import log_event

# DeleteObjects takes at most this many entries per call.
MAX_KEYS_PER_DELETE: Final = 1000

_logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OldVersion:
    key: str
    version_id: str
    is_delete_marker: bool


def sweep_bucket(s3: S3Api, bucket: str, cutoff: datetime, tally: BucketTally) -> None:
    """Delete every version and delete marker of ``bucket`` last modified before ``cutoff``."""
    for batch in settled_batches(_old_versions(s3, bucket, cutoff), MAX_KEYS_PER_DELETE):
        _delete(s3, bucket, batch, tally)


def _old_versions(s3: S3Api, bucket: str, cutoff: datetime) -> Iterator[list[OldVersion]]:
    """Per listing page, its versions and delete markers older than ``cutoff``."""
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        yield [
            *_older(page.get("Versions", []), cutoff, is_delete_marker=False),
            *_older(page.get("DeleteMarkers", []), cutoff, is_delete_marker=True),
        ]


def _older(entries: Iterable[Mapping[str, Any]], cutoff: datetime, *, is_delete_marker: bool) -> Iterator[OldVersion]:
    for entry in entries:
        # boto3 parses LastModified into a timezone-aware datetime; the cutoff is aware too.
        if entry["LastModified"] < cutoff:
            yield OldVersion(entry["Key"], entry["VersionId"], is_delete_marker)


def _delete(s3: S3Api, bucket: str, batch: list[OldVersion], tally: BucketTally) -> None:
    response = s3.delete_objects(
        Bucket=bucket,
        Delete={"Objects": [{"Key": v.key, "VersionId": v.version_id} for v in batch], "Quiet": True},
    )
    errors: list[Mapping[str, Any]] = response.get("Errors", [])
    refused = {(e.get("Key"), e.get("VersionId")) for e in errors}
    # An error naming a key but no version leaves every version of that key in doubt: none counts as deleted.
    refused_keys = {e.get("Key") for e in errors if not e.get("VersionId")}
    markers: dict[tuple[object, object], bool] = {(v.key, v.version_id): v.is_delete_marker for v in batch}
    for version in batch:
        if (version.key, version.version_id) in refused or version.key in refused_keys:
            continue
        if version.is_delete_marker:
            tally.delete_markers_deleted += 1
        else:
            tally.versions_deleted += 1
    for error in errors:
        tally.errors += 1
        fields = {
            ev.FIELD_BUCKET: bucket,
            ev.FIELD_KEY: error.get("Key"),
            ev.FIELD_VERSION_ID: error.get("VersionId"),
            ev.FIELD_DELETE_MARKER: markers.get((error.get("Key"), error.get("VersionId"))),
            ev.FIELD_ERROR_CODE: error.get("Code"),
            ev.FIELD_ERROR_MESSAGE: error.get("Message"),
        }
        log_event(_logger, ev.Level.ERROR, ev.LogEvent.CLEANUP_DELETE_FAILED, fields)
