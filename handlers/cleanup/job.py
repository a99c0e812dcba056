"""One cleanup run: both buckets, then the table, then the summary line; failures fail it at the end.

The run touches only what the settings name: the two buckets' listings and the table's scan are
where every deleted version and item comes from. Whatever stops one part (a bucket that is gone, a
denied listing, a stalled endpoint, no time left for another call, an answer it cannot read) is
logged as an ERROR line and the other parts still run; whatever was not deleted makes the run raise
``CleanupIncomplete`` after the summary is written.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from handlers.aws_calls import aws_error_code
from handlers.cleanup.clients import DynamoDbApi, S3Api
from handlers.cleanup.errors import CleanupIncomplete
from handlers.cleanup.metadata import purge_items
from handlers.cleanup.report import BucketTally, CleanupReport, TableTally
from handlers.cleanup.settings import CleanupSettings
from handlers.cleanup.sweep import sweep_bucket
from handlers.telemetry import events as ev
from handlers.telemetry.logger import log_event
from handlers.timestamps import iso_utc

_logger = logging.getLogger(__name__)
_ERROR_EVENTS = (
    ev.LogEvent.CLEANUP_DELETE_FAILED,
    ev.LogEvent.CLEANUP_ITEM_DELETE_FAILED,
    ev.LogEvent.CLEANUP_FAILED,
)


def run_cleanup(settings: CleanupSettings, s3: S3Api, dynamodb: DynamoDbApi, now: datetime) -> CleanupReport:
    """Delete what is older than ``settings.max_age_days`` before ``now`` (timezone-aware)."""
    cutoff = settings.cutoff(now)
    report = CleanupReport(
        cutoff=cutoff,
        max_age_days=settings.max_age_days,
        upload=BucketTally(settings.upload_bucket),
        processed=BucketTally(settings.processed_bucket),
        metadata=TableTally(settings.metadata_table),
    )
    for bucket in (report.upload, report.processed):
        with _logged_aws_errors(bucket, {ev.FIELD_BUCKET: bucket.bucket}):
            sweep_bucket(s3, bucket.bucket, cutoff, bucket)
    with _logged_aws_errors(report.metadata, {ev.FIELD_TABLE: report.metadata.table}):
        purge_items(dynamodb, report.metadata.table, cutoff, report.metadata)
    log_event(_logger, ev.Level.INFO, ev.LogEvent.CLEANUP_COMPLETED, report.summary())
    if report.errors:
        lines = ", ".join(e.value for e in _ERROR_EVENTS)
        raise CleanupIncomplete(
            f"{report.errors} error(s): versions or items older than {iso_utc(cutoff)} remain; see the {lines} lines"
        )
    return report


@contextmanager
def _logged_aws_errors(tally: BucketTally | TableTally, where: dict[str, object]) -> Iterator[None]:
    """An error inside stops only this part: an ERROR line with its traceback, one error counted, the run
    goes on and fails at the end.

    An AWS error, a stalled endpoint, an answer no service gives; and running out of time (a call the
    deadline refused), after which the remaining parts are refused at once, each with its line, so the
    run fails before Lambda's timeout instead of at it.
    """
    try:
        yield
    except Exception as exc:
        tally.errors += 1
        fields = {
            **where,
            ev.FIELD_ERROR_TYPE: type(exc).__name__,
            ev.FIELD_ERROR_CODE: aws_error_code(exc),
            ev.FIELD_ERROR_MESSAGE: str(exc),
        }
        log_event(_logger, ev.Level.ERROR, ev.LogEvent.CLEANUP_FAILED, fields, exc_info=exc)
