"""DevCleanup (seed 004): a schedule that empties a test stack of uploads, renditions and metadata past an age.

For throwaway stacks only: the program refuses it on prod. The function (`handlers.cleanup_handler`)
deletes every version and delete marker older than `max_age_days` from both buckets, in batches of up
to 1000 keys, and the metadata items of uploads that old; it fails the invocation when anything could
not be deleted, so the catalogue's `cleanup-errors` alarm hears of it.
"""

import json
from typing import Final, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components import lambda_function as lambda_rules
from components.function_defaults import ARCHITECTURE, LOG_RETENTION_DAYS
from components.iam_documents import (
    CleanupResources,
    cleanup_policy,
    invoke_function_policy,
    scheduler_assume_role_policy,
)
from components.inputs import ArgsCheck, aws_values, matches, whole
from components.lambda_environment import cleanup_environment
from components.lambda_function import FunctionSettings, lambda_function
from components.naming import LongestName, max_prefix, name_prefix, prefix_rule
from components.type_tokens import component_options, type_token
from handlers import contract

# Seed 004: daily at 21:30 UTC.
SCHEDULE: Final = "cron(30 21 * * ? *)"
MAX_AGE_DAYS: Final = 7
# Listing and deleting tens of thousands of versions takes minutes, not seconds.
CLEANUP_TIMEOUT_SECONDS: Final = 300


# `{prefix}-cleanup`: the function, and its log group, role and policy after it.
FUNCTION_STEM: Final = "cleanup"


class DevCleanupArgs(TypedDict):
    upload_bucket_name: pulumi.Input[str]
    """The pipeline's upload bucket."""
    upload_bucket_arn: pulumi.Input[str]
    """Its ARN."""
    processed_bucket_name: pulumi.Input[str]
    """The pipeline's processed bucket."""
    processed_bucket_arn: pulumi.Input[str]
    """Its ARN."""
    table_name: pulumi.Input[str]
    """The pipeline's metadata table."""
    table_arn: pulumi.Input[str]
    """Its ARN."""
    name_prefix: NotRequired[str]
    """Prefix of every physical name (`{prefix}-cleanup`); default `{project}-{stack}-{name}`, shortened to fit."""
    tags: NotRequired[dict[str, str]]
    """Tags for every taggable child; none by default."""
    schedule: NotRequired[str]
    """EventBridge Scheduler expression, in UTC; default daily at 21:30 (`cron(30 21 * * ? *)`)."""
    max_age_days: NotRequired[int]
    """Objects and items older than this many days are deleted (at least 1); default 7."""
    architecture: NotRequired[str]
    """`arm64` or `x86_64`; default arm64."""
    log_retention_days: NotRequired[int]
    """Retention of the function's log group; default 7."""
    kms_key_arn: NotRequired[pulumi.Input[str]]
    """The pipeline's customer KMS key, if any."""


# The longest names made from the prefix.
MAX_PREFIX: Final = max_prefix(
    LongestName(f"-{FUNCTION_STEM}-scheduler-role", 64, autonamed=True),
    LongestName(f"-{FUNCTION_STEM}-role", 64, autonamed=True),
    LongestName(f"-{FUNCTION_STEM}", 64),
)
# EventBridge Scheduler expressions: cron with six fields, or rate(N unit).
# https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
_SCHEDULE: Final = r"cron\((\S+ ){5}\S+\)|rate\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\)"
schedule: Final = matches(_SCHEDULE, "cron(minutes hours day month weekday year) or rate(N unit)")

INPUTS: Final = ArgsCheck(
    DevCleanupArgs,
    {
        "upload_bucket_arn": aws_values.s3_bucket_arn,
        "processed_bucket_arn": aws_values.s3_bucket_arn,
        "table_arn": aws_values.dynamodb_table_arn,
        "name_prefix": prefix_rule(MAX_PREFIX),
        "tags": aws_values.tags,
        "schedule": schedule,
        # 0 would empty both buckets and the table on every run.
        "max_age_days": whole(contract.CLEANUP_MIN_AGE_DAYS),
        "architecture": lambda_rules.architecture,
        "log_retention_days": aws_values.log_retention_days,
        "kms_key_arn": aws_values.kms_key_arn,
    },
)


class DevCleanup(pulumi.ComponentResource):
    """A scheduled function that deletes a test stack's uploads, renditions and metadata past an age."""

    function_name: pulumi.Output[str]
    """The cleanup function."""
    role_name: pulumi.Output[str]
    """The cleanup function's role."""
    role_arn: pulumi.Output[str]
    """ARN of the cleanup function's role."""
    schedule_name: pulumi.Output[str]
    """The EventBridge Scheduler schedule that invokes it."""

    def __init__(self, name: str, args: DevCleanupArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        args = INPUTS.check("DevCleanup", name, args)
        super().__init__(type_token(DevCleanup), name, None, component_options(DevCleanup, opts))
        prefix = name_prefix(args.get("name_prefix"), name, MAX_PREFIX)
        tags = dict(args.get("tags", {}))
        max_age = args.get("max_age_days", MAX_AGE_DAYS)
        architecture = args.get("architecture", ARCHITECTURE)
        kms = args.get("kms_key_arn")
        child = pulumi.ResourceOptions(parent=self)
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        environment = pulumi.Output.all(
            args["upload_bucket_name"], args["processed_bucket_name"], args["table_name"]
        ).apply(lambda v: cleanup_environment(v[0], v[1], v[2], max_age_days=max_age))

        def policy(log_group_arn: pulumi.Output[str]) -> pulumi.Output[str]:
            return pulumi.Output.all(
                args["upload_bucket_arn"], args["processed_bucket_arn"], args["table_arn"], log_group_arn, kms
            ).apply(
                lambda v: json.dumps(
                    cleanup_policy(
                        CleanupResources(
                            upload_bucket_arn=v[0],
                            processed_bucket_arn=v[1],
                            table_arn=v[2],
                            log_group_arn=v[3],
                            kms_key_arn=v[4],
                        )
                    )
                )
            )

        settings = FunctionSettings(
            prefix=prefix,
            stem=FUNCTION_STEM,
            handler=contract.CLEANUP_HANDLER,
            memory_mb=256,
            timeout_s=CLEANUP_TIMEOUT_SECONDS,
            architecture=architecture,
            environment=environment,
            log_retention_days=args.get("log_retention_days", LOG_RETENTION_DAYS),
            tags=tags,
        )
        cleanup = lambda_function(settings, policy, child)
        self.function, self.role = cleanup.function, cleanup.role
        # A failed sweep is not retried: the next day's sweep starts over, and the alarm says it failed.
        aws.lambda_.FunctionEventInvokeConfig(
            f"{prefix}-cleanup-async",
            function_name=self.function.name,
            maximum_retry_attempts=0,
            maximum_event_age_in_seconds=3600,
            opts=child,
        )
        scheduler_role = aws.iam.Role(
            f"{prefix}-cleanup-scheduler-role",
            assume_role_policy=account.apply(lambda a: json.dumps(scheduler_assume_role_policy(a))),
            tags=tags,
            opts=child,
        )
        aws.iam.RolePolicy(
            f"{prefix}-cleanup-scheduler-policy",
            role=scheduler_role.id,
            policy=self.function.arn.apply(lambda arn: json.dumps(invoke_function_policy(arn))),
            opts=child,
        )
        schedule = aws.scheduler.Schedule(
            f"{prefix}-cleanup-schedule",
            name=f"{prefix}-cleanup",
            description=f"Deletes uploads, renditions and metadata older than {max_age} days (dev housekeeping)",
            schedule_expression=args.get("schedule", SCHEDULE),
            schedule_expression_timezone="UTC",
            flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
            target=aws.scheduler.ScheduleTargetArgs(
                arn=self.function.arn,
                role_arn=scheduler_role.arn,
                input=json.dumps({"source": "imagepipe-dev-cleanup"}),
                retry_policy=aws.scheduler.ScheduleTargetRetryPolicyArgs(
                    maximum_retry_attempts=0, maximum_event_age_in_seconds=3600
                ),
            ),
            opts=child,
        )
        self.function_name = self.function.name
        self.role_name = self.role.name
        self.role_arn = self.role.arn
        self.schedule_name = schedule.name
        self.register_outputs(
            {
                "function_name": self.function_name,
                "role_name": self.role_name,
                "role_arn": self.role_arn,
                "schedule_name": self.schedule_name,
            }
        )
