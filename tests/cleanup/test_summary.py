"""The summary: one INFO line at the end of a run, counting what went, by bucket role, and the cutoff."""

from datetime import timedelta

from handlers.telemetry import events as ev
from handlers.timestamps import iso_utc
from tests.cleanup.cleanup_deployment import MAX_AGE_DAYS, REQUEST_ID, CleanupDeployment, boundary
from tests.conftest import LogLines
from tests.handler.deployment import PROCESSED_BUCKET, TABLE, UPLOAD_BUCKET

# What Lambda's JSON log format writes on every line.
LAMBDA_FIELDS = {ev.FIELD_TIMESTAMP, ev.FIELD_LEVEL, ev.FIELD_MESSAGE, ev.FIELD_LOGGER, ev.FIELD_REQUEST_ID}


def test_the_summary_line_counts_what_was_deleted(aws: CleanupDeployment, log_lines: LogLines) -> None:
    # GIVEN before a moment: 3 versions and a deleted key (version + marker) in the upload bucket,
    # 2 versions in the processed bucket; after it: one more of each; items 4 old, 1 new
    for i in range(3):
        aws.put(UPLOAD_BUCKET, f"uploads/user-42/{i}.jpg")
    aws.put(UPLOAD_BUCKET, "uploads/user-42/gone.jpg")
    aws.delete(UPLOAD_BUCKET, "uploads/user-42/gone.jpg")
    for i in range(2):
        aws.put(PROCESSED_BUCKET, f"renditions/user-42/{i}/v1/thumb.webp")
    moment = boundary()
    aws.put(UPLOAD_BUCKET, "uploads/user-42/new.jpg")
    aws.put(PROCESSED_BUCKET, "renditions/user-42/new/v1/thumb.webp")
    for i in range(4):
        aws.put_item(f"old-{i}", uploaded_at=moment - timedelta(minutes=i + 1))
    aws.put_item("new", uploaded_at=moment + timedelta(minutes=1))
    # WHEN the cleanup runs with its cutoff at that moment
    aws.run(moment + timedelta(days=MAX_AGE_DAYS))
    # THEN its last line is the summary, with exactly these counts
    (summary,) = [line for line in log_lines() if line[ev.FIELD_EVENT] == ev.LogEvent.CLEANUP_COMPLETED]
    assert summary[ev.FIELD_LEVEL] == ev.Level.INFO
    assert summary[ev.FIELD_MESSAGE] == ev.LogEvent.CLEANUP_COMPLETED
    assert summary[ev.FIELD_REQUEST_ID] == REQUEST_ID
    assert {k: v for k, v in summary.items() if k not in LAMBDA_FIELDS} == {
        ev.FIELD_EVENT: ev.LogEvent.CLEANUP_COMPLETED,
        ev.FIELD_CUTOFF: iso_utc(moment),
        ev.FIELD_MAX_AGE_DAYS: MAX_AGE_DAYS,
        ev.FIELD_UPLOAD_BUCKET: UPLOAD_BUCKET,
        ev.FIELD_UPLOAD_VERSIONS_DELETED: 4,
        ev.FIELD_UPLOAD_DELETE_MARKERS_DELETED: 1,
        ev.FIELD_PROCESSED_BUCKET: PROCESSED_BUCKET,
        ev.FIELD_PROCESSED_VERSIONS_DELETED: 2,
        ev.FIELD_PROCESSED_DELETE_MARKERS_DELETED: 0,
        ev.FIELD_TABLE: TABLE,
        ev.FIELD_ITEMS_DELETED: 4,
        ev.FIELD_ITEMS_UNDATED: 0,
        ev.FIELD_ERRORS: 0,
    }


def test_the_handler_returns_what_the_summary_line_says(aws: CleanupDeployment, log_lines: LogLines) -> None:
    # GIVEN an old version
    aws.put(UPLOAD_BUCKET, "uploads/user-42/a.jpg")
    # WHEN the cleanup runs
    returned = aws.run_days_later()
    # THEN it returns the summary's fields (for a manual `aws lambda invoke`)
    (summary,) = log_lines()
    assert returned == {k: v for k, v in summary.items() if k not in {*LAMBDA_FIELDS, ev.FIELD_EVENT}}
    assert returned[ev.FIELD_UPLOAD_VERSIONS_DELETED] == 1
