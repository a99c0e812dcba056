"""What one run deleted, what it could not, and the summary line's fields."""

from dataclasses import dataclass
from datetime import datetime

from handlers.telemetry import events as ev
from handlers.timestamps import iso_utc


@dataclass
class BucketTally:
    """One bucket's counts, updated as each batch is answered (so a sweep an error stops still counts)."""

    bucket: str
    versions_deleted: int = 0
    delete_markers_deleted: int = 0
    errors: int = 0  # versions and delete markers S3 refused, plus 1 if an AWS error stopped the sweep


@dataclass
class TableTally:
    table: str
    items_deleted: int = 0
    items_undated: int = 0  # kept: no upload time to judge their age by
    errors: int = 0  # items still unprocessed after the last retry, plus 1 if an AWS error stopped the scan


@dataclass
class CleanupReport:
    cutoff: datetime
    max_age_days: int
    upload: BucketTally
    processed: BucketTally
    metadata: TableTally

    @property
    def errors(self) -> int:
        return self.upload.errors + self.processed.errors + self.metadata.errors

    def summary(self) -> dict[str, object]:
        """The ``cleanup.completed`` line's fields (flat, so a metric filter's path is ``$.name``)."""
        return {
            ev.FIELD_CUTOFF: iso_utc(self.cutoff),
            ev.FIELD_MAX_AGE_DAYS: self.max_age_days,
            ev.FIELD_UPLOAD_BUCKET: self.upload.bucket,
            ev.FIELD_UPLOAD_VERSIONS_DELETED: self.upload.versions_deleted,
            ev.FIELD_UPLOAD_DELETE_MARKERS_DELETED: self.upload.delete_markers_deleted,
            ev.FIELD_PROCESSED_BUCKET: self.processed.bucket,
            ev.FIELD_PROCESSED_VERSIONS_DELETED: self.processed.versions_deleted,
            ev.FIELD_PROCESSED_DELETE_MARKERS_DELETED: self.processed.delete_markers_deleted,
            ev.FIELD_TABLE: self.metadata.table,
            ev.FIELD_ITEMS_DELETED: self.metadata.items_deleted,
            ev.FIELD_ITEMS_UNDATED: self.metadata.items_undated,
            ev.FIELD_ERRORS: self.errors,
        }
