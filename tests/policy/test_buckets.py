"""Buckets: public access blocked, encrypted, TLS-only (mandatory), lifecycle rules (advisory)."""

from typing import Any

from pulumi_policy import EnforcementLevel

from policy.imagepipe_policies import resource_types as t
from policy.imagepipe_policies.buckets import (
    BUCKET_ENCRYPTED,
    BUCKET_LIFECYCLE_RULES,
    BUCKET_PUBLIC_ACCESS_BLOCKED,
    BUCKET_TLS_ONLY,
)
from tests.policy.engine import judge_stack, stack_resource, urn_of
from tests.policy.handmade import (
    KEY_ARN,
    UNKNOWN,
    bucket_arn,
    bucket_parts,
    bucket_stack,
    deny_insecure_transport,
    document,
)

BUCKET_POLICIES = (BUCKET_PUBLIC_ACCESS_BLOCKED, BUCKET_ENCRYPTED, BUCKET_TLS_ONLY, BUCKET_LIFECYCLE_RULES)


def props_of(role: str, bucket: str = "photos") -> dict[str, Any]:
    """A fresh copy of one companion's props, to change."""
    return bucket_parts(bucket)[role][1]


def test_a_bucket_with_every_companion_securebucket_makes_meets_every_bucket_rule() -> None:
    resources = bucket_stack() + bucket_stack("renditions")
    for policy in BUCKET_POLICIES:
        assert judge_stack(policy, resources).messages == [], policy.name


# Public access


def test_a_bucket_without_a_public_access_block_is_refused() -> None:
    verdict = judge_stack(BUCKET_PUBLIC_ACCESS_BLOCKED, bucket_stack(public_access=None))
    assert verdict.messages == ["bucket photos has no BucketPublicAccessBlock: a policy or an ACL could make it public"]
    assert verdict.violations[0].urn == urn_of(t.BUCKETS[0], "photos")


def test_a_public_access_block_with_a_setting_off_is_refused_naming_the_setting() -> None:
    block = {**props_of("public_access"), "restrictPublicBuckets": False}
    verdict = judge_stack(BUCKET_PUBLIC_ACCESS_BLOCKED, bucket_stack(public_access=block))
    assert verdict.messages == [
        "photos-public-access (bucket photos) leaves restrictPublicBuckets off: all four must be true"
    ]


def test_another_buckets_public_access_block_does_not_cover_a_bucket() -> None:
    resources = bucket_stack("photos") + bucket_stack("renditions", public_access=None)
    assert judge_stack(BUCKET_PUBLIC_ACCESS_BLOCKED, resources).messages == [
        "bucket renditions has no BucketPublicAccessBlock: a policy or an ACL could make it public"
    ]


def test_in_a_preview_a_companion_is_matched_by_its_property_dependency_on_the_bucket() -> None:
    # GIVEN a new bucket, whose id the block's `bucket` holds and which a preview cannot know yet
    bucket = stack_resource(t.BUCKETS[0], {"bucket": "photos-3f2a", "arn": UNKNOWN}, "photos")
    block = stack_resource(
        t.PUBLIC_ACCESS_BLOCK,
        {**props_of("public_access"), "bucket": UNKNOWN},
        "photos-public-access",
        property_dependencies={"bucket": [bucket]},
    )
    # THEN the engine's property dependency ties them together
    verdict = judge_stack(BUCKET_PUBLIC_ACCESS_BLOCKED, [bucket, block])
    assert (verdict.messages, verdict.unknown) == ([], None)


# Encryption


def test_a_bucket_without_an_encryption_configuration_is_refused() -> None:
    assert judge_stack(BUCKET_ENCRYPTED, bucket_stack(encryption=None)).messages == [
        "bucket photos has no BucketServerSideEncryptionConfiguration"
    ]


def test_sse_kms_with_a_key_counts_as_encrypted() -> None:
    kms_default = {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY_ARN}
    kms = {"bucket": "photos", "rules": [{"applyServerSideEncryptionByDefault": kms_default, "bucketKeyEnabled": True}]}
    assert judge_stack(BUCKET_ENCRYPTED, bucket_stack(encryption=kms)).messages == []


def test_an_encryption_configuration_without_a_default_algorithm_is_refused() -> None:
    empty = {"bucket": "photos", "rules": [{"bucketKeyEnabled": True}]}
    assert judge_stack(BUCKET_ENCRYPTED, bucket_stack(encryption=empty)).messages == [
        "photos-encryption (bucket photos) must encrypt by default with one of AES256, aws:kms, aws:kms:dsse; "
        "it has [None]"
    ]


# TLS only


def test_a_bucket_without_a_bucket_policy_is_refused() -> None:
    assert judge_stack(BUCKET_TLS_ONLY, bucket_stack(policy=None)).messages == [
        "bucket photos: it has no BucketPolicy, and does not deny every s3 action on the bucket and its objects "
        'when aws:SecureTransport is "false" (principal *)'
    ]


def test_the_strict_compliance_policy_still_counts_as_tls_only() -> None:
    strict = document(
        deny_insecure_transport("photos"),
        {
            "Sid": "DenyOutsideAccount",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [bucket_arn("photos"), f"{bucket_arn('photos')}/*"],
            "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "123456789012"}},
        },
    )
    assert judge_stack(BUCKET_TLS_ONLY, bucket_stack(policy={"bucket": "photos", "policy": strict})).messages == []


def test_a_deny_that_leaves_out_the_transport_condition_or_the_objects_is_not_tls_only() -> None:
    statement = deny_insecure_transport("photos")
    no_condition = {k: v for k, v in statement.items() if k != "Condition"}
    bucket_only = {**statement, "Resource": bucket_arn("photos")}
    only_puts = {**statement, "Action": "s3:PutObject"}
    for broken in (no_condition, bucket_only, only_puts):
        policy = {"bucket": "photos", "policy": document(broken)}
        assert judge_stack(BUCKET_TLS_ONLY, bucket_stack(policy=policy)).messages == [
            "bucket photos: its BucketPolicy photos-tls-only does not deny every s3 action on the bucket and its "
            'objects when aws:SecureTransport is "false" (principal *)'
        ], broken


def test_a_bucket_policy_that_is_not_json_is_reported_not_judged() -> None:
    verdict = judge_stack(BUCKET_TLS_ONLY, bucket_stack(policy={"bucket": "photos", "policy": "{"}))
    assert verdict.messages[0].startswith("photos-tls-only (bucket photos): cannot read its policy (not JSON:")


def test_in_a_preview_an_unknown_policy_stops_only_its_own_bucket() -> None:
    # GIVEN one bucket whose policy document is not known yet and one with no policy at all
    unknown = bucket_stack("photos", policy={"bucket": "photos", "policy": UNKNOWN})
    resources = unknown + bucket_stack("renditions", policy=None)
    verdict = judge_stack(BUCKET_TLS_ONLY, resources)
    # THEN the other bucket is still refused, and the SDK is told the policy could not finish
    assert verdict.messages == [
        "bucket renditions: it has no BucketPolicy, and does not deny every s3 action on the bucket and its "
        'objects when aws:SecureTransport is "false" (principal *)'
    ]
    assert verdict.unknown == "string value at .policy can't be known during preview"


# Lifecycle (advisory)


def test_lifecycle_rules_are_advisory() -> None:
    assert BUCKET_LIFECYCLE_RULES.enforcement_level is EnforcementLevel.ADVISORY


def test_a_versioned_bucket_without_lifecycle_rules_is_told_what_it_keeps() -> None:
    assert judge_stack(BUCKET_LIFECYCLE_RULES, bucket_stack(lifecycle=None)).messages == [
        "bucket photos has no enabled whole-bucket lifecycle rule to abort incomplete multipart uploads or to "
        "expire noncurrent versions: what they keep is invisible in a listing and billed until someone deletes it"
    ]


def test_an_unversioned_bucket_needs_no_noncurrent_expiration() -> None:
    lifecycle = props_of("lifecycle")
    del lifecycle["rules"][0]  # keep only the abort rule
    resources = bucket_stack(versioning=None, lifecycle=lifecycle)
    assert judge_stack(BUCKET_LIFECYCLE_RULES, resources).messages == []


def test_a_rule_limited_to_a_prefix_or_disabled_does_not_cover_the_bucket() -> None:
    for narrowed in ({"filter": {"prefix": "uploads/"}}, {"status": "Disabled"}):
        lifecycle = props_of("lifecycle")
        lifecycle["rules"][1].update(narrowed)
        assert judge_stack(BUCKET_LIFECYCLE_RULES, bucket_stack(lifecycle=lifecycle)).messages == [
            "bucket photos has no enabled whole-bucket lifecycle rule to abort incomplete multipart uploads: what "
            "they keep is invisible in a listing and billed until someone deletes it"
        ], narrowed
