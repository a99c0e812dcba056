"""The parts every function of the package is made of: its log group, its role and policy, the function.

The image processor, the image API and the dev cleanup differ in what they run and what they may
touch, never in how they are put together: the log group exists before the function (or Lambda makes
one that never expires), logs are JSON, the role is the function's own, and the policy is attached
before the first invocation.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.iam_documents import lambda_assume_role_policy
from components.lambda_code import LAMBDA_PYTHON, handler_code_archive

RUNTIME = f"python{LAMBDA_PYTHON}"


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
            log_format="JSON", log_group=log_group.name, application_log_level="INFO", system_log_level="WARN"
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
