"""Compliance mode (`compliance: true`): functions in private subnets, data at rest under customer-managed keys.

"Customer-managed" means a key the account creates and whose policy it writes (README, "Compliance
mode"): not a service's own key (SSE-S3, DynamoDB's AWS-owned key, SSE-SQS, CloudWatch Logs' default)
and not an AWS-managed alias (`alias/aws/s3`, ...), whose use the account cannot restrict.
"""

from collections.abc import Callable, Mapping
from typing import Any, Final

from pulumi_policy import ReportViolation, ResourceValidationArgs

from .keys import aws_managed
from .posture import COMPLIANCE, resource_policy_when
from .properties import is_set, listed, value_at, value_if_known
from .resource_types import BUCKET_ENCRYPTION, FUNCTION, LOG_GROUP, QUEUE, TABLE


def _in_vpc(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != FUNCTION:
        return
    missing = [key for key in ("subnetIds", "securityGroupIds") if not is_set(args.props, "vpcConfig", key)]
    if missing:
        report(f"function {args.name} runs outside the private network: vpcConfig has no {' or '.join(missing)}", None)


def _customer_key(props: Mapping[str, Any], *path: str) -> str | None:
    """Why the key at `path` is not customer-managed, or None when it is (or is another resource's output)."""
    if not is_set(props, *path):
        return f"no {'.'.join(path)}"
    key = value_if_known(props, *path)
    if isinstance(key, str) and aws_managed(key):
        return f"{'.'.join(path)} is the AWS-managed {key}"
    return None


def _problem(why: str | None) -> list[str]:
    return [why] if why else []


def _table(props: Mapping[str, Any]) -> list[str]:
    if value_at(props, "serverSideEncryption", "enabled") is not True:
        return ["serverSideEncryption is not enabled (DynamoDB's AWS-owned key)"]
    return _problem(_customer_key(props, "serverSideEncryption", "kmsKeyArn"))


def _queue(props: Mapping[str, Any]) -> list[str]:
    return _problem(_customer_key(props, "kmsMasterKeyId"))


def _bucket_encryption(props: Mapping[str, Any]) -> list[str]:
    rules = listed(value_at(props, "rules"))
    if not rules:
        return ["no rule"]
    problems: list[str] = []
    for rule in rules:
        algorithm = value_at(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm")
        if algorithm not in ("aws:kms", "aws:kms:dsse"):
            problems.append(f"sseAlgorithm {algorithm} (not SSE-KMS)")
        elif why := _customer_key(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"):
            problems.append(why)
    return problems


def _log_group(props: Mapping[str, Any]) -> list[str]:
    return _problem(_customer_key(props, "kmsKeyId"))


_AT_REST: Final[dict[str, Callable[[Mapping[str, Any]], list[str]]]] = {
    TABLE: _table,
    QUEUE: _queue,
    LOG_GROUP: _log_group,
    **dict.fromkeys(BUCKET_ENCRYPTION, _bucket_encryption),
}


def _customer_managed_keys(args: ResourceValidationArgs, report: ReportViolation) -> None:
    judge = _AT_REST.get(args.resource_type)
    for problem in judge(args.props) if judge else []:
        report(f"{args.name} does not encrypt with a customer-managed key: {problem}", None)


COMPLIANCE_FUNCTIONS_IN_VPC: Final = resource_policy_when(
    COMPLIANCE,
    name="compliance-functions-in-vpc",
    description="In compliance mode every Lambda function runs in the VPC (subnets and security groups).",
    validate=_in_vpc,
)

COMPLIANCE_CUSTOMER_MANAGED_KEYS: Final = resource_policy_when(
    COMPLIANCE,
    name="compliance-customer-managed-keys",
    description="In compliance mode tables, queues, bucket encryption and log groups use customer-managed KMS keys.",
    validate=_customer_managed_keys,
)
