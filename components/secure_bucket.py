"""SecureBucket: an S3 bucket that is private, encrypted, versioned and TLS-only by construction."""

import json
from collections.abc import Mapping
from typing import Any, Final, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components.compliance.documents import bucket_compliance_statements
from components.iam_documents import deny_insecure_transport_policy
from components.inputs import ArgsCheck, FieldCheck, Rule, Violation, aws_values, each, whole
from components.type_tokens import component_options, type_token

# Defaults of SecureBucketArgs (seed 000 for the transition).
IA_TRANSITION_DAYS: Final = 30
NONCURRENT_EXPIRATION_DAYS: Final = 30
ABORT_MULTIPART_DAYS: Final = 7
# S3 refuses a transition to STANDARD_IA before 30 days ("'Days' in Transition action must be greater
# than or equal to 30 for storageClass 'STANDARD_IA'"; API reference, Transition:
# https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html).
MIN_IA_TRANSITION_DAYS: Final = 30
ia_transition_days: Final = Rule(
    f"0 (never) or at least {MIN_IA_TRANSITION_DAYS} (S3's minimum before STANDARD_IA)",
    lambda v: isinstance(v, int) and not isinstance(v, bool) and (v == 0 or v >= MIN_IA_TRANSITION_DAYS),
)
days: Final = whole(1)


class TagExpirationArgs(TypedDict):
    """Expire current objects that carry one tag after some days."""

    key: str
    """Tag key, e.g. `Type`."""
    value: str
    """Tag value, e.g. `thumbnail`."""
    days: int
    """Days after creation."""


class SecureBucketArgs(TypedDict):
    tags: NotRequired[dict[str, str]]
    """Tags for the bucket; none by default."""
    force_destroy: NotRequired[bool]
    """Let `pulumi destroy` delete a non-empty bucket (disposable stacks only); default false."""
    kms_key_arn: NotRequired[pulumi.Input[str]]
    """SSE-KMS with this key and an S3 bucket key; without it SSE-S3 (AES256)."""
    ia_transition_days: NotRequired[int]
    """Move current objects to STANDARD_IA after this many days; 0: never; default 30."""
    tag_expirations: NotRequired[list[TagExpirationArgs]]
    """Expire objects by tag (thumbnails after 90 days, seed 000); none by default."""
    noncurrent_expiration_days: NotRequired[int]
    """Delete noncurrent versions after this many days; default 30."""
    abort_multipart_days: NotRequired[int]
    """Abort incomplete multipart uploads after this many days; default 7."""
    expiration_days: NotRequired[int]
    """Expire every current object this many days after it was written (a bucket of short-lived files, such
    as reprocessing manifests and reports); default never."""
    strict_policy: NotRequired[bool]
    """Also deny uploads asking for other encryption or another key, and every principal outside the
    account (compliance mode; needs kms_key_arn); default false."""


def _strict_needs_key(values: Mapping[str, Any]) -> None:
    if values.get("strict_policy", False) and "kms_key_arn" not in values:
        raise Violation("given with strict_policy (it denies uploads encrypted with any other key)", None)


INPUTS: Final = ArgsCheck(
    SecureBucketArgs,
    {
        "tags": aws_values.tags,
        "kms_key_arn": aws_values.kms_key_arn,
        "ia_transition_days": ia_transition_days,
        "noncurrent_expiration_days": days,
        "abort_multipart_days": days,
        "expiration_days": days,
        "tag_expirations": each(
            Rule("an expiry of at least 1 day", lambda v: isinstance(v, dict) and days.accepts(v.get("days")))
        ),
    },
    across=(FieldCheck("kms_key_arn", _strict_needs_key),),
)


class SecureBucket(pulumi.ComponentResource):
    """A private, encrypted, versioned, TLS-only S3 bucket with lifecycle rules."""

    name: pulumi.Output[str]
    """The bucket's name."""
    arn: pulumi.Output[str]
    """The bucket's ARN."""

    def __init__(self, name: str, args: SecureBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        args = INPUTS.check("SecureBucket", name, args)
        super().__init__(type_token(SecureBucket), name, None, component_options(SecureBucket, opts))
        self._args = args
        child = pulumi.ResourceOptions(parent=self)
        self.bucket = aws.s3.Bucket(
            name, force_destroy=args.get("force_destroy", False), tags=args.get("tags", {}), opts=child
        )
        self.name = self.bucket.bucket
        self.arn = self.bucket.arn

        public_access_block = self._public_access_block(name, child)
        ownership = self._ownership_controls(name, child)
        self._encryption(name, child)
        versioning = self._versioning(name, child)
        self._lifecycle(name, pulumi.ResourceOptions(parent=self, depends_on=[versioning]))
        # A policy is rejected while the public access block is being applied; order them.
        self._tls_only_policy(name, pulumi.ResourceOptions(parent=self, depends_on=[public_access_block, ownership]))

        self.register_outputs({"name": self.name, "arn": self.arn})

    def _public_access_block(self, name: str, opts: pulumi.ResourceOptions) -> aws.s3.BucketPublicAccessBlock:
        return aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access",
            bucket=self.bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=opts,
        )

    def _ownership_controls(self, name: str, opts: pulumi.ResourceOptions) -> aws.s3.BucketOwnershipControls:
        # ACLs disabled: access is decided by policies alone.
        return aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=self.bucket.id,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=opts,
        )

    def _encryption(self, name: str, opts: pulumi.ResourceOptions) -> aws.s3.BucketServerSideEncryptionConfiguration:
        kms = self._args.get("kms_key_arn")
        default = (
            aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="aws:kms", kms_master_key_id=kms
            )
            if kms is not None
            else aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="AES256"
            )
        )
        return aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=self.bucket.id,
            rules=[
                aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=default,
                    # The bucket key cuts KMS requests (and cost) by orders of magnitude.
                    bucket_key_enabled=kms is not None,
                )
            ],
            opts=opts,
        )

    def _versioning(self, name: str, opts: pulumi.ResourceOptions) -> aws.s3.BucketVersioning:
        return aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=self.bucket.id,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
            opts=opts,
        )

    def _lifecycle(self, name: str, opts: pulumi.ResourceOptions) -> aws.s3.BucketLifecycleConfiguration:
        a = self._args
        ia_days = a.get("ia_transition_days", IA_TRANSITION_DAYS)
        everything = aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix="")
        rules: list[aws.s3.BucketLifecycleConfigurationRuleArgs] = []
        if ia_days > 0:
            rules.append(
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id="transition-to-standard-ia",
                    status="Enabled",
                    filter=everything,
                    transitions=[
                        aws.s3.BucketLifecycleConfigurationRuleTransitionArgs(days=ia_days, storage_class="STANDARD_IA")
                    ],
                )
            )
        if "expiration_days" in a:
            rules.append(
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id="expire-current-objects",
                    status="Enabled",
                    filter=everything,
                    expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=a["expiration_days"]),
                )
            )
        for exp in a.get("tag_expirations", []):
            rules.append(
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id=f"expire-{exp['key'].lower()}-{exp['value']}",
                    status="Enabled",
                    filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(
                        tag=aws.s3.BucketLifecycleConfigurationRuleFilterTagArgs(key=exp["key"], value=exp["value"])
                    ),
                    expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=exp["days"]),
                )
            )
        rules.append(
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="expire-noncurrent-versions",
                status="Enabled",
                filter=everything,
                noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                    noncurrent_days=a.get("noncurrent_expiration_days", NONCURRENT_EXPIRATION_DAYS)
                ),
            )
        )
        rules.append(
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="abort-incomplete-multipart-uploads",
                status="Enabled",
                filter=everything,
                abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                    days_after_initiation=a.get("abort_multipart_days", ABORT_MULTIPART_DAYS)
                ),
            )
        )
        return aws.s3.BucketLifecycleConfiguration(f"{name}-lifecycle", bucket=self.bucket.id, rules=rules, opts=opts)

    def _tls_only_policy(self, name: str, opts: pulumi.ResourceOptions) -> aws.s3.BucketPolicy:
        kms = self._args.get("kms_key_arn")
        if not self._args.get("strict_policy", False) or kms is None:
            policy = self.bucket.arn.apply(lambda arn: json.dumps(deny_insecure_transport_policy(arn)))
        else:
            account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
            policy = pulumi.Output.all(self.bucket.arn, account, kms).apply(
                lambda v: json.dumps(_strict_policy(v[0], v[1], v[2]))
            )
        return aws.s3.BucketPolicy(f"{name}-tls-only", bucket=self.bucket.id, policy=policy, opts=opts)


def _strict_policy(bucket_arn: str, account_id: str, key_arn: str) -> dict[str, object]:
    document = deny_insecure_transport_policy(bucket_arn)
    document["Statement"] = [*document["Statement"], *bucket_compliance_statements(bucket_arn, account_id, key_arn)]
    return document
