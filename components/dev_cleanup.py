"""DevCleanup (seed 004): a schedule that empties a test stack of uploads, renditions and metadata past an age.

For throwaway stacks only: the program refuses it on prod. The function (`handlers.cleanup_handler`)
deletes every version and delete marker older than `max_age_days` from both buckets, in batches of up
to 1000 keys, and the metadata items of uploads that old; it fails the invocation when anything could
not be deleted, so the catalogue's `cleanup-errors` alarm hears of it.
"""

import json
from typing import TYPE_CHECKING, Final, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components.function_defaults import ARCHITECTURE, LOG_RETENTION_DAYS
from components.iam_documents import (
    CleanupResources,
    cleanup_policy,
    invoke_function_policy,
    scheduler_assume_role_policy,
)
from components.lambda_function import FunctionSettings, lambda_function
from components.type_tokens import component_options, type_token
from handlers import contract
from layers.build import ARCHITECTURES

if TYPE_CHECKING:
    from components.image_pipeline import ImagePipeline

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
    """Prefix of every child's name (`{prefix}-cleanup`); default: the component's name."""
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


def cleaning(pipeline: "ImagePipeline") -> DevCleanupArgs:
    """The Args that point the cleanup at a pipeline's buckets and table (Python callers)."""
    return DevCleanupArgs(
        upload_bucket_name=pipeline.upload_bucket_name,
        upload_bucket_arn=pipeline.upload_bucket_arn,
        processed_bucket_name=pipeline.processed_bucket_name,
        processed_bucket_arn=pipeline.processed_bucket_arn,
        table_name=pipeline.table_name,
        table_arn=pipeline.table_arn,
    )


class DevCleanup(pulumi.ComponentResource):
    """A scheduled function that deletes a test stack's uploads, renditions and metadata past an age."""

    function_name: pulumi.Output[str]
    """The cleanup function."""
    schedule_name: pulumi.Output[str]
    """The EventBridge Scheduler schedule that invokes it."""

    def __init__(self, name: str, args: DevCleanupArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(type_token(DevCleanup), name, None, component_options(DevCleanup, opts))
        prefix = args.get("name_prefix", name)
        tags = dict(args.get("tags", {}))
        max_age = args.get("max_age_days", MAX_AGE_DAYS)
        if max_age < contract.CLEANUP_MIN_AGE_DAYS:
            raise ValueError(f"max_age_days must be at least {contract.CLEANUP_MIN_AGE_DAYS}, got {max_age}")
        architecture = args.get("architecture", ARCHITECTURE)
        if architecture not in ARCHITECTURES:
            raise ValueError(f"architecture must be one of {', '.join(ARCHITECTURES)}, got {architecture!r}")
        kms = args.get("kms_key_arn")
        child = pulumi.ResourceOptions(parent=self)
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        environment = pulumi.Output.all(
            args["upload_bucket_name"], args["processed_bucket_name"], args["table_name"]
        ).apply(
            lambda v: {
                contract.ENV_UPLOAD_BUCKET: v[0],
                contract.ENV_PROCESSED_BUCKET: v[1],
                contract.ENV_METADATA_TABLE: v[2],
                contract.ENV_CLEANUP_MAX_AGE_DAYS: str(max_age),
            }
        )

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
        self.function = lambda_function(settings, policy, child).function
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
        self.schedule_name = schedule.name
        self.register_outputs({"function_name": self.function_name, "schedule_name": self.schedule_name})
