"""Lambda functions invoked asynchronously: where a failed event goes, and how far a burst can spread.

Asynchronous invokers seen here: S3 bucket notifications, EventBridge Scheduler schedules, EventBridge
rule targets and SNS subscriptions. Lambda retries a failed asynchronous event (twice by default) and then
drops it without a trace unless the function's `FunctionEventInvokeConfig` names an on-failure destination.

The guard rail is "every function an asynchronous invoker targets has an invoke config with an on-failure
destination", rather than "every invoke config that retries has a destination": the second passes a
function with no invoke config at all, which is the common mistake (Lambda's defaults retry and drop).
One exception, for functions only a schedule invokes: an invoke config with `maximumRetryAttempts: 0`
and no destination. A schedule's event carries no data of its own and the next run redoes the work, so
there is nothing to keep (the dev cleanup: its failure is heard by the `cleanup-errors` alarm). An S3
event is one upload, lost for good if dropped, so S3-triggered functions get no such exception.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from pulumi_policy import EnforcementLevel, PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy

from .posture import PROTECTED, stack_policy_when
from .properties import is_set, listed, value_at, value_if_known
from .resource_types import BUCKET_NOTIFICATION, EVENT_TARGET, FUNCTION, INVOKE_CONFIG, SCHEDULE, TOPIC_SUBSCRIPTION
from .stack import judge_each, of_type, points_at

# What other resources name a function by: its name or its ARN.
FUNCTION_IDENTITIES: Final = ("name", "arn")
S3_NOTIFICATION: Final = "S3 notification"


@dataclass(frozen=True)
class Invoker:
    kind: str
    periodic: bool
    """Fires on a clock: its event carries nothing a later run would not redo."""


def schedule_runs(schedule: PolicyResource, function: PolicyResource) -> bool:
    """Whether an EventBridge Scheduler schedule's target is `function`."""
    return points_at(
        schedule, "target", [value_if_known(schedule.props, "target", "arn")], function, FUNCTION_IDENTITIES
    )


def invokers(function: PolicyResource, resources: Sequence[PolicyResource]) -> list[Invoker]:
    """The resources in the stack that invoke `function` asynchronously."""
    found: list[Invoker] = []
    for notification in of_type(resources, BUCKET_NOTIFICATION):
        entries = listed(value_if_known(notification.props, "lambdaFunctions"))
        arns = [value_if_known(entry, "lambdaFunctionArn") for entry in entries]
        if points_at(notification, "lambdaFunctions", arns, function, FUNCTION_IDENTITIES):
            found.append(Invoker(S3_NOTIFICATION, periodic=False))
    for schedule in of_type(resources, SCHEDULE):
        if schedule_runs(schedule, function):
            found.append(Invoker("schedule", periodic=True))
    for target in of_type(resources, EVENT_TARGET):
        if points_at(target, "arn", [value_if_known(target.props, "arn")], function, FUNCTION_IDENTITIES):
            found.append(Invoker("EventBridge rule", periodic=False))
    for subscription in of_type(resources, TOPIC_SUBSCRIPTION):
        if value_if_known(subscription.props, "protocol") == "lambda" and points_at(
            subscription, "endpoint", [value_if_known(subscription.props, "endpoint")], function, FUNCTION_IDENTITIES
        ):
            found.append(Invoker("SNS subscription", periodic=False))
    return found


def invoke_configs(function: PolicyResource, resources: Sequence[PolicyResource]) -> list[PolicyResource]:
    return [
        config
        for config in of_type(resources, INVOKE_CONFIG)
        if points_at(
            config, "functionName", [value_if_known(config.props, "functionName")], function, FUNCTION_IDENTITIES
        )
    ]


def _failure_destination(args: StackValidationArgs, report: ReportViolation) -> None:
    def judge(function: PolicyResource) -> None:
        found = invokers(function, args.resources)
        if not found:
            return
        kinds = ", ".join(sorted({i.kind for i in found}))
        periodic_only = all(i.periodic for i in found)
        configs = invoke_configs(function, args.resources)
        if not configs:
            report(
                f"function {function.name} is invoked asynchronously ({kinds}) but has no FunctionEventInvokeConfig: "
                f"Lambda retries a failed event twice and then drops it without a trace",
                function.urn,
            )
        for config in configs:
            if is_set(config.props, "destinationConfig", "onFailure", "destination"):
                continue
            if periodic_only and value_at(config.props, "maximumRetryAttempts") == 0:
                continue
            escape = " (or, as only a schedule invokes it, maximumRetryAttempts 0)" if periodic_only else ""
            report(
                f"function {function.name} is invoked asynchronously ({kinds}) and its {config.name} has no "
                f"destinationConfig.onFailure{escape}: an event that fails every attempt is dropped",
                config.urn,
            )

    judge_each(of_type(args.resources, FUNCTION), judge)


def _reserved_concurrency(args: StackValidationArgs, report: ReportViolation) -> None:
    def judge(function: PolicyResource) -> None:
        if not any(i.kind == S3_NOTIFICATION for i in invokers(function, args.resources)):
            return
        reserved = value_at(function.props, "reservedConcurrentExecutions")
        if reserved == 0:
            report(
                f"function {function.name} reserves 0 concurrent executions: every upload is throttled", function.urn
            )
        elif not isinstance(reserved, int | float) or reserved < 0:
            report(
                f"function {function.name} runs on every upload without reserved concurrency: a burst of uploads can "
                f"take the account's whole concurrency from every other function",
                function.urn,
            )

    judge_each(of_type(args.resources, FUNCTION), judge)


ASYNC_FUNCTIONS_FAILURE_DESTINATION: Final = StackValidationPolicy(
    name="async-functions-failure-destination",
    description=(
        "Every function invoked asynchronously has an invoke config with an on-failure destination "
        "(a schedule-only function may instead retry 0 times)."
    ),
    validate=_failure_destination,
    enforcement_level=EnforcementLevel.MANDATORY,
)

# Advisory, protected stacks only: an account with a reduced concurrency quota (new accounts start at
# 10) cannot reserve anything while keeping the 100 unreserved executions AWS demands, and then the
# function rightly runs unreserved (README, "Deploying for real"). Functions behind API Gateway are
# bounded by the stage's throttling instead, so only S3-triggered functions are asked.
FUNCTIONS_RESERVED_CONCURRENCY: Final = stack_policy_when(
    PROTECTED,
    name="functions-reserved-concurrency",
    description="On a protected stack, every function triggered by S3 uploads has reserved concurrency.",
    validate=_reserved_concurrency,
    enforcement_level=EnforcementLevel.ADVISORY,
)
