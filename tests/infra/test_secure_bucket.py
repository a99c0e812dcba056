"""SecureBucket: private, encrypted, versioned, TLS-only, with lifecycle rules from its Args."""

from typing import Any, cast

import pytest

from components.secure_bucket import SecureBucket, SecureBucketArgs, TagExpirationArgs
from offline.runtime import Evaluation, run_under_mocks
from tests.infra.policy_reading import statements

TAGS = {"Environment": "test", "Project": "imagepipe", "CostCenter": "cc", "ManagedBy": "Pulumi"}
KMS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"


def build(**args: Any) -> Evaluation:
    bucket_args = cast(SecureBucketArgs, {"tags": TAGS, **args})
    return run_under_mocks(lambda: SecureBucket("assets", bucket_args))


@pytest.fixture(scope="module")
def default_bucket() -> Evaluation:
    return build(tag_expirations=[TagExpirationArgs(key="Type", value="thumbnail", days=90)])


def child(ev: Evaluation, type_: str) -> dict[str, Any]:
    return ev.one(type_).inputs


def test_component_has_its_type_token_and_parents_every_child(default_bucket: Evaluation) -> None:
    component = default_bucket.one("imagepipe:index:SecureBucket", "assets")
    children = [r for r in default_bucket.resources if r is not component]
    assert len(children) == 7
    assert all(r.parent_urn == component.urn for r in children)


def test_encryption_defaults_to_aes256_without_bucket_key(default_bucket: Evaluation) -> None:
    sse = child(
        default_bucket,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    )
    (rule,) = sse["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
    assert rule["bucketKeyEnabled"] is False


def test_encryption_uses_the_given_kms_key_with_a_bucket_key() -> None:
    ev = build(kms_key_arn=KMS_KEY)
    sse = child(ev, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    (rule,) = sse["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "aws:kms",
        "kmsMasterKeyId": KMS_KEY,
    }
    assert rule["bucketKeyEnabled"] is True


def test_public_access_is_blocked_by_all_four_flags(default_bucket: Evaluation) -> None:
    block = child(default_bucket, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    assert {f: block[f] for f in flags} == dict.fromkeys(flags, True)


def test_versioning_is_enabled(default_bucket: Evaluation) -> None:
    versioning = child(default_bucket, "aws:s3/bucketVersioning:BucketVersioning")
    assert versioning["versioningConfiguration"] == {"status": "Enabled"}


def test_ownership_is_bucket_owner_enforced_so_acls_are_off(default_bucket: Evaluation) -> None:
    ownership = child(default_bucket, "aws:s3/bucketOwnershipControls:BucketOwnershipControls")
    assert ownership["rule"] == {"objectOwnership": "BucketOwnerEnforced"}


def test_policy_denies_every_request_without_tls(default_bucket: Evaluation) -> None:
    bucket_arn = default_bucket.one("aws:s3/bucket:Bucket").outputs["arn"]
    policy = child(default_bucket, "aws:s3/bucketPolicy:BucketPolicy")["policy"]
    (deny,) = statements(policy).values()
    assert deny["Effect"] == "Deny"
    assert deny["Principal"] == "*"
    assert deny["Action"] == ["s3:*"]
    assert deny["Resource"] == [bucket_arn, f"{bucket_arn}/*"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def _rules(ev: Evaluation) -> dict[str, dict[str, Any]]:
    lifecycle = child(ev, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    assert all(r["status"] == "Enabled" for r in lifecycle["rules"])
    return {r["id"]: r for r in lifecycle["rules"]}


def test_lifecycle_moves_objects_to_standard_ia_after_30_days(default_bucket: Evaluation) -> None:
    rule = _rules(default_bucket)["transition-to-standard-ia"]
    assert rule["transitions"] == [{"days": 30, "storageClass": "STANDARD_IA"}]
    assert rule["filter"] == {"prefix": ""}


def test_lifecycle_expires_objects_tagged_thumbnail_after_90_days(default_bucket: Evaluation) -> None:
    rule = _rules(default_bucket)["expire-type-thumbnail"]
    assert rule["filter"] == {"tag": {"key": "Type", "value": "thumbnail"}}
    assert rule["expiration"] == {"days": 90}


def test_lifecycle_expires_noncurrent_versions(default_bucket: Evaluation) -> None:
    rule = _rules(default_bucket)["expire-noncurrent-versions"]
    assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": 30}


def test_lifecycle_aborts_incomplete_multipart_uploads_after_7_days(default_bucket: Evaluation) -> None:
    rule = _rules(default_bucket)["abort-incomplete-multipart-uploads"]
    assert rule["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": 7}


def test_lifecycle_day_counts_come_from_args() -> None:
    rules = _rules(build(ia_transition_days=45, noncurrent_expiration_days=3, abort_multipart_days=2))
    assert rules["transition-to-standard-ia"]["transitions"][0]["days"] == 45
    assert rules["expire-noncurrent-versions"]["noncurrentVersionExpiration"]["noncurrentDays"] == 3
    assert rules["abort-incomplete-multipart-uploads"]["abortIncompleteMultipartUpload"]["daysAfterInitiation"] == 2


def test_bucket_without_tag_expirations_has_no_expiration_rule() -> None:
    assert not any("expiration" in r for r in _rules(build()).values())


def test_zero_ia_transition_days_means_objects_stay_in_standard() -> None:
    assert "transition-to-standard-ia" not in _rules(build(ia_transition_days=0))


def test_force_destroy_is_off_unless_asked(default_bucket: Evaluation) -> None:
    assert default_bucket.one("aws:s3/bucket:Bucket").inputs.get("forceDestroy", False) is False
    assert build(force_destroy=True).one("aws:s3/bucket:Bucket").inputs["forceDestroy"] is True


def test_policy_waits_for_the_public_access_block(default_bucket: Evaluation) -> None:
    policy = default_bucket.one("aws:s3/bucketPolicy:BucketPolicy")
    block = default_bucket.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    assert block.urn in policy.dependencies


def test_no_deprecated_inline_bucket_arguments_are_used(default_bucket: Evaluation) -> None:
    inline = {"serverSideEncryptionConfiguration", "versioning", "lifecycleRules", "policy", "acl", "logging"}
    assert inline.isdisjoint(default_bucket.one("aws:s3/bucket:Bucket").inputs)
