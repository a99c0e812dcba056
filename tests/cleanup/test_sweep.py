"""The buckets: every version and delete marker older than the age goes, everything newer stays."""

from datetime import timedelta

from emulated_aws.environment import REGION
from emulated_aws.provisioning import create_versioned_bucket
from handlers.telemetry import events as ev
from tests.cleanup.cleanup_deployment import BUCKETS, MAX_AGE_DAYS, CleanupDeployment, boundary
from tests.cleanup.conftest import Request
from tests.handler.deployment import PROCESSED_BUCKET, UPLOAD_BUCKET


def test_versions_older_than_the_age_are_deleted_and_newer_ones_kept(aws: CleanupDeployment) -> None:
    # GIVEN objects in both buckets, some put before a moment and some after it
    old = {b: {aws.put(b, f"old/{i}.jpg") for i in range(3)} for b in BUCKETS}
    moment = boundary()
    new = {b: {aws.put(b, f"new/{i}.jpg") for i in range(2)} for b in BUCKETS}
    # WHEN the cleanup runs when that moment is exactly the age ago
    aws.run(moment + timedelta(days=MAX_AGE_DAYS))
    # THEN only the newer versions are left, in both buckets
    for bucket in BUCKETS:
        assert aws.versions(bucket) == new[bucket]
        assert not old[bucket] & aws.versions(bucket)


def test_a_key_loses_its_old_version_and_keeps_its_new_one(aws: CleanupDeployment) -> None:
    # GIVEN one key with a version from before the moment and one from after it
    old = aws.put(UPLOAD_BUCKET, "uploads/user-42/photo.jpg", b"first")
    moment = boundary()
    new = aws.put(UPLOAD_BUCKET, "uploads/user-42/photo.jpg", b"second")
    # WHEN the cleanup runs with its cutoff at that moment
    aws.run(moment + timedelta(days=MAX_AGE_DAYS))
    # THEN the key is still there with its new version only
    assert aws.versions(UPLOAD_BUCKET) == {new}
    assert old != new
    body = aws.s3.get_object(Bucket=UPLOAD_BUCKET, Key="uploads/user-42/photo.jpg")["Body"].read()
    assert body == b"second"


def test_delete_markers_older_than_the_age_are_deleted(aws: CleanupDeployment) -> None:
    # GIVEN deleted keys: each a version under a delete marker, in both buckets
    for bucket in BUCKETS:
        aws.put(bucket, "gone.jpg")
        aws.delete(bucket, "gone.jpg")
    # WHEN the cleanup runs once both are older than the age
    aws.run_days_later()
    # THEN neither the versions nor the markers are left
    for bucket in BUCKETS:
        assert aws.versions(bucket) == set()
        assert aws.delete_markers(bucket) == set()


def test_a_delete_marker_newer_than_the_age_is_kept(aws: CleanupDeployment) -> None:
    # GIVEN a version from before the moment, deleted (a delete marker) after it
    aws.put(UPLOAD_BUCKET, "photo.jpg")
    moment = boundary()
    marker = aws.delete(UPLOAD_BUCKET, "photo.jpg")
    # WHEN the cleanup runs with its cutoff at that moment
    aws.run(moment + timedelta(days=MAX_AGE_DAYS))
    # THEN the old version is gone and the newer marker stays (the next run takes it once it is old)
    assert aws.versions(UPLOAD_BUCKET) == set()
    assert aws.delete_markers(UPLOAD_BUCKET) == {marker}


def test_more_than_1000_old_versions_are_deleted_in_batches_of_at_most_1000(
    aws: CleanupDeployment, aws_requests: list[Request]
) -> None:
    # GIVEN 2,345 versions (800 keys, up to 3 versions each) in the upload bucket: three listing pages
    for i in range(2345):
        aws.put(UPLOAD_BUCKET, f"uploads/user-{i % 7}/photo-{i % 800:04d}.jpg")
    # WHEN the cleanup runs once they are all older than the age
    summary = aws.run_days_later()
    # THEN every one is gone, deleted by at least 3 DeleteObjects calls of at most 1000 entries
    assert aws.versions(UPLOAD_BUCKET) == set()
    batches = [
        len(r.params["Delete"]["Objects"])
        for r in aws_requests
        if r.operation == "DeleteObjects" and r.params["Bucket"] == UPLOAD_BUCKET
    ]
    assert len(batches) >= 3
    assert max(batches) <= 1000
    assert sum(batches) == 2345
    assert summary[ev.FIELD_UPLOAD_VERSIONS_DELETED] == 2345


def test_empty_buckets_and_table_are_cleaned_without_error_and_count_nothing(
    aws: CleanupDeployment, aws_requests: list[Request]
) -> None:
    # GIVEN nothing in the buckets or the table
    # WHEN the cleanup runs
    summary = aws.run_days_later()
    # THEN it returns (no error), counts nothing and deletes nothing
    assert summary[ev.FIELD_ERRORS] == 0
    counted = {k: v for k, v in summary.items() if k.endswith("_deleted") or k == ev.FIELD_ITEMS_UNDATED}
    assert counted and set(counted.values()) == {0}
    assert {r.operation for r in aws_requests} == {"ListObjectVersions", "Scan"}


def test_a_bucket_the_function_is_not_configured_with_is_never_touched(aws: CleanupDeployment) -> None:
    # GIVEN another versioned bucket in the same account, with old versions and a delete marker
    create_versioned_bucket(aws.s3, "someone-elses-bucket", REGION)
    kept = {aws.put("someone-elses-bucket", f"data/{i}.bin") for i in range(3)}
    marker = aws.delete("someone-elses-bucket", "data/0.bin")
    aws.put(PROCESSED_BUCKET, "renditions/old.webp")
    # WHEN the cleanup runs once everything is older than the age
    aws.run_days_later()
    # THEN its own bucket is cleaned and the other bucket holds all it held
    assert aws.versions(PROCESSED_BUCKET) == set()
    assert aws.versions("someone-elses-bucket") == kept
    assert aws.delete_markers("someone-elses-bucket") == {marker}
