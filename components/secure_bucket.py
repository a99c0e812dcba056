"""SecureBucket: an S3 bucket that is private, encrypted, versioned and TLS-only by construction."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.iam_documents import deny_insecure_transport_policy


@dataclass(frozen=True)
class TagExpiration:
    """Expire current objects carrying tag key=value after `days`."""

    key: str
    value: str
    days: int


@dataclass
class SecureBucketArgs:
    tags: Mapping[str, str]
    """Tags for the bucket (the standard set)."""
    force_destroy: bool = False
    """Let `pulumi destroy` delete a non-empty bucket (dev stacks only)."""
    kms_key_arn: pulumi.Input[str] | None = None
    """SSE-KMS with this key and an S3 bucket key; None means SSE-S3 (AES256)."""
    ia_transition_days: int | None = 30
    """Move current objects to STANDARD_IA after this many days (seed 000); None: never."""
    tag_expirations: Sequence[TagExpiration] = field(default_factory=tuple)
    """Expire objects by tag (thumbnails after 90 days, seed 000)."""
    noncurrent_expiration_days: int = 30
    """Delete noncurrent versions after this many days."""
    abort_multipart_days: int = 7
    """Abort incomplete multipart uploads after this many days."""


class SecureBucket(pulumi.ComponentResource):
    """A private, encrypted, versioned, TLS-only S3 bucket with lifecycle rules."""

    bucket: aws.s3.Bucket
    name: pulumi.Output[str]
    arn: pulumi.Output[str]

    def __init__(self, name: str, args: SecureBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("imagepipe:storage:SecureBucket", name, None, opts)
        self._args = args
        child = pulumi.ResourceOptions(parent=self)
        self.bucket = aws.s3.Bucket(name, force_destroy=args.force_destroy, tags=dict(args.tags), opts=child)
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
        kms = self._args.kms_key_arn
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
        everything = aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix="")
        rules: list[aws.s3.BucketLifecycleConfigurationRuleArgs] = []
        if a.ia_transition_days is not None:
            rules.append(
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id="transition-to-standard-ia",
                    status="Enabled",
                    filter=everything,
                    transitions=[
                        aws.s3.BucketLifecycleConfigurationRuleTransitionArgs(
                            days=a.ia_transition_days, storage_class="STANDARD_IA"
                        )
                    ],
                )
            )
        for exp in a.tag_expirations:
            rules.append(
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id=f"expire-{exp.key.lower()}-{exp.value}",
                    status="Enabled",
                    filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(
                        tag=aws.s3.BucketLifecycleConfigurationRuleFilterTagArgs(key=exp.key, value=exp.value)
                    ),
                    expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=exp.days),
                )
            )
        rules.append(
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="expire-noncurrent-versions",
                status="Enabled",
                filter=everything,
                noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                    noncurrent_days=a.noncurrent_expiration_days
                ),
            )
        )
        rules.append(
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="abort-incomplete-multipart-uploads",
                status="Enabled",
                filter=everything,
                abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                    days_after_initiation=a.abort_multipart_days
                ),
            )
        )
        return aws.s3.BucketLifecycleConfiguration(f"{name}-lifecycle", bucket=self.bucket.id, rules=rules, opts=opts)

    def _tls_only_policy(self, name: str, opts: pulumi.ResourceOptions) -> aws.s3.BucketPolicy:
        policy = self.bucket.arn.apply(lambda arn: json.dumps(deny_insecure_transport_policy(arn)))
        return aws.s3.BucketPolicy(f"{name}-tls-only", bucket=self.bucket.id, policy=policy, opts=opts)
