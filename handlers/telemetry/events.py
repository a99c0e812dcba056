"""Log event and field names: the contract the CloudWatch metric filters are built from.

Every log line is one JSON object (Lambda's JSON log format): ``timestamp``, ``level``,
``message``, ``logger``, ``requestId`` plus the fields below at top level. ``message`` and
``event`` both carry the event name; metric filters match on ``event``.
"""

from enum import StrEnum
from typing import Final


class LogEvent(StrEnum):
    """What happened to one upload."""

    PROCESSED = "image.processed"
    REJECTED = "image.rejected"
    FAILED = "image.failed"
    SKIPPED = "image.skipped"
    # A rendition the item listed but the function no longer makes could not be deleted (an ERROR line).
    RENDITION_NOT_REMOVED = "image.rendition_not_removed"
    # The reprocessing function's answer to one S3 Batch Operations task (handlers.reprocessor).
    REPROCESS_TASK = "reprocess.task"
    # The image API function's events (handlers.image_api): a request answered 500, an image deleted.
    API_FAILED = "api.failed"
    API_IMAGE_DELETED = "api.image_deleted"
    # The cleanup function's events (handlers.cleanup_handler): the run's summary; an object version or
    # delete marker S3 refused to delete; a metadata item still unprocessed after the last retry; a
    # bucket or the table whose sweep an AWS error stopped. Every one but the summary is an ERROR line.
    CLEANUP_COMPLETED = "cleanup.completed"
    CLEANUP_DELETE_FAILED = "cleanup.delete_failed"
    CLEANUP_ITEM_DELETE_FAILED = "cleanup.item_delete_failed"
    CLEANUP_FAILED = "cleanup.failed"
    # The alert formatter's events (handlers.alert_formatter): an email published for an alarm's state
    # change; a repeated notification of a change already sent; a record that is no CloudWatch alarm;
    # evidence that could not be gathered (the email says so); an email that could not be published.
    ALERT_SENT = "alert.sent"
    ALERT_DUPLICATE = "alert.duplicate"
    ALERT_IGNORED = "alert.ignored"
    ALERT_EVIDENCE_UNAVAILABLE = "alert.evidence_unavailable"
    # The ledger could not be read or written: the email goes out without the one-per-change check.
    ALERT_LEDGER_UNAVAILABLE = "alert.ledger_unavailable"
    ALERT_FAILED = "alert.failed"


class Level(StrEnum):
    """Values of the ``level`` field as Lambda's JSON log format writes them."""

    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


# The level of each upload's image.processed line: the success metrics count it, and the cost model
# bills its bytes where the functions' log level keeps it.
PROCESSED_LEVEL: Final = Level.INFO


# Fields Lambda's JSON log format writes on every line.
FIELD_LEVEL: Final = "level"
FIELD_MESSAGE: Final = "message"
FIELD_TIMESTAMP: Final = "timestamp"
FIELD_LOGGER: Final = "logger"
FIELD_REQUEST_ID: Final = "requestId"

# Fields the handler adds.
FIELD_EVENT: Final = "event"
FIELD_BUCKET: Final = "bucket"
FIELD_KEY: Final = "key"
FIELD_VERSION_ID: Final = "version_id"
FIELD_IMAGE_ID: Final = "image_id"
FIELD_PROCESSING_TIME_MS: Final = "processing_time_ms"
FIELD_IMAGE_SIZE_BYTES: Final = "image_size_bytes"
FIELD_WIDTH: Final = "width"
FIELD_HEIGHT: Final = "height"
FIELD_FORMAT: Final = "format"
FIELD_RENDITION_COUNT: Final = "rendition_count"
FIELD_REASON: Final = "reason"
FIELD_ERROR_TYPE: Final = "error_type"
FIELD_ERROR_CODE: Final = "error_code"
FIELD_DETAIL: Final = "detail"  # human-readable why, next to a machine-readable reason
FIELD_ERROR_MESSAGE: Final = "error_message"
FIELD_FINGERPRINT: Final = "fingerprint"  # the rendering fingerprint of what was just made
FIELD_RENDITIONS_REMOVED: Final = "renditions_removed"  # no longer configured, deleted after the item was written

# Fields the reprocessing function adds (one reprocess.task line per S3 Batch Operations task).
FIELD_JOB_ID: Final = "job_id"
FIELD_TASK_ID: Final = "task_id"
FIELD_RESULT_CODE: Final = "result_code"  # Succeeded, TemporaryFailure or PermanentFailure
FIELD_OUTCOME: Final = "outcome"  # OUTCOME_RENDERED, or why nothing was rendered (a skip reason, ...)
OUTCOME_RENDERED: Final = "rendered"
FIELD_JOB_ARGUMENTS: Final = "job_arguments"  # the job's userArguments

# Fields the image API function adds.
FIELD_API_REQUEST_ID: Final = "api_request_id"  # API Gateway's request id, the one a 500 tells the client
FIELD_HTTP_METHOD: Final = "http_method"
FIELD_RESOURCE: Final = "resource"  # the API Gateway resource path, e.g. /images/{id}
FIELD_USER_ID: Final = "user_id"
FIELD_VERSIONS_DELETED: Final = "versions_deleted"  # object versions and delete markers removed

# Fields the cleanup function adds (its summary counts by bucket role, so a filter's path never
# depends on a stack's bucket names).
FIELD_CUTOFF: Final = "cutoff"  # ISO-8601 UTC: what was last modified (uploaded) before it was deleted
FIELD_MAX_AGE_DAYS: Final = "max_age_days"
FIELD_TABLE: Final = "table"
FIELD_UPLOAD_BUCKET: Final = "upload_bucket"
FIELD_PROCESSED_BUCKET: Final = "processed_bucket"
FIELD_UPLOAD_VERSIONS_DELETED: Final = "upload_versions_deleted"
FIELD_UPLOAD_DELETE_MARKERS_DELETED: Final = "upload_delete_markers_deleted"
FIELD_PROCESSED_VERSIONS_DELETED: Final = "processed_versions_deleted"
FIELD_PROCESSED_DELETE_MARKERS_DELETED: Final = "processed_delete_markers_deleted"
FIELD_ITEMS_DELETED: Final = "items_deleted"
FIELD_ITEMS_UNDATED: Final = "items_undated"  # items kept because they carry no readable upload time
FIELD_ERRORS: Final = "errors"  # versions and items not deleted, plus parts an AWS error stopped
FIELD_DELETE_MARKER: Final = "delete_marker"  # true when the version S3 refused is a delete marker

# Fields the alert formatter adds.
FIELD_ALARM: Final = "alarm"
FIELD_STATE: Final = "state"
FIELD_STATE_CHANGE_TIME: Final = "state_change_time"
FIELD_MATCHING_LINES: Final = "matching_lines"

# error_code values the alarms single out.
ERROR_CODE_ACCESS_DENIED: Final = "AccessDenied"

# Lines Lambda itself writes into the same log group in JSON log format (not the handler's).
# The Python runtime's line for an exception the handler did not catch, or for a failed init:
# awslambdaric bootstrap.log_error writes {"timestamp", "log_level": "ERROR", "errorMessage",
# "errorType", "requestId", "stackTrace"}; from awslambdaric 4.0.4 the key is "level" instead.
FIELD_RUNTIME_LOG_LEVEL: Final = "log_level"
FIELD_RUNTIME_ERROR_TYPE: Final = "errorType"
FIELD_RUNTIME_ERROR_MESSAGE: Final = "errorMessage"
# System (platform) lines: {"time", "type": "platform.<event>", "record": {...}}, no level field;
# a timed-out invocation's platform.report has record.status "timeout" (Telemetry API schema).
FIELD_PLATFORM_TYPE: Final = "type"
FIELD_PLATFORM_STATUS: Final = "record.status"  # a path: status inside the record object
PLATFORM_REPORT: Final = "platform.report"
PLATFORM_STATUS_TIMEOUT: Final = "timeout"
