"""Compliance mode: functions in the VPC; tables, queues, bucket encryption and log groups under customer keys."""

from typing import Any

from pulumi_policy import Policy

from policy.imagepipe_policies import resource_types as t
from policy.imagepipe_policies.compliance import COMPLIANCE_CUSTOMER_MANAGED_KEYS, COMPLIANCE_FUNCTIONS_IN_VPC
from tests.policy.engine import judge, resource_args
from tests.policy.handmade import KEY_ARN, UNKNOWN, function

COMPLIANCE = {"compliance": True}
VPC = {"subnetIds": ["subnet-a", "subnet-b"], "securityGroupIds": ["sg-functions"]}


def messages(policy: Policy, resource_type: str, props: dict[str, Any]) -> list[str]:
    return judge(policy, resource_args(resource_type, props, "subject", COMPLIANCE)).messages


def test_a_function_in_private_subnets_passes() -> None:
    assert messages(COMPLIANCE_FUNCTIONS_IN_VPC, t.FUNCTION, function(vpcConfig=VPC)) == []


def test_a_function_outside_the_vpc_or_without_a_security_group_is_refused() -> None:
    assert messages(COMPLIANCE_FUNCTIONS_IN_VPC, t.FUNCTION, function()) == [
        "function subject runs outside the private network: vpcConfig has no subnetIds or securityGroupIds"
    ]
    no_groups = function(vpcConfig={**VPC, "securityGroupIds": []})
    assert messages(COMPLIANCE_FUNCTIONS_IN_VPC, t.FUNCTION, no_groups) == [
        "function subject runs outside the private network: vpcConfig has no securityGroupIds"
    ]


def test_without_compliance_mode_neither_rule_applies() -> None:
    for policy in (COMPLIANCE_FUNCTIONS_IN_VPC, COMPLIANCE_CUSTOMER_MANAGED_KEYS):
        verdict = judge(policy, resource_args(t.FUNCTION, function(), "subject", {"compliance": False}))
        assert verdict.not_applicable == "compliance: false in the policy pack config"


def kms_rule(algorithm: str, key: str | None = None) -> dict[str, Any]:
    default: dict[str, Any] = {"sseAlgorithm": algorithm}
    if key is not None:
        default["kmsMasterKeyId"] = key
    return {"bucket": "uploads", "rules": [{"applyServerSideEncryptionByDefault": default, "bucketKeyEnabled": True}]}


def test_data_under_customer_managed_keys_passes_also_before_the_keys_exist() -> None:
    for key in (KEY_ARN, UNKNOWN):
        compliant: dict[str, dict[str, Any]] = {
            t.TABLE: {"serverSideEncryption": {"enabled": True, "kmsKeyArn": key}},
            t.QUEUE: {"kmsMasterKeyId": key},
            t.LOG_GROUP: {"kmsKeyId": key, "retentionInDays": 90},
            t.BUCKET_ENCRYPTION[0]: kms_rule("aws:kms", key),
        }
        for resource_type, props in compliant.items():
            assert messages(COMPLIANCE_CUSTOMER_MANAGED_KEYS, resource_type, props) == [], (resource_type, key)


def test_service_owned_and_aws_managed_keys_are_refused() -> None:
    refused: list[tuple[str, dict[str, Any], str]] = [
        (t.TABLE, {}, "serverSideEncryption is not enabled (DynamoDB's AWS-owned key)"),
        (t.TABLE, {"serverSideEncryption": {"enabled": True}}, "no serverSideEncryption.kmsKeyArn"),
        (t.QUEUE, {"sqsManagedSseEnabled": True}, "no kmsMasterKeyId"),
        (t.QUEUE, {"kmsMasterKeyId": "alias/aws/sqs"}, "kmsMasterKeyId is the AWS-managed alias/aws/sqs"),
        (t.LOG_GROUP, {"retentionInDays": 90}, "no kmsKeyId"),
        (t.BUCKET_ENCRYPTION[0], kms_rule("AES256"), "sseAlgorithm AES256 (not SSE-KMS)"),
        (t.BUCKET_ENCRYPTION[0], kms_rule("aws:kms"), "no applyServerSideEncryptionByDefault.kmsMasterKeyId"),
    ]
    for resource_type, props, problem in refused:
        assert messages(COMPLIANCE_CUSTOMER_MANAGED_KEYS, resource_type, props) == [
            f"subject does not encrypt with a customer-managed key: {problem}"
        ], resource_type
