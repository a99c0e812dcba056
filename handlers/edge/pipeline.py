"""One S3 event in: each record becomes renditions, a metadata item and one log line.

Records are independent. A record's outcome is one of: processed (``completed``), rejected
(the upload or the record can never work; recorded, not retried), skipped (nothing to do), or
failed (an AWS error or too little time left; recorded as ``failed`` where that does not hide
a newer result). After every record has had its turn, failures raise one ``TransientError`` so
Lambda retries the event; records that already finished are recognised and skipped then.

``reprocess`` takes one version the table already records through the same steps, for S3 Batch
Operations (handlers.reprocessor): an image whose renditions are current costs one read and no
write; otherwise it is rendered again with the function's renditions, the item rewritten, and the
renditions it no longer makes removed. Either path removes those only after the new set is stored
and the item written, and never a key of the new set.

DELETE wins (handlers/tombstone.py). The pipeline meets the owner's tombstone at one of three moments:
reading the item before anything else, having its item write refused, or (when it wrote again after the
item: renditions no longer made, removed) reading once more at the end. Whichever it is, it removes every
version under the image's renditions folder and the original version the record names, writes nothing
else, and logs ``image.skipped`` with reason ``deleted``. A failure that meets the tombstone is retried,
and the retry finds it first. So every write of the pipeline is followed by a look at the table, and
whatever an upload wrote after DELETE looked is removed by the upload itself.
"""

import logging
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import Enum
from functools import cached_property
from typing import Final

from botocore.exceptions import ClientError

from handlers.contract import ImageStatus
from handlers.edge.errors import RecordFailure, RemainingTimeTooShort, SourceMissing, TransientError
from handlers.edge.events import Malformed, ObjectCreated, ParsedRecord, Skipped, parse_event
from handlers.edge.lambda_context import LambdaContext
from handlers.edge.metadata import ItemGone, MetadataTable, Recorded, WriteRule
from handlers.edge.outcomes import EventRejectReason, Outcome, Refused, Rendered, SkipReason, Unchanged
from handlers.edge.retryable import passes_on_retry
from handlers.edge.settings import Settings
from handlers.edge.storage import Storage
from handlers.image_item import ImageRecord, StoredRendition
from handlers.imaging.errors import Rejected
from handlers.imaging.process import process_image
from handlers.imaging.types import SourceInfo
from handlers.key_layout import (
    InvalidUploadKey,
    UploadKey,
    image_id_for,
    parse_upload_key,
    rendition_key,
    rendition_prefix,
    version_token,
)
from handlers.object_versions import ObjectVersion
from handlers.telemetry.events import (
    ERROR_CODE_ACCESS_DENIED,
    FIELD_BUCKET,
    FIELD_DETAIL,
    FIELD_ERROR_CODE,
    FIELD_ERROR_MESSAGE,
    FIELD_ERROR_TYPE,
    FIELD_FINGERPRINT,
    FIELD_FORMAT,
    FIELD_HEIGHT,
    FIELD_IMAGE_ID,
    FIELD_IMAGE_SIZE_BYTES,
    FIELD_KEY,
    FIELD_PROCESSING_TIME_MS,
    FIELD_REASON,
    FIELD_RENDITION_COUNT,
    FIELD_RENDITIONS_REMOVED,
    FIELD_VERSION_ID,
    FIELD_VERSIONS_DELETED,
    FIELD_WIDTH,
    PROCESSED_LEVEL,
    Level,
    LogEvent,
)
from handlers.telemetry.logger import log_event
from handlers.timestamps import iso_utc
from handlers.tombstone import Tombstone

_logger = logging.getLogger(__name__)
# S3 says AccessDenied, DynamoDB and KMS AccessDeniedException, and a bare HTTP 403 (HEAD
# requests, some proxies and emulators) comes as "403" or "Forbidden": one code for one alarm.
_ACCESS_DENIED_CODES: Final = frozenset({ERROR_CODE_ACCESS_DENIED, "AccessDeniedException", "403", "Forbidden"})
_HTTP_FORBIDDEN: Final = 403
# When the pipeline met the owner's tombstone (the detail of its image.skipped line).
_BEFORE: Final = "before its upload was processed"
_WHILE: Final = "while its upload was processed"
_AFTER: Final = "as its upload was processed"


class Delivery(Enum):
    """How a version reached the pipeline, which decides when its item may be written."""

    EVENT = "s3 event"  # an ObjectCreated record: the item moves forward only
    REPROCESS = "reprocess"  # a Batch Operations task for the version the item records


@dataclass
class _Attempt:
    """One ObjectCreated record on its way through; what is known so far goes into the item."""

    record: ObjectCreated
    request_id: str
    started: float = field(default_factory=time.perf_counter)
    owner: UploadKey | None = None
    source: SourceInfo | None = None
    timings_ms: dict[str, int] = field(default_factory=dict)
    # The version's token as the item records it (reprocessing), so renditions keep their keys.
    recorded_token: str | None = None
    # Every rendition version this attempt stored, so exactly these can be taken back.
    stored_versions: list[ObjectVersion] = field(default_factory=list)

    @cached_property
    def image_id(self) -> str:
        return image_id_for(self.record.key)

    @cached_property
    def version_token(self) -> str:
        return self.recorded_token or version_token(self.record.version_id, self.record.sequencer)

    def lap(self, name: str, since: float) -> float:
        now = time.perf_counter()
        self.timings_ms[name] = _ms(now - since)
        return now

    def log_fields(self) -> dict[str, object]:
        r = self.record
        return {
            FIELD_BUCKET: r.bucket,
            FIELD_KEY: r.key,
            FIELD_VERSION_ID: r.version_id,
            FIELD_IMAGE_ID: self.image_id,
        }

    def item(
        self,
        status: ImageStatus,
        *,
        renditions: tuple[StoredRendition, ...] = (),
        fingerprint: str | None = None,
        reason: str | None = None,
        detail: str | None = None,
        error_type: str | None = None,
        error_code: str | None = None,
        error_message: str | None = None,
    ) -> ImageRecord:
        r, source = self.record, self.source
        return ImageRecord(
            image_id=self.image_id,
            source_bucket=r.bucket,
            source_key=r.key,
            source_version_id=r.version_id,
            sequencer=r.sequencer,
            version_token=self.version_token,
            uploaded_at=r.uploaded_at,
            status=status,
            updated_at=iso_utc(datetime.now(UTC)),
            request_id=self.request_id,
            user_id=self.owner.user_id if self.owner else None,
            file_name=self.owner.file_name if self.owner else None,
            size_bytes=source.size_bytes if source else r.size,
            format=source.format if source else None,
            width=source.width if source else None,
            height=source.height if source else None,
            has_alpha=source.has_alpha if source else None,
            renditions=renditions,
            fingerprint=fingerprint,
            reason=reason,
            detail=detail,
            error_type=error_type,
            error_code=error_code,
            error_message=error_message,
            timings_ms={**self.timings_ms, "total": _ms(time.perf_counter() - self.started)},
        )


class Pipeline:
    def __init__(
        self,
        settings: Settings,
        storage: Storage,
        table: MetadataTable,
        context: LambdaContext,
        failure_table: MetadataTable | None = None,
    ) -> None:
        """``failure_table`` records failures (default ``table``): the handler's may write in the time the
        invocation keeps back for it, after the other calls have given up (handlers.aws_budget)."""
        self._settings = settings
        self._storage = storage
        self._table = table
        self._context = context
        self._failure_table = failure_table or table

    def handle_event(self, event: object) -> None:
        outcomes = [self._handle(parsed) for parsed in parse_event(event)]
        failures = [o for o in outcomes if isinstance(o, RecordFailure)]
        if failures:
            raise TransientError(failures)

    def reprocess(self, bucket: str, key: str, version_id: str | None) -> Outcome:
        """Render this version again unless its item already lists the renditions the function makes now.

        Never creates an item, and writes one only for the version it records: a version the table does
        not know, or no longer holds as the latest, is left to the S3 event path.
        """
        attempt = _Attempt(ObjectCreated(bucket, key, version_id, None, "", ""), self._context.aws_request_id)
        try:
            try:
                self._check_time()
                recorded = self._table.recorded(attempt.image_id)
                if isinstance(recorded, Tombstone):
                    attempt.owner = parse_upload_key(key)
                    if recorded.stops(attempt.owner.user_id):
                        return self._withdraw(attempt, _BEFORE)
                    return self._skip(attempt, SkipReason.NOT_RECORDED, "no metadata item names this key")
                if recorded is None or recorded.uploaded_at is None:
                    return self._skip(attempt, SkipReason.NOT_RECORDED, "no metadata item names this key")
                if recorded.source_version_id != version_id:
                    detail = f"the table records version {recorded.source_version_id} of this key"
                    return self._skip(attempt, SkipReason.SUPERSEDED, detail)
                if recorded.is_current(self._settings.fingerprint):
                    return self._skip(attempt, SkipReason.CURRENT)
                attempt = _Attempt(
                    replace(attempt.record, sequencer=recorded.sequencer, uploaded_at=recorded.uploaded_at),
                    attempt.request_id,
                    recorded_token=recorded.version_token,
                )
                attempt.owner = parse_upload_key(key)
                return self._process(attempt, attempt.owner, Delivery.REPROCESS)
            except InvalidUploadKey as exc:
                return self._reject(attempt, EventRejectReason.INVALID_KEY.value, str(exc), Delivery.REPROCESS)
            except Rejected as exc:
                return self._reject(attempt, exc.reason.value, exc.detail, Delivery.REPROCESS)
            except SourceMissing as exc:
                return self._skip(attempt, SkipReason.SOURCE_MISSING, detail=str(exc))
            except ItemGone as exc:
                return self._skip(attempt, SkipReason.NOT_RECORDED, detail=str(exc))
        except Exception as exc:
            # The item keeps the last result it recorded; the job's report holds this failure.
            return self._fail(attempt, exc, record=False)

    def _handle(self, parsed: ParsedRecord) -> Outcome:
        if isinstance(parsed, Skipped):
            fields = {FIELD_BUCKET: parsed.bucket, FIELD_KEY: parsed.key, FIELD_REASON: parsed.reason.value}
            log_event(_logger, Level.INFO, LogEvent.SKIPPED, fields)
            return Unchanged(parsed.reason)
        if isinstance(parsed, Malformed):
            fields = {
                FIELD_BUCKET: parsed.bucket,
                FIELD_KEY: parsed.key,
                FIELD_REASON: parsed.reason.value,
                FIELD_DETAIL: parsed.detail,
            }
            log_event(_logger, Level.WARNING, LogEvent.REJECTED, fields)
            return Refused(parsed.reason.value, parsed.detail)
        return self._handle_upload(_Attempt(parsed, self._context.aws_request_id))

    def _handle_upload(self, attempt: _Attempt) -> Outcome:
        # Everything not decided below (AWS errors, time, a bug) is worth a retry, then the failure queue.
        try:
            try:
                self._check_time()
                attempt.owner = parse_upload_key(attempt.record.key)
                return self._process(attempt, attempt.owner, Delivery.EVENT)
            except InvalidUploadKey as exc:
                return self._reject(attempt, EventRejectReason.INVALID_KEY.value, str(exc), Delivery.EVENT)
            except Rejected as exc:
                return self._reject(attempt, exc.reason.value, exc.detail, Delivery.EVENT)
            except SourceMissing as exc:
                return self._skip(attempt, SkipReason.SOURCE_MISSING, detail=str(exc))
        except Exception as exc:
            return self._fail(attempt, exc)

    def _check_time(self) -> None:
        remaining_ms = self._context.get_remaining_time_in_millis()
        if remaining_ms < self._settings.min_remaining_ms:
            raise RemainingTimeTooShort(f"{remaining_ms} ms left, {self._settings.min_remaining_ms} ms needed to start")

    def _process(self, attempt: _Attempt, owner: UploadKey, delivery: Delivery) -> Outcome:
        r, settings = attempt.record, self._settings
        if delivery is Delivery.EVENT:
            recorded = self._table.recorded(attempt.image_id)
            if isinstance(recorded, Tombstone):
                if recorded.stops(owner.user_id):
                    return self._withdraw(attempt, _BEFORE)
            elif recorded is not None and (reason := _stale(recorded, r.sequencer)) is not None:
                return self._skip(attempt, reason)

        lap = time.perf_counter()
        data = self._storage.read_upload(r.bucket, r.key, r.version_id, settings.limits.max_bytes)
        lap = attempt.lap("download", lap)
        processed = process_image(data, settings.renditions, settings.limits)
        attempt.source = processed.source
        lap = attempt.lap("process", lap)
        stored: list[StoredRendition] = []
        for rendition in processed.renditions:
            key = rendition_key(
                owner.user_id, attempt.image_id, attempt.version_token, rendition.name, rendition.format
            )
            version = self._storage.put_rendition(settings.processed_bucket, key, rendition)
            attempt.stored_versions.append({"Key": key, "VersionId": version})
            stored.append(
                StoredRendition(
                    name=rendition.name,
                    format=rendition.format.value,
                    key=key,
                    content_type=rendition.content_type,
                    width=rendition.width,
                    height=rendition.height,
                    bytes=len(rendition.data),
                )
            )
        attempt.lap("store", lap)

        # Only now, with every rendition stored, may the item say completed.
        item = attempt.item(ImageStatus.COMPLETED, renditions=tuple(stored), fingerprint=settings.fingerprint)
        try:
            written = self._table.record(
                item, WriteRule.MOVES_FORWARD if delivery is Delivery.EVENT else WriteRule.REFRESHES
            )
        except ItemGone:
            # The item went while the image was being reprocessed (no tombstone: not by the API): leave
            # none of what this task stored behind.
            self._discard(attempt)
            raise
        if isinstance(written, Tombstone):
            # An S3 event's write is refused only by the owner's tombstone (it writes over any other).
            if written.stops(owner.user_id):
                return self._withdraw(attempt, _WHILE)
            self._discard(attempt)
            raise ItemGone(attempt.image_id)
        if isinstance(written, Recorded):
            return self._skip(attempt, _blocked(written, r.sequencer, delivery))
        # Only now, with the new set stored and the item naming it, may the old set go.
        obsolete = _no_longer_made(
            written.previous_renditions, stored, rendition_prefix(owner.user_id, attempt.image_id)
        )
        not_removed = sum(not self._remove(attempt, rendition) for rendition in obsolete)
        if obsolete:
            # Those deletes wrote delete markers after the item: a DELETE that listed the folder before
            # them would leave them behind, so look once more.
            now = self._table.recorded(attempt.image_id)
            if isinstance(now, Tombstone) and now.stops(owner.user_id):
                return self._withdraw(attempt, _AFTER)
        source = processed.source
        fields = {
            **attempt.log_fields(),
            FIELD_PROCESSING_TIME_MS: item.timings_ms["total"],
            FIELD_IMAGE_SIZE_BYTES: source.size_bytes,
            FIELD_WIDTH: source.width,
            FIELD_HEIGHT: source.height,
            FIELD_FORMAT: source.format,
            FIELD_RENDITION_COUNT: len(stored),
            FIELD_FINGERPRINT: settings.fingerprint,
            FIELD_RENDITIONS_REMOVED: len(obsolete) - not_removed,
        }
        log_event(_logger, PROCESSED_LEVEL, LogEvent.PROCESSED, fields)
        return Rendered(len(stored), removed=len(obsolete) - not_removed, not_removed=not_removed)

    def _remove(self, attempt: _Attempt, rendition: StoredRendition) -> bool:
        """Delete one rendition no longer made; a failure is an ERROR line, never the record's failure.

        The item already names the new set, so retrying the record would find nothing to do: the
        line is what tells someone a stale rendition was left behind.
        """
        try:
            self._storage.delete_rendition(self._settings.processed_bucket, rendition.key)
        except Exception as exc:
            fields = {
                **attempt.log_fields(),
                FIELD_DETAIL: rendition.key,
                FIELD_ERROR_TYPE: type(exc).__name__,
                FIELD_ERROR_CODE: _error_code(exc),
                FIELD_ERROR_MESSAGE: str(exc),
            }
            log_event(_logger, Level.ERROR, LogEvent.RENDITION_NOT_REMOVED, fields)
            return False
        return True

    def _reject(self, attempt: _Attempt, reason: str, detail: str, delivery: Delivery) -> Outcome:
        rule = WriteRule.MOVES_FORWARD if delivery is Delivery.EVENT else WriteRule.FILLS_IN
        item = attempt.item(ImageStatus.REJECTED, reason=reason, detail=detail or None)
        blocked = self._table.record(item, rule)
        if isinstance(blocked, Tombstone):
            if attempt.owner is not None and blocked.stops(attempt.owner.user_id):
                return self._withdraw(attempt, _WHILE)
            # Reprocessing a key whose item is gone (refused by a tombstone the owner did not write).
            return self._skip(attempt, SkipReason.NOT_RECORDED, "no metadata item names this key")
        if isinstance(blocked, Recorded) and delivery is Delivery.EVENT:
            return self._skip(attempt, _stale(blocked, attempt.record.sequencer) or SkipReason.DUPLICATE)
        # Reprocessing: a completed item keeps its renditions, but the task still failed for this reason.
        fields = {**attempt.log_fields(), FIELD_REASON: reason, FIELD_DETAIL: detail or None}
        log_event(_logger, Level.WARNING, LogEvent.REJECTED, fields)
        return Refused(reason, detail)

    def _skip(self, attempt: _Attempt, reason: SkipReason, detail: str | None = None) -> Unchanged:
        fields = {**attempt.log_fields(), FIELD_REASON: reason.value, FIELD_DETAIL: detail}
        log_event(_logger, Level.INFO, LogEvent.SKIPPED, fields)
        return Unchanged(reason, detail)

    def _fail(self, attempt: _Attempt, exc: Exception, record: bool = True) -> RecordFailure:
        error_type, error_code = type(exc).__name__, _error_code(exc)
        not_recorded = None
        deleted = False
        try:
            if record:
                failed = attempt.item(
                    ImageStatus.FAILED, error_type=error_type, error_code=error_code, error_message=str(exc)[:1000]
                )
                # Refused when a final result of this version or any result of a newer one exists, or the
                # owner's tombstone.
                deleted = isinstance(self._failure_table.record(failed), Tombstone)
            elif attempt.stored_versions:
                # A reprocess records no failure; having stored renditions, it still looks for the tombstone.
                deleted = isinstance(self._failure_table.recorded(attempt.image_id), Tombstone)
        except Exception as record_exc:
            what = "the failed status was not recorded" if record else "the table was not read"
            not_recorded = f"{what}: {type(record_exc).__name__}: {record_exc}"
        if deleted:
            # Retried (a Batch Operations task too), the record finds the tombstone first and removes it all.
            not_recorded = "the image was deleted meanwhile: the retry removes what this attempt left"
        fields = {
            **attempt.log_fields(),
            FIELD_ERROR_TYPE: error_type,
            FIELD_ERROR_CODE: error_code,
            FIELD_ERROR_MESSAGE: str(exc),
            FIELD_DETAIL: not_recorded,
        }
        log_event(_logger, Level.ERROR, LogEvent.FAILED, fields, exc_info=exc)
        temporary = deleted or passes_on_retry(exc)
        return RecordFailure(attempt.record.key, error_type, error_code, str(exc), temporary)

    def _withdraw(self, attempt: _Attempt, when: str) -> Unchanged:
        """The owner deleted the image: remove what its uploads left and write nothing else.

        Every version and delete marker under the image's renditions folder (this attempt's, an earlier
        attempt's, any other version's), and the original version this record names. An S3 error fails
        the record; the tombstone stays, so its retry withdraws again.
        """
        r, owner = attempt.record, attempt.owner
        renditions = 0
        if owner is not None:
            folder = rendition_prefix(owner.user_id, attempt.image_id)
            renditions = self._storage.remove_every_version(self._settings.processed_bucket, folder)
        original = self._storage.remove_upload(r.bucket, r.key, r.version_id)
        detail = (
            f"deleted by its owner {when}: {renditions} rendition version(s) removed, "
            f"the original version {'removed' if original else 'already gone'}"
        )
        fields = {
            **attempt.log_fields(),
            FIELD_REASON: SkipReason.DELETED.value,
            FIELD_DETAIL: detail,
            FIELD_VERSIONS_DELETED: renditions + int(original),
        }
        log_event(_logger, Level.INFO, LogEvent.SKIPPED, fields)
        return Unchanged(SkipReason.DELETED, detail)

    def _discard(self, attempt: _Attempt) -> None:
        """Delete exactly the rendition versions this attempt stored (its item could not be written)."""
        if attempt.stored_versions:
            self._storage.remove_versions(self._settings.processed_bucket, attempt.stored_versions)


def _stale(recorded: Recorded, sequencer: str) -> SkipReason | None:
    """Why an event with this sequencer has nothing left to do, given what the table holds."""
    if recorded.sequencer > sequencer:
        return SkipReason.SUPERSEDED
    if recorded.sequencer == sequencer and recorded.is_final:
        return SkipReason.DUPLICATE
    return None


def _blocked(recorded: Recorded, sequencer: str, delivery: Delivery) -> SkipReason:
    """Why a completed item was not written: a newer version won, or this one is already recorded."""
    if recorded.sequencer != sequencer:
        return SkipReason.SUPERSEDED
    if delivery is Delivery.REPROCESS:  # same version, same fingerprint: another task got there first
        return SkipReason.CURRENT
    return _stale(recorded, sequencer) or SkipReason.DUPLICATE


def _no_longer_made(
    previous: tuple[StoredRendition, ...], stored: list[StoredRendition], folder: str
) -> list[StoredRendition]:
    """The previous item's renditions whose name and format the function does not make any more.

    Never a key of the new set, and never a key outside this image's own folder, whatever the old item says.
    """
    made = {(s.name, s.format) for s in stored}
    keys = {s.key for s in stored}
    return [p for p in previous if (p.name, p.format) not in made and p.key not in keys and p.key.startswith(folder)]


def _error_code(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code") or "Unknown")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return ERROR_CODE_ACCESS_DENIED if code in _ACCESS_DENIED_CODES or status == _HTTP_FORBIDDEN else code
    return type(exc).__name__


def _ms(seconds: float) -> int:
    return round(seconds * 1000)
