"""AccessRoles: separation of duties, an auditor who reads and an operator who deploys, both behind MFA."""

import json
from typing import Final, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components.compliance.documents import AuditScope, assumable_with_mfa, auditor_policy, operator_denies
from components.inputs import ArgsCheck, aws_values, non_empty
from components.inputs.rules import unique
from components.naming import LongestName, max_prefix, name_prefix, prefix_rule
from components.type_tokens import component_options, type_token

# AWS's managed policy for people who build and run workloads, without IAM user administration.
POWER_USER = "arn:aws:iam::aws:policy/PowerUserAccess"


def auditor_role_name(prefix: str) -> str:
    return f"{prefix}-auditor"


def operator_role_name(prefix: str) -> str:
    return f"{prefix}-operator"


class AccessRolesArgs(TypedDict):
    auditor_principals: list[str]
    """ARNs (users, roles or accounts) that may assume the auditor role, with MFA."""
    operator_principals: list[str]
    """ARNs that may assume the operator role, with MFA."""
    upload_bucket_arn: pulumi.Input[str]
    """The pipeline's upload bucket."""
    processed_bucket_arn: pulumi.Input[str]
    """The pipeline's processed bucket."""
    table_arn: pulumi.Input[str]
    """The pipeline's metadata table."""
    log_group_arns: list[pulumi.Input[str]]
    """Every log group the auditor reads."""
    data_key_arn: pulumi.Input[str]
    """The data key: the operator may never decrypt with it."""
    logs_key_arn: pulumi.Input[str]
    """The logs key."""
    name_prefix: NotRequired[str]
    """Roles are `{prefix}-auditor` and `{prefix}-operator`; default `{project}-{stack}-{name}`, shortened to fit."""
    tags: NotRequired[dict[str, str]]
    """Tags for both roles; none by default."""


# Role names allow 64 characters.
MAX_PREFIX: Final = max_prefix(LongestName("-auditor", 64), LongestName("-operator", 64))
# A role nobody may assume is no duty at all.
_PRINCIPALS: Final = unique(non_empty(aws_values.iam_principal_arn))
INPUTS: Final = ArgsCheck(
    AccessRolesArgs,
    {
        "auditor_principals": _PRINCIPALS,
        "operator_principals": _PRINCIPALS,
        "upload_bucket_arn": aws_values.s3_bucket_arn,
        "processed_bucket_arn": aws_values.s3_bucket_arn,
        "table_arn": aws_values.dynamodb_table_arn,
        "data_key_arn": aws_values.kms_key_arn,
        "logs_key_arn": aws_values.kms_key_arn,
        "name_prefix": prefix_rule(MAX_PREFIX),
        "tags": aws_values.tags,
    },
)


class AccessRoles(pulumi.ComponentResource):
    """An auditor role (read data, metadata and logs; every write, delete and key change denied) and an
    operator role (deploy and configure; decrypting or reading data denied), each assumable with MFA only."""

    auditor_role_arn: pulumi.Output[str]
    """The auditor role."""
    operator_role_arn: pulumi.Output[str]
    """The operator role."""

    def __init__(self, name: str, args: AccessRolesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        args = INPUTS.check("AccessRoles", name, args)
        super().__init__(type_token(AccessRoles), name, None, component_options(AccessRoles, opts))
        prefix = name_prefix(args.get("name_prefix"), name, MAX_PREFIX)
        tags = dict(args.get("tags", {}))
        child = pulumi.ResourceOptions(parent=self)
        auditor = aws.iam.Role(
            auditor_role_name(prefix),
            name=auditor_role_name(prefix),
            assume_role_policy=json.dumps(assumable_with_mfa(list(args["auditor_principals"]))),
            max_session_duration=3600,
            tags=tags,
            opts=child,
        )
        audit = pulumi.Output.all(
            args["upload_bucket_arn"],
            args["processed_bucket_arn"],
            args["table_arn"],
            pulumi.Output.all(*args["log_group_arns"]),
            args["data_key_arn"],
            args["logs_key_arn"],
        ).apply(
            lambda v: json.dumps(
                auditor_policy(
                    AuditScope(
                        upload_bucket_arn=v[0],
                        processed_bucket_arn=v[1],
                        table_arn=v[2],
                        log_group_arns=tuple(v[3]),
                        key_arns=(v[4], v[5]),
                    )
                )
            )
        )
        aws.iam.RolePolicy(f"{prefix}-auditor-read-only", role=auditor.id, policy=audit, opts=child)
        operator = aws.iam.Role(
            operator_role_name(prefix),
            name=operator_role_name(prefix),
            assume_role_policy=json.dumps(assumable_with_mfa(list(args["operator_principals"]))),
            max_session_duration=3600,
            tags=tags,
            opts=child,
        )
        aws.iam.RolePolicyAttachment(
            f"{prefix}-operator-power-user", role=operator.name, policy_arn=POWER_USER, opts=child
        )
        denies = pulumi.Output.all(args["data_key_arn"], args["upload_bucket_arn"], args["processed_bucket_arn"]).apply(
            lambda v: json.dumps(operator_denies(v[0], v[1], v[2]))
        )
        aws.iam.RolePolicy(f"{prefix}-operator-no-data", role=operator.id, policy=denies, opts=child)
        self.auditor_role_arn = auditor.arn
        self.operator_role_arn = operator.arn
        self.register_outputs({"auditor_role_arn": self.auditor_role_arn, "operator_role_arn": self.operator_role_arn})
