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


class Level(StrEnum):
    """Values of the ``level`` field as Lambda's JSON log format writes them."""

    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


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
