"""The parts every function of the package is made of: its log group, its role and policy, the function.

The image processor, the image API and the dev cleanup differ in what they run and what they may
touch, never in how they are put together: the log group exists before the function (or Lambda makes
one that never expires), logs are JSON, the role is the function's own, and the policy is attached
before the first invocation.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import pulumi
import pulumi_aws as aws

from components.function_defaults import UNRESERVED
from components.iam_documents import lambda_assume_role_policy
from components.inputs import FieldCheck, Rule, Violation, one_of, whole
from components.lambda_code import LAMBDA_PYTHON, handler_code_archive
from layers.build import ARCHITECTURES, Architecture

RUNTIME = f"python{LAMBDA_PYTHON}"
# What Lambda keeps of every function's logs (JSON format): the handlers' INFO lines feed the metric
# filters; the platform's own INFO records (start, report) are dropped. The cost model reads them too.
APPLICATION_LOG_LEVEL: Final = "INFO"
SYSTEM_LOG_LEVEL: Final = "WARN"

__all__ = [
    "APPLICATION_LOG_LEVEL",
    "ARCHITECTURES",
    "RUNTIME",
    "SYSTEM_LOG_LEVEL",
    "Architecture",
    "FunctionSettings",
    "LambdaFunction",
    "in_vpc",
    "lambda_function",
    "reserved_or_none",
    "role_name_pattern",
    "vpc_config",
]

# --- What a function's settings may be (Lambda's quotas), one rule each for every component. ---
# https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
architecture: Final = one_of(*ARCHITECTURES)
memory_mb: Final = whole(128, 10240)
timeout_seconds: Final = whole(1, 900)
# Asynchronous invocation: retries 0-2, event age 60-21600 s (PutFunctionEventInvokeConfig).
max_retry_attempts: Final = whole(0, 2)
max_event_age_seconds: Final = whole(60, 21600)
# 0 would stop the function altogether; -1 is "unreserved" (Lambda's own default).
reserved_concurrency: Final = Rule(
    f"{UNRESERVED} (unreserved) or at least 1",
    lambda v: isinstance(v, int) and not isinstance(v, bool) and (v == UNRESERVED or v >= 1),
)


def reserved_or_none(value: int) -> int | None:
    """The Args' reserved concurrency as Lambda's API takes it: -1 (unreserved) is no value at all."""
    return None if value == UNRESERVED else value


def in_vpc(args: Mapping[str, Any]) -> bool:
    """Whether the Args put the function in private subnets (compliance mode)."""
    return "subnet_ids" in args


def vpc_config(args: Mapping[str, Any]) -> aws.lambda_.FunctionVpcConfigArgs | None:
    """Private subnets and security groups, where the Args give them."""
    if not in_vpc(args):
        return None
    return aws.lambda_.FunctionVpcConfigArgs(
        subnet_ids=args["subnet_ids"], security_group_ids=args["security_group_ids"]
    )


def _subnets_need_security_groups(values: Mapping[str, Any]) -> None:
    if in_vpc(values) and "security_group_ids" not in values:
        raise Violation("given with subnet_ids (a function in a VPC needs its security groups)", None)


# For every component whose function may run in a VPC.
VPC_NEEDS_SECURITY_GROUPS: Final = FieldCheck("security_group_ids", _subnets_need_security_groups)


@dataclass(frozen=True)
class FunctionSettings:
    """One function: `{prefix}-{stem}`, with its log group, role and policy named after it."""

    prefix: str
    stem: str
    handler: str
    memory_mb: int
    timeout_s: int
    architecture: str
    environment: pulumi.Input[Mapping[str, str]]
    log_retention_days: int
    tags: Mapping[str, str]
    log_kms_key_arn: pulumi.Input[str] | None = None
    # None: no tracing configuration at all (the function never traces).
    tracing: bool | None = None
    vpc: aws.lambda_.FunctionVpcConfigArgs | None = None
    layers: Sequence[pulumi.Input[str]] | None = None
    reserved_concurrency: int | None = None

    @property
    def name(self) -> str:
        return f"{self.prefix}-{self.stem}"


def role_name_pattern(prefix: str, stem: str) -> str:
    """The name of the role lambda_function() makes for `{prefix}-{stem}`, which AWS ends in a random suffix."""
    return f"{prefix}-{stem}-role-*"


@dataclass(frozen=True)
class LambdaFunction:
    log_group: aws.cloudwatch.LogGroup
    role: aws.iam.Role
    role_policy: aws.iam.RolePolicy
    function: aws.lambda_.Function


def lambda_function(
    s: FunctionSettings,
    policy: Callable[[pulumi.Output[str]], pulumi.Input[str]],
    opts: pulumi.ResourceOptions,
) -> LambdaFunction:
    """``policy(log group ARN)``: the role's policy document, as JSON."""
    tags = dict(s.tags)
    log_group = aws.cloudwatch.LogGroup(
        f"{s.name}-logs",
        # Lambda writes to this group by default; creating it first lets us own its retention.
        name=f"/aws/lambda/{s.name}",
        retention_in_days=s.log_retention_days,
        kms_key_id=s.log_kms_key_arn,
        tags=tags,
        opts=opts,
    )
    role = aws.iam.Role(
        f"{s.name}-role", assume_role_policy=json.dumps(lambda_assume_role_policy()), tags=tags, opts=opts
    )
    role_policy = aws.iam.RolePolicy(f"{s.name}-policy", role=role.id, policy=policy(log_group.arn), opts=opts)
    function = aws.lambda_.Function(
        s.name,
        name=s.name,
        runtime=RUNTIME,
        handler=s.handler,
        code=handler_code_archive(),
        role=role.arn,
        layers=list(s.layers) if s.layers is not None else None,
        memory_size=s.memory_mb,
        timeout=s.timeout_s,
        architectures=[s.architecture],
        reserved_concurrent_executions=s.reserved_concurrency,
        environment=aws.lambda_.FunctionEnvironmentArgs(variables=s.environment),
        logging_config=aws.lambda_.FunctionLoggingConfigArgs(
            log_format="JSON",
            log_group=log_group.name,
            application_log_level=APPLICATION_LOG_LEVEL,
            system_log_level=SYSTEM_LOG_LEVEL,
        ),
        tracing_config=None
        if s.tracing is None
        else aws.lambda_.FunctionTracingConfigArgs(mode="Active" if s.tracing else "PassThrough"),
        vpc_config=s.vpc,
        tags=tags,
        # The policy must be attached before the first invocation.
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[log_group, role_policy])),
    )
    return LambdaFunction(log_group, role, role_policy, function)
