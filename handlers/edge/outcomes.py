"""What became of one record or reprocessing task, and why a record was skipped or refused before the
image core saw it. Reason values appear in logs, items and Batch Operations reports."""

from dataclasses import dataclass
from enum import StrEnum

from handlers.edge.errors import RecordFailure


class SkipReason(StrEnum):
    """Nothing to do for this record; it is logged as ``image.skipped`` and not retried."""

    TEST_EVENT = "test_event"  # S3 sends s3:TestEvent when the notification is saved
    NOT_OBJECT_CREATED = "not_object_created"
    OUTSIDE_UPLOAD_PREFIX = "outside_upload_prefix"
    FOLDER_MARKER = "folder_marker"  # "uploads/user/" made by the console's "Create folder"
    DUPLICATE = "duplicate"  # this version already has its final result
    SUPERSEDED = "superseded"  # a newer version of the same key is already recorded
    SOURCE_MISSING = "source_missing"  # the version was deleted before it was read
    # The owner deleted the image (its tombstone stands): what the upload left is removed, nothing written.
    DELETED = "deleted"
    # Reprocessing only (handlers.reprocessor):
    CURRENT = "already_current"  # completed with the renditions the function makes now: one read, no writes
    NOT_RECORDED = "not_recorded"  # no metadata item for the key: the image was deleted, or never processed


class EventRejectReason(StrEnum):
    """The event itself cannot be used; logged as ``image.rejected`` alongside the image core's reasons."""

    MALFORMED_EVENT = "malformed_event"
    MALFORMED_RECORD = "malformed_record"
    INVALID_KEY = "invalid_key"  # under uploads/ but not uploads/{user_id}/{file name}


@dataclass(frozen=True)
class Rendered:
    """Every rendition stored and the item written (completed)."""

    renditions: int
    # Renditions of the previous item that are no longer made, deleted from the processed bucket.
    removed: int = 0
    # Of those, the ones S3 refused to delete (logged as an ERROR line each).
    not_removed: int = 0


@dataclass(frozen=True)
class Refused:
    """The upload can never become renditions (``reason``: a RejectReason or EventRejectReason value)."""

    reason: str
    detail: str


@dataclass(frozen=True)
class Unchanged:
    """Nothing was left to do; nothing was written."""

    reason: SkipReason
    detail: str | None = None


# What the pipeline did with one record or task; a RecordFailure may pass on a retry.
Outcome = Rendered | Refused | Unchanged | RecordFailure
