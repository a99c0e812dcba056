"""Why a record was skipped or refused before the image core saw it. Values appear in logs and items."""

from enum import StrEnum


class SkipReason(StrEnum):
    """Nothing to do for this record; it is logged as ``image.skipped`` and not retried."""

    TEST_EVENT = "test_event"  # S3 sends s3:TestEvent when the notification is saved
    NOT_OBJECT_CREATED = "not_object_created"
    OUTSIDE_UPLOAD_PREFIX = "outside_upload_prefix"
    FOLDER_MARKER = "folder_marker"  # "uploads/user/" made by the console's "Create folder"
    DUPLICATE = "duplicate"  # this version already has its final result
    SUPERSEDED = "superseded"  # a newer version of the same key is already recorded
    SOURCE_MISSING = "source_missing"  # the version was deleted before it was read


class EventRejectReason(StrEnum):
    """The event itself cannot be used; logged as ``image.rejected`` alongside the image core's reasons."""

    MALFORMED_EVENT = "malformed_event"
    MALFORMED_RECORD = "malformed_record"
    INVALID_KEY = "invalid_key"  # under uploads/ but not uploads/{user_id}/{file name}
