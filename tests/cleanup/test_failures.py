"""What S3 refuses or an AWS error stops: an ERROR line each, the rest still done, the invocation failed.

moto never refuses a DeleteObjects entry, and a botocore hook cannot make it (moto applies the
request anyway), so the client's call is wrapped: the refused entries are taken out of the real
request and answered in ``Errors``, exactly as S3 answers a partial failure.
"""

from datetime import UTC, datetime
from typing import Any

import pytest

from components.monitoring.catalogue import LAMBDA_ERRORS
from handlers import contract
from handlers.cleanup.clients import cleanup_clients
from handlers.cleanup.errors import CleanupIncomplete
from handlers.telemetry import events as ev
from logfilter import evaluate_metric
from tests.cleanup.cleanup_deployment import REQUEST_ID, CleanupDeployment, VersionRef
from tests.conftest import LogLines
from tests.handler.deployment import PROCESSED_BUCKET, UPLOAD_BUCKET

# An upload time before any cutoff here.
LONG_AGO = datetime(2001, 1, 1, tzinfo=UTC)


def refuse_versions(monkeypatch: pytest.MonkeyPatch, refused: set[VersionRef], code: str = "AccessDenied") -> list[int]:
    """Make S3 refuse to delete the versions ``refused`` and delete the rest; returns each call's size."""
    s3 = cleanup_clients().s3
    real = s3.delete_objects
    calls: list[int] = []

    def delete_objects(**request: Any) -> Any:
        objects = request["Delete"]["Objects"]
        calls.append(len(objects))
        applied = [o for o in objects if (o["Key"], o["VersionId"]) not in refused]
        denied = [o for o in objects if (o["Key"], o["VersionId"]) in refused]
        response = real(**{**request, "Delete": {**request["Delete"], "Objects": applied}}) if applied else {}
        if denied:
            response["Errors"] = [{**o, "Code": code, "Message": "Access Denied"} for o in denied]
        return response

    monkeypatch.setattr(s3, "delete_objects", delete_objects)
    return calls


def errors_of(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line for line in lines if line[ev.FIELD_LEVEL] == ev.Level.ERROR]


def test_a_version_s3_refuses_to_delete_is_logged_as_an_error_line(
    aws: CleanupDeployment, monkeypatch: pytest.MonkeyPatch, log_lines: LogLines
) -> None:
    # GIVEN an old version and an old delete marker S3 will refuse to delete, beside one it will delete
    version = aws.put(UPLOAD_BUCKET, "uploads/user-42/a.jpg")
    aws.put(UPLOAD_BUCKET, "uploads/user-42/b.jpg")
    marker = aws.delete(UPLOAD_BUCKET, "uploads/user-42/a.jpg")
    refuse_versions(monkeypatch, {version, marker})
    # WHEN the cleanup runs
    with pytest.raises(CleanupIncomplete):
        aws.run_days_later()
    # THEN each refusal is one ERROR line naming the bucket, key, version, kind and S3's code
    errors = errors_of(log_lines())
    assert sorted((e[ev.FIELD_KEY], e[ev.FIELD_VERSION_ID], e[ev.FIELD_DELETE_MARKER]) for e in errors) == sorted(
        [(*version, False), (*marker, True)]
    )
    for error in errors:
        assert error[ev.FIELD_EVENT] == error[ev.FIELD_MESSAGE] == ev.LogEvent.CLEANUP_DELETE_FAILED
        assert error[ev.FIELD_BUCKET] == UPLOAD_BUCKET
        assert error[ev.FIELD_ERROR_CODE] == "AccessDenied"
        assert error[ev.FIELD_REQUEST_ID] == REQUEST_ID
    assert aws.versions(UPLOAD_BUCKET) == {version}
    assert aws.delete_markers(UPLOAD_BUCKET) == {marker}


def test_the_batches_after_a_refused_version_are_still_deleted(
    aws: CleanupDeployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN 1,010 old versions (two DeleteObjects batches) and one refused in the first batch
    versions = [aws.put(UPLOAD_BUCKET, f"uploads/user-42/photo-{i:04d}.jpg") for i in range(1010)]
    refused = versions[5]
    calls = refuse_versions(monkeypatch, {refused})
    # WHEN the cleanup runs
    with pytest.raises(CleanupIncomplete):
        aws.run_days_later()
    # THEN both batches were sent and everything but the refused version is gone
    assert calls == [1000, 10]
    assert aws.versions(UPLOAD_BUCKET) == {refused}


def test_a_refused_version_fails_the_invocation_after_every_part_ran_and_the_summary_is_logged(
    aws: CleanupDeployment, monkeypatch: pytest.MonkeyPatch, log_lines: LogLines
) -> None:
    # GIVEN an old version S3 refuses in the upload bucket, old versions in the processed bucket, an old item
    refused = aws.put(UPLOAD_BUCKET, "uploads/user-42/a.jpg")
    aws.put(PROCESSED_BUCKET, "renditions/user-42/a/v1/thumb.webp")
    aws.put_item("a", uploaded_at=LONG_AGO)
    refuse_versions(monkeypatch, {refused})
    # WHEN the cleanup runs THEN it raises, naming the count
    with pytest.raises(CleanupIncomplete, match=r"^1 error\(s\): versions or items older than .* remain"):
        aws.run_days_later()
    # AND the processed bucket and the table were still cleaned
    assert aws.versions(PROCESSED_BUCKET) == set()
    assert aws.item_ids() == set()
    # AND the summary, logged last, counts the error
    lines = log_lines()
    assert [line[ev.FIELD_EVENT] for line in lines] == [
        ev.LogEvent.CLEANUP_DELETE_FAILED,
        ev.LogEvent.CLEANUP_COMPLETED,
    ]
    assert lines[-1][ev.FIELD_ERRORS] == 1
    assert lines[-1][ev.FIELD_PROCESSED_VERSIONS_DELETED] == 1
    assert lines[-1][ev.FIELD_ITEMS_DELETED] == 1


def test_an_aws_error_on_one_bucket_stops_only_that_bucket(
    aws: CleanupDeployment, monkeypatch: pytest.MonkeyPatch, log_lines: LogLines
) -> None:
    # GIVEN an upload bucket that does not exist, and old versions and an item elsewhere
    monkeypatch.setenv(contract.ENV_UPLOAD_BUCKET, "imagepipe-test-missing")
    aws.put(PROCESSED_BUCKET, "renditions/user-42/a/v1/thumb.webp")
    aws.put_item("a", uploaded_at=LONG_AGO)
    # WHEN the cleanup runs
    with pytest.raises(CleanupIncomplete, match=r"^1 error"):
        aws.run_days_later()
    # THEN that bucket's failure is one ERROR line with S3's code, and the other parts were done
    (error,) = errors_of(log_lines())
    assert error[ev.FIELD_EVENT] == ev.LogEvent.CLEANUP_FAILED
    assert error[ev.FIELD_BUCKET] == "imagepipe-test-missing"
    assert error[ev.FIELD_ERROR_CODE] == "NoSuchBucket"
    assert aws.versions(PROCESSED_BUCKET) == set()
    assert aws.item_ids() == set()


def test_the_lambda_errors_metric_counts_each_refusal_and_not_the_summary(
    aws: CleanupDeployment, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN two old versions S3 refuses and one it deletes
    refused = {aws.put(UPLOAD_BUCKET, f"uploads/user-42/{n}.jpg") for n in ("a", "b")}
    aws.put(UPLOAD_BUCKET, "uploads/user-42/c.jpg")
    refuse_versions(monkeypatch, refused)
    with pytest.raises(CleanupIncomplete):
        aws.run_days_later()
    # WHEN the run's lines go through the LambdaErrors metric filter
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    result = evaluate_metric(LAMBDA_ERRORS.filter_pattern, LAMBDA_ERRORS.value, lines, LAMBDA_ERRORS.default_value)
    # THEN it counts the two refusals (the INFO summary not)
    assert len(lines) == 3
    assert result.matched_events == 2
