"""IAM: no wildcard actions, no wildcard resources outside the actions AWS only grants on "*"."""

import json
from collections.abc import Mapping
from typing import Any

from pulumi_policy import Policy

from components.compliance.documents import AuditScope, auditor_policy
from components.iam_documents import FormatterResources, ProcessorResources, formatter_policy, processor_policy
from policy.imagepipe_policies import resource_types as t
from policy.imagepipe_policies.iam import (
    ACTIONS_ONLY_ON_ANY_RESOURCE,
    IAM_NO_WILDCARD_ACTIONS,
    IAM_NO_WILDCARD_RESOURCES,
)
from tests.policy.engine import judge, resource_args
from tests.policy.handmade import ACCOUNT, KEY_ARN, bucket_arn, document, role_policy

TABLE_ARN = f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/images"
LOG_GROUP_ARN = f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/aws/lambda/image-processor"
# The documents the components give a traced function in a VPC and the compliance auditor: the statements
# the tests judge, those that rightly allow on "*" among them, are taken from there, not retyped.
PROCESSOR_IN_VPC = processor_policy(
    ProcessorResources(
        upload_bucket_arn=bucket_arn("uploads"),
        processed_bucket_arn=bucket_arn("processed"),
        log_group_arn=LOG_GROUP_ARN,
        table_arn=TABLE_ARN,
        failure_queue_arn=f"arn:aws:sqs:eu-west-1:{ACCOUNT}:failures",
        kms_key_arn=KEY_ARN,
        tracing=True,
        in_vpc=True,
    )
)
AUDITOR = auditor_policy(
    AuditScope(
        upload_bucket_arn=bucket_arn("uploads"),
        processed_bucket_arn=bucket_arn("processed"),
        table_arn=TABLE_ARN,
        log_group_arns=(LOG_GROUP_ARN,),
        key_arns=(KEY_ARN,),
    )
)


ALERT_FORMATTER = formatter_policy(
    FormatterResources(
        watched_log_group_arns=(LOG_GROUP_ARN,),
        topic_arns=(f"arn:aws:sns:eu-west-1:{ACCOUNT}:alerts-critical",),
        alerts_key_arn=KEY_ARN,
        ledger_table_arn=f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/alert-ledger",
        failure_queue_arn=f"arn:aws:sqs:eu-west-1:{ACCOUNT}:alert-formatter-failures",
        log_group_arn=f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/aws/lambda/alert-formatter",
    )
)


def statement_of(policy_document: Mapping[str, Any], sid: str) -> dict[str, Any]:
    (found,) = [s for s in policy_document["Statement"] if s.get("Sid") == sid]
    return dict(found)


READ_UPLOADS = statement_of(PROCESSOR_IN_VPC, "ReadUploads")
XRAY = statement_of(PROCESSOR_IN_VPC, "XRayTraces")
VPC = statement_of(PROCESSOR_IN_VPC, "LambdaVpcNetworking")
LOGS_INSIGHTS = statement_of(AUDITOR, "QueryResults")
ALARM_METRICS = statement_of(ALERT_FORMATTER, "ReadAlarmMetrics")


def messages(policy: Policy, statement: Mapping[str, object], resource_type: str = t.ROLE_POLICY) -> list[str]:
    props = role_policy(statement) if resource_type == t.ROLE_POLICY else {"policy": document(statement)}
    return judge(policy, resource_args(resource_type, props, "image-processor-policy")).messages


def test_named_actions_on_named_resources_pass_both_rules() -> None:
    assert messages(IAM_NO_WILDCARD_ACTIONS, READ_UPLOADS) == []
    assert messages(IAM_NO_WILDCARD_RESOURCES, READ_UPLOADS) == []


def test_every_action_or_every_action_of_a_service_is_refused() -> None:
    for action in ("*", "s3:*", "S3:*"):
        assert messages(IAM_NO_WILDCARD_ACTIONS, {**READ_UPLOADS, "Action": ["s3:GetObject", action]}) == [
            f"image-processor-policy, ReadUploads: allows {action}; name the actions the code calls"
        ]


def test_allow_with_not_action_is_refused() -> None:
    statement = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::uploads/*"}
    assert messages(IAM_NO_WILDCARD_ACTIONS, statement) == [
        "image-processor-policy, statement 1: Allow with NotAction grants every other action of every service"
    ]


def test_deny_statements_may_use_wildcards() -> None:
    deny = {"Sid": "DenyWrites", "Effect": "Deny", "Action": ["s3:*", "logs:Put*"], "Resource": "*"}
    assert messages(IAM_NO_WILDCARD_ACTIONS, deny) == []
    assert messages(IAM_NO_WILDCARD_RESOURCES, deny) == []


def test_actions_aws_only_grants_on_any_resource_may_have_resource_star() -> None:
    for statement in (XRAY, VPC, LOGS_INSIGHTS, ALARM_METRICS):
        assert messages(IAM_NO_WILDCARD_RESOURCES, {**statement, "Resource": "*"}) == [], statement["Sid"]


def test_the_exceptions_are_exactly_the_actions_the_components_allow_on_any_resource() -> None:
    # The pack runs from its own folder and cannot import components/: its copy is kept equal here.
    allowed_on_any = {
        action.lower()
        for policy_document in (PROCESSOR_IN_VPC, AUDITOR, ALERT_FORMATTER)
        for statement in policy_document["Statement"]
        if statement["Effect"] == "Allow" and statement["Resource"] == "*"
        for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
    }
    assert allowed_on_any == set(ACTIONS_ONLY_ON_ANY_RESOURCE)


def test_any_other_action_on_resource_star_is_refused_even_beside_an_exception() -> None:
    statement = {**XRAY, "Action": [XRAY["Action"][0], "s3:GetObject"], "Resource": "*"}
    assert messages(IAM_NO_WILDCARD_RESOURCES, statement) == [
        'image-processor-policy, XRayTraces: allows s3:GetObject on "*"; name the resources (Resource * is kept '
        "for CloudWatch metric data, Lambda in a VPC, Logs Insights, X-Ray tracing actions)"
    ]


def test_allow_with_not_resource_is_refused() -> None:
    statement = {**READ_UPLOADS, "Resource": None, "NotResource": "arn:aws:s3:::secrets/*"}
    assert messages(IAM_NO_WILDCARD_RESOURCES, statement) == [
        "image-processor-policy, ReadUploads: Allow with NotResource grants on every other resource"
    ]


def test_managed_user_and_group_policies_are_judged_like_role_policies() -> None:
    wide = {**READ_UPLOADS, "Action": "s3:*"}
    for resource_type in (t.MANAGED_POLICY, t.USER_POLICY, t.GROUP_POLICY):
        assert messages(IAM_NO_WILDCARD_ACTIONS, wide, resource_type) == [
            "image-processor-policy, ReadUploads: allows s3:*; name the actions the code calls"
        ], resource_type


def test_a_roles_inline_policies_are_judged() -> None:
    role = {
        "assumeRolePolicy": document({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}),
        "inlinePolicies": [{"name": "everything", "policy": document({**READ_UPLOADS, "Resource": "*"})}],
    }
    verdict = judge(IAM_NO_WILDCARD_RESOURCES, resource_args(t.ROLE, role, "image-processor-role"))
    assert [m.split(":")[0] for m in verdict.messages] == ["image-processor-role inline policy everything, ReadUploads"]


def test_a_key_policy_is_not_an_identity_policy_and_is_left_to_the_key() -> None:
    key_policy = document(
        {
            "Sid": "AccountAdministers",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    )
    args = resource_args("aws:kms/key:Key", {"policy": key_policy}, "alerts-key")
    assert judge(IAM_NO_WILDCARD_ACTIONS, args).messages == []
    assert judge(IAM_NO_WILDCARD_RESOURCES, args).messages == []


def test_a_document_that_is_not_a_policy_is_reported() -> None:
    args = resource_args(t.ROLE_POLICY, {"role": "r", "policy": json.dumps({"Version": "2012-10-17"})}, "broken")
    assert judge(IAM_NO_WILDCARD_ACTIONS, args).messages == ["broken: cannot read the policy document (no Statement)"]
