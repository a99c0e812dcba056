"""CloudWatch log groups: every one expires its events, and every function writes to one the stack declares.

A log group without `retentionInDays` (or with 0) keeps every event forever, at $0.03 per GB-month,
long after anyone would read it. The retention itself is the stack's choice (7 days on dev, 90 on prod,
which the program enforces in compliance mode); this pack only refuses "forever".
"""

from typing import Final

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from .properties import value_at
from .resource_types import FUNCTION, LOG_GROUP
from .stack import identities, judge_each, of_type


def _retention(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != LOG_GROUP:
        return
    days = value_at(args.props, "retentionInDays")
    if not isinstance(days, int | float) or days <= 0:
        report(f"log group {args.name} keeps its events forever: set retentionInDays", None)


def function_log_group(function: PolicyResource) -> str | None:
    """The log group a function writes to: its logging config's, else Lambda's `/aws/lambda/{name}`."""
    configured = value_at(function.props, "loggingConfig", "logGroup")
    if isinstance(configured, str) and configured:
        return configured
    name = value_at(function.props, "name")
    return f"/aws/lambda/{name}" if isinstance(name, str) and name else None


def _declared_log_group(args: StackValidationArgs, report: ReportViolation) -> None:
    groups = of_type(args.resources, LOG_GROUP)
    declared = set().union(*(identities(group, "name") for group in groups))

    def judge(function: PolicyResource) -> None:
        if any(dep.resource_type == LOG_GROUP for dep in function.property_dependencies.get("loggingConfig", [])):
            return
        target = function_log_group(function)
        if target is not None and target not in declared:
            report(
                f"function {function.name} writes to {target}, which this stack does not declare: Lambda creates it "
                f"on first use with no retention, so its events are kept forever",
                function.urn,
            )

    judge_each(of_type(args.resources, FUNCTION), judge)


LOG_GROUP_RETENTION: Final = ResourceValidationPolicy(
    name="log-group-retention",
    description="Every CloudWatch log group expires its events (retentionInDays set, not 0 for never).",
    validate=_retention,
    enforcement_level=EnforcementLevel.MANDATORY,
)

# Advisory: a function may rightly write to a log group another stack owns (a shared group, the
# platform team's), which this stack cannot see; the message names the group to check.
FUNCTIONS_DECLARED_LOG_GROUP: Final = StackValidationPolicy(
    name="functions-declared-log-group",
    description="Every Lambda function writes to a log group the stack declares (and so holds to a retention).",
    validate=_declared_log_group,
    enforcement_level=EnforcementLevel.ADVISORY,
)
