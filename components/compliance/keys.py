"""ComplianceKeys: customer-managed, rotating KMS keys for the pipeline's data and for its logs."""

import json
from typing import Final, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components.compliance.documents import KeyScope, data_key_policy, logs_key_policy
from components.inputs import ArgsCheck, aws_values, each, matches, non_empty
from components.naming import LongestName, max_prefix, name_prefix, prefix_rule
from components.type_tokens import component_options, type_token

# KMS's longest wait before a scheduled deletion: a mistaken `pulumi destroy` can still be undone.
DELETION_WINDOW_DAYS = 30


class ComplianceKeysArgs(TypedDict):
    user_roles: list[str]
    """Names (or name patterns: `app-fn-role-*`) of the roles that use the data key through S3, DynamoDB, SQS."""
    name_prefix: NotRequired[str]
    """Prefix of the keys' aliases (`alias/{prefix}-data`); default `{project}-{stack}-{name}`, shortened to fit."""
    tags: NotRequired[dict[str, str]]
    """Tags for both keys; none by default."""
    reader_roles: NotRequired[list[str]]
    """Names of roles that may decrypt data through S3 and DynamoDB but never write: the auditor."""
    denied_roles: NotRequired[list[str]]
    """Names of roles that may never decrypt data, whatever else allows it: the operator."""


# Alias names: 1-256 characters with `alias/` (CreateAlias).
MAX_PREFIX: Final = max_prefix(LongestName("-data", 256 - len("alias/")), LongestName("-logs", 256 - len("alias/")))
# IAM role names (64 characters of letters, digits and +=,.@_-), or a pattern of them with `*`.
_ROLE_NAMES: Final = each(matches(r"[\w+=,.@*-]{1,64}", "a role name or pattern like app-fn-role-*"))
INPUTS: Final = ArgsCheck(
    ComplianceKeysArgs,
    {
        "user_roles": non_empty(_ROLE_NAMES.item),  # type: ignore[attr-defined]
        "reader_roles": _ROLE_NAMES,
        "denied_roles": _ROLE_NAMES,
        "name_prefix": prefix_rule(MAX_PREFIX),
        "tags": aws_values.tags,
    },
)


class ComplianceKeys(pulumi.ComponentResource):
    """A data key (buckets, table, failure queue) and a logs key (every log group), each rotating yearly."""

    data_key_arn: pulumi.Output[str]
    """For the buckets, the table and the failure queue."""
    logs_key_arn: pulumi.Output[str]
    """For every log group, flow logs included."""

    def __init__(self, name: str, args: ComplianceKeysArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        args = INPUTS.check("ComplianceKeys", name, args)
        super().__init__(type_token(ComplianceKeys), name, None, component_options(ComplianceKeys, opts))
        prefix = name_prefix(args.get("name_prefix"), name, MAX_PREFIX)
        tags = dict(args.get("tags", {}))
        child = pulumi.ResourceOptions(parent=self)
        invoke = pulumi.InvokeOutputOptions(parent=self)
        account = aws.get_caller_identity_output(opts=invoke).account_id
        region = aws.get_region_output(opts=invoke).region
        scope = pulumi.Output.all(account, region).apply(
            lambda v: KeyScope(
                account_id=v[0],
                region=v[1],
                user_roles=tuple(args["user_roles"]),
                reader_roles=tuple(args.get("reader_roles", [])),
                denied_roles=tuple(args.get("denied_roles", [])),
            )
        )
        self.data_key = self._key(
            f"{prefix}-data", "the pipeline's images and metadata", scope.apply(data_key_policy), tags, child
        )
        self.logs_key = self._key(
            f"{prefix}-logs", "the pipeline's log groups and flow logs", scope.apply(logs_key_policy), tags, child
        )
        self.data_key_arn = self.data_key.arn
        self.logs_key_arn = self.logs_key.arn
        self.register_outputs({"data_key_arn": self.data_key_arn, "logs_key_arn": self.logs_key_arn})

    @staticmethod
    def _key(
        name: str,
        what: str,
        policy: pulumi.Output[dict[str, object]],
        tags: dict[str, str],
        opts: pulumi.ResourceOptions,
    ) -> aws.kms.Key:
        key = aws.kms.Key(
            f"{name}-key",
            description=f"Encrypts {what}",
            enable_key_rotation=True,
            deletion_window_in_days=DELETION_WINDOW_DAYS,
            policy=policy.apply(json.dumps),
            tags=tags,
            opts=opts,
        )
        aws.kms.Alias(f"{name}-key-alias", name=f"alias/{name}", target_key_id=key.key_id, opts=opts)
        return key
