"""SNS topics: encrypted at rest, with a key the services that publish to them may use."""

from typing import Final

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from .keys import aws_managed
from .properties import is_set, value_if_known
from .resource_types import TOPIC


def _encrypted(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != TOPIC:
        return
    if not is_set(args.props, "kmsMasterKeyId"):
        report(f"topic {args.name} is not encrypted: set kmsMasterKeyId to a customer-managed key", None)
        return
    key = value_if_known(args.props, "kmsMasterKeyId")
    if isinstance(key, str) and aws_managed(key):
        report(
            f"topic {args.name} is encrypted with the AWS-managed key {key}: CloudWatch alarms and S3 cannot "
            f"publish to it (their service principals may not use that key); use a customer-managed key",
            None,
        )


SNS_TOPIC_ENCRYPTED: Final = ResourceValidationPolicy(
    name="sns-topic-encrypted",
    description="Every SNS topic is encrypted with a customer-managed KMS key (kmsMasterKeyId).",
    validate=_encrypted,
    enforcement_level=EnforcementLevel.MANDATORY,
)
