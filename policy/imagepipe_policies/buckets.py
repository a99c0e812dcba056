"""S3 buckets: private, encrypted, TLS-only (mandatory) and tidied by lifecycle rules (advisory).

In pulumi-aws v7 each of these is a resource of its own beside the bucket, so these are stack policies:
each bucket is matched to the companions whose `bucket` names it (`stack.points_at`). The components'
`SecureBucket` makes all of them; a bucket created any other way is held to the same rules.
"""

from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)

from .documents import Statement, UnreadableDocument, statements
from .properties import is_set, listed, value_at, value_if_known
from .resource_types import (
    BUCKET_ENCRYPTION,
    BUCKET_LIFECYCLE,
    BUCKET_POLICY,
    BUCKET_VERSIONING,
    BUCKETS,
    PUBLIC_ACCESS_BLOCK,
)
from .stack import judge_each, of_type, points_at

PUBLIC_ACCESS_FLAGS: Final = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
SSE_ALGORITHMS: Final = ("AES256", "aws:kms", "aws:kms:dsse")


def companions(bucket: PolicyResource, resources: Sequence[PolicyResource], *types: str) -> list[PolicyResource]:
    """The resources of `types` whose `bucket` is this bucket (by its name, which is also its id)."""
    return [
        r
        for r in of_type(resources, *types)
        if points_at(r, "bucket", [value_if_known(r.props, "bucket")], bucket, ("bucket", "id"))
    ]


def _public_access_blocked(args: StackValidationArgs, report: ReportViolation) -> None:
    def judge(bucket: PolicyResource) -> None:
        blocks = companions(bucket, args.resources, PUBLIC_ACCESS_BLOCK)
        if not blocks:
            report(
                f"bucket {bucket.name} has no BucketPublicAccessBlock: a policy or an ACL could make it public",
                bucket.urn,
            )
        for block in blocks:
            off = [flag for flag in PUBLIC_ACCESS_FLAGS if value_at(block.props, flag) is not True]
            if off:
                report(
                    f"{block.name} (bucket {bucket.name}) leaves {', '.join(off)} off: all four must be true", block.urn
                )

    judge_each(of_type(args.resources, *BUCKETS), judge)


def _encrypted(args: StackValidationArgs, report: ReportViolation) -> None:
    def judge(bucket: PolicyResource) -> None:
        configurations = companions(bucket, args.resources, *BUCKET_ENCRYPTION)
        if not configurations:
            report(f"bucket {bucket.name} has no BucketServerSideEncryptionConfiguration", bucket.urn)
        for configuration in configurations:
            rules = listed(value_at(configuration.props, "rules"))
            algorithms = [value_at(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm") for rule in rules]
            if not algorithms or any(a not in SSE_ALGORITHMS for a in algorithms):
                report(
                    f"{configuration.name} (bucket {bucket.name}) must encrypt by default with one of "
                    f"{', '.join(SSE_ALGORITHMS)}; it has {algorithms or 'no rule'}",
                    configuration.urn,
                )

    judge_each(of_type(args.resources, *BUCKETS), judge)


def denies_insecure_transport(statement: Statement, bucket_arn: str | None) -> bool:
    """A Deny of every S3 action, to everyone, on the bucket and its objects, when the request is not TLS.

    Without the bucket's ARN (not known yet) the statement's resources are not checked."""
    if statement.effect != "Deny" or "*" not in statement.principals:
        return False
    if not any(action.lower() in ("*", "s3:*") for action in statement.actions):
        return False
    if "false" not in statement.condition_values(("Bool", "BoolIfExists"), "aws:SecureTransport"):
        return False
    if bucket_arn is None or "*" in statement.resources:
        return True
    return {bucket_arn, f"{bucket_arn}/*"} <= set(statement.resources)


def _tls_only(args: StackValidationArgs, report: ReportViolation) -> None:
    def judge(bucket: PolicyResource) -> None:
        policies = companions(bucket, args.resources, BUCKET_POLICY)
        arn = value_if_known(bucket.props, "arn")
        for policy in policies:
            try:
                if any(denies_insecure_transport(s, arn) for s in statements(value_at(policy.props, "policy"))):
                    return
            except UnreadableDocument as error:
                report(f"{policy.name} (bucket {bucket.name}): cannot read its policy ({error})", policy.urn)
                return
        where = f"its BucketPolicy {policies[0].name}" if policies else "it has no BucketPolicy, and"
        report(
            f"bucket {bucket.name}: {where} does not deny every s3 action on the bucket and its objects when "
            f'aws:SecureTransport is "false" (principal *)',
            bucket.urn,
        )

    judge_each(of_type(args.resources, *BUCKETS), judge)


def _whole_bucket(rule: Mapping[str, Any]) -> bool:
    """A lifecycle rule that applies to every object (no prefix, tag or size filter)."""
    narrowing = ("and", "tag", "prefix", "objectSizeGreaterThan", "objectSizeLessThan")
    rule_filter = value_at(rule, "filter")
    if not isinstance(rule_filter, Mapping):
        return not is_set(rule, "prefix")
    return not any(is_set(rule_filter, key) for key in narrowing)


def _versioned(bucket: PolicyResource, resources: Sequence[PolicyResource]) -> bool:
    """Versioning enabled, or suspended after being enabled: either way noncurrent versions pile up."""
    return any(
        value_at(v.props, "versioningConfiguration", "status") in ("Enabled", "Suspended")
        for v in companions(bucket, resources, *BUCKET_VERSIONING)
    )


def _lifecycle(args: StackValidationArgs, report: ReportViolation) -> None:
    def judge(bucket: PolicyResource) -> None:
        rules = [
            rule
            for configuration in companions(bucket, args.resources, *BUCKET_LIFECYCLE)
            for rule in listed(value_at(configuration.props, "rules"))
            if value_at(rule, "status") == "Enabled" and _whole_bucket(rule)
        ]
        missing = []
        if not any(is_set(rule, "abortIncompleteMultipartUpload", "daysAfterInitiation") for rule in rules):
            missing.append("abort incomplete multipart uploads")
        if _versioned(bucket, args.resources) and not any(
            is_set(rule, "noncurrentVersionExpiration", "noncurrentDays") for rule in rules
        ):
            missing.append("expire noncurrent versions")
        if missing:
            report(
                f"bucket {bucket.name} has no enabled whole-bucket lifecycle rule to {' or to '.join(missing)}: "
                f"what they keep is invisible in a listing and billed until someone deletes it",
                bucket.urn,
            )

    judge_each(of_type(args.resources, *BUCKETS), judge)


BUCKET_PUBLIC_ACCESS_BLOCKED: Final = StackValidationPolicy(
    name="s3-bucket-public-access-blocked",
    description="Every S3 bucket has a public access block with all four settings true.",
    validate=_public_access_blocked,
    enforcement_level=EnforcementLevel.MANDATORY,
)

BUCKET_ENCRYPTED: Final = StackValidationPolicy(
    name="s3-bucket-encrypted",
    description="Every S3 bucket has a default server-side encryption configuration (SSE-S3 or SSE-KMS).",
    validate=_encrypted,
    enforcement_level=EnforcementLevel.MANDATORY,
)

BUCKET_TLS_ONLY: Final = StackValidationPolicy(
    name="s3-bucket-tls-only",
    description="Every S3 bucket has a bucket policy that denies any request not made over TLS.",
    validate=_tls_only,
    enforcement_level=EnforcementLevel.MANDATORY,
)

# Advisory: a bucket whose every version must be kept (legal hold, an audit archive) rightly has no
# noncurrent expiration, and a bucket that never takes multipart uploads gains little from the abort rule.
BUCKET_LIFECYCLE_RULES: Final = StackValidationPolicy(
    name="s3-bucket-lifecycle-rules",
    description="Every S3 bucket aborts incomplete multipart uploads and, when versioned, expires noncurrent versions.",
    validate=_lifecycle,
    enforcement_level=EnforcementLevel.ADVISORY,
)
