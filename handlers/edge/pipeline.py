"""One S3 event in: each record becomes renditions, a metadata item and one log line.

Records are independent. A record's outcome is one of: processed (``completed``), rejected
(the upload or the record can never work; recorded, not retried), skipped (nothing to do), or
failed (an AWS error or too little time left; recorded as ``failed`` where that does not hide
a newer result). After every record has had its turn, failures raise one ``TransientError`` so
Lambda retries the event; records that already finished are recognised and skipped then.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Final

from botocore.exceptions import ClientError

from handlers.contract import ImageStatus
from handlers.edge.errors import RecordFailure, RemainingTimeTooShort, SourceMissing, TransientError
from handlers.edge.events import Malformed, ObjectCreated, ParsedRecord, Skipped, parse_event
from handlers.edge.keys import (
    InvalidUploadKey,
    UploadKey,
    image_id_for,
    parse_upload_key,
    rendition_key,
    version_token,
)
from handlers.edge.lambda_context import LambdaContext
from handlers.edge.metadata import ImageRecord, MetadataTable, Recorded, StoredRendition
from handlers.edge.outcomes import EventRejectReason, SkipReason
from handlers.edge.settings import Settings
from handlers.edge.storage import Storage
from handlers.imaging.errors import Rejected
from handlers.imaging.process import process_image
from handlers.imaging.types import SourceInfo
from handlers.telemetry.events import (
    ERROR_CODE_ACCESS_DENIED,
    FIELD_BUCKET,
    FIELD_DETAIL,
    FIELD_ERROR_CODE,
    FIELD_ERROR_MESSAGE,
    FIELD_ERROR_TYPE,
    FIELD_FORMAT,
    FIELD_HEIGHT,
    FIELD_IMAGE_ID,
    FIELD_IMAGE_SIZE_BYTES,
    FIELD_KEY,
    FIELD_PROCESSING_TIME_MS,
    FIELD_REASON,
    FIELD_RENDITION_COUNT,
    FIELD_VERSION_ID,
    FIELD_WIDTH,
    Level,
    LogEvent,
)
from handlers.telemetry.logger import log_event
from handlers.timestamps import iso_utc

_logger = logging.getLogger(__name__)
# S3 says AccessDenied, DynamoDB and KMS AccessDeniedException, and a bare HTTP 403 (HEAD
# requests, some proxies and emulators) comes as "403" or "Forbidden": one code for one alarm.
_ACCESS_DENIED_CODES: Final = frozenset({ERROR_CODE_ACCESS_DENIED, "AccessDeniedException", "403", "Forbidden"})
_HTTP_FORBIDDEN: Final = 403


@dataclass
class _Attempt:
    """One ObjectCreated record on its way through; what is known so far goes into the item."""

    record: ObjectCreated
    request_id: str
    started: float = field(default_factory=time.perf_counter)
    owner: UploadKey | None = None
    source: SourceInfo | None = None
    timings_ms: dict[str, int] = field(default_factory=dict)

    @cached_property
    def image_id(self) -> str:
        return image_id_for(self.record.key)

    @cached_property
    def version_token(self) -> str:
        return version_token(self.record.version_id, self.record.sequencer)

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
        failures = [f for parsed in parse_event(event) if (f := self._handle(parsed)) is not None]
        if failures:
            raise TransientError(failures)

    def _handle(self, parsed: ParsedRecord) -> RecordFailure | None:
        if isinstance(parsed, Skipped):
            fields = {FIELD_BUCKET: parsed.bucket, FIELD_KEY: parsed.key, FIELD_REASON: parsed.reason.value}
            log_event(_logger, Level.INFO, LogEvent.SKIPPED, fields)
            return None
        if isinstance(parsed, Malformed):
            fields = {
                FIELD_BUCKET: parsed.bucket,
                FIELD_KEY: parsed.key,
                FIELD_REASON: parsed.reason.value,
                FIELD_DETAIL: parsed.detail,
            }
            log_event(_logger, Level.WARNING, LogEvent.REJECTED, fields)
            return None
        return self._handle_upload(_Attempt(parsed, self._context.aws_request_id))

    def _handle_upload(self, attempt: _Attempt) -> RecordFailure | None:
        # Everything not decided below (AWS errors, time, a bug) is worth a retry, then the failure queue.
        try:
            try:
                remaining_ms = self._context.get_remaining_time_in_millis()
                if remaining_ms < self._settings.min_remaining_ms:
                    raise RemainingTimeTooShort(
                        f"{remaining_ms} ms left, {self._settings.min_remaining_ms} ms needed to start"
                    )
                attempt.owner = parse_upload_key(attempt.record.key)
                self._process(attempt, attempt.owner)
            except InvalidUploadKey as exc:
                self._reject(attempt, EventRejectReason.INVALID_KEY.value, str(exc))
            except Rejected as exc:
                self._reject(attempt, exc.reason.value, exc.detail)
            except SourceMissing as exc:
                self._skip(attempt, SkipReason.SOURCE_MISSING, detail=str(exc))
        except Exception as exc:
            return self._fail(attempt, exc)
        return None

    def _process(self, attempt: _Attempt, owner: UploadKey) -> None:
        r, settings = attempt.record, self._settings
        recorded = self._table.recorded(attempt.image_id)
        if recorded is not None and (reason := _stale(recorded, r.sequencer)) is not None:
            self._skip(attempt, reason)
            return

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
            self._storage.put_rendition(settings.processed_bucket, key, rendition)
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
        item = attempt.item(ImageStatus.COMPLETED, renditions=tuple(stored))
        blocked = self._table.record(item)
        if blocked is not None:
            self._skip(attempt, _stale(blocked, r.sequencer) or SkipReason.DUPLICATE)
            return
        source = processed.source
        fields = {
            **attempt.log_fields(),
            FIELD_PROCESSING_TIME_MS: item.timings_ms["total"],
            FIELD_IMAGE_SIZE_BYTES: source.size_bytes,
            FIELD_WIDTH: source.width,
            FIELD_HEIGHT: source.height,
            FIELD_FORMAT: source.format,
            FIELD_RENDITION_COUNT: len(stored),
        }
        log_event(_logger, Level.INFO, LogEvent.PROCESSED, fields)

    def _reject(self, attempt: _Attempt, reason: str, detail: str) -> None:
        blocked = self._table.record(attempt.item(ImageStatus.REJECTED, reason=reason, detail=detail or None))
        if blocked is not None:
            self._skip(attempt, _stale(blocked, attempt.record.sequencer) or SkipReason.DUPLICATE)
            return
        fields = {**attempt.log_fields(), FIELD_REASON: reason, FIELD_DETAIL: detail or None}
        log_event(_logger, Level.WARNING, LogEvent.REJECTED, fields)

    def _skip(self, attempt: _Attempt, reason: SkipReason, detail: str | None = None) -> None:
        fields = {**attempt.log_fields(), FIELD_REASON: reason.value, FIELD_DETAIL: detail}
        log_event(_logger, Level.INFO, LogEvent.SKIPPED, fields)

    def _fail(self, attempt: _Attempt, exc: Exception) -> RecordFailure:
        error_type, error_code = type(exc).__name__, _error_code(exc)
        failed = attempt.item(
            ImageStatus.FAILED, error_type=error_type, error_code=error_code, error_message=str(exc)[:1000]
        )
        not_recorded = None
        try:
            # Refused when a final result of this version or any result of a newer one exists.
            self._failure_table.record(failed)
        except Exception as record_exc:
            not_recorded = f"the failed status was not recorded: {type(record_exc).__name__}: {record_exc}"
        fields = {
            **attempt.log_fields(),
            FIELD_ERROR_TYPE: error_type,
            FIELD_ERROR_CODE: error_code,
            FIELD_ERROR_MESSAGE: str(exc),
            FIELD_DETAIL: not_recorded,
        }
        log_event(_logger, Level.ERROR, LogEvent.FAILED, fields, exc_info=exc)
        return RecordFailure(attempt.record.key, error_type, error_code)


def _stale(recorded: Recorded, sequencer: str) -> SkipReason | None:
    """Why an event with this sequencer has nothing left to do, given what the table holds."""
    if recorded.sequencer > sequencer:
        return SkipReason.SUPERSEDED
    if recorded.sequencer == sequencer and recorded.is_final:
        return SkipReason.DUPLICATE
    return None


def _error_code(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code") or "Unknown")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return ERROR_CODE_ACCESS_DENIED if code in _ACCESS_DENIED_CODES or status == _HTTP_FORBIDDEN else code
    return type(exc).__name__


def _ms(seconds: float) -> int:
    return round(seconds * 1000)
