"""Log groups expire their events (mandatory); functions write to a log group the stack declares (advisory)."""

from pulumi_policy import EnforcementLevel

from policy.imagepipe_policies import resource_types as t
from policy.imagepipe_policies.logs import FUNCTIONS_DECLARED_LOG_GROUP, LOG_GROUP_RETENTION
from tests.policy.engine import judge, judge_stack, resource_args, stack_resource
from tests.policy.handmade import UNKNOWN, function


def retention_messages(**props: object) -> list[str]:
    args = resource_args(t.LOG_GROUP, {"name": "/aws/lambda/image-processor", **props}, "image-processor-logs")
    return judge(LOG_GROUP_RETENTION, args).messages


def test_a_log_group_with_a_retention_passes() -> None:
    assert retention_messages(retentionInDays=7) == []


def test_a_log_group_kept_forever_is_refused() -> None:
    refusal = ["log group image-processor-logs keeps its events forever: set retentionInDays"]
    assert retention_messages() == refusal
    assert retention_messages(retentionInDays=0) == refusal


def test_functions_writing_to_declared_log_groups_pass() -> None:
    # GIVEN one function naming its group in its logging config, one writing to Lambda's default group
    configured = stack_resource(t.FUNCTION, function("image-processor"), "image-processor")
    default = stack_resource(t.FUNCTION, {"name": "image-api", "handler": "h"}, "image-api")
    groups = [stack_resource(t.LOG_GROUP, {"name": f"/aws/lambda/{n}"}, n) for n in ("image-processor", "image-api")]
    assert judge_stack(FUNCTIONS_DECLARED_LOG_GROUP, [configured, default, *groups]).messages == []


def test_a_function_whose_log_group_lambda_would_create_is_told_it_keeps_events_forever() -> None:
    fn = stack_resource(t.FUNCTION, {"name": "image-api", "handler": "h"}, "image-api")
    verdict = judge_stack(FUNCTIONS_DECLARED_LOG_GROUP, [fn])
    assert verdict.messages == [
        "function image-api writes to /aws/lambda/image-api, which this stack does not declare: Lambda creates it on "
        "first use with no retention, so its events are kept forever"
    ]
    assert FUNCTIONS_DECLARED_LOG_GROUP.enforcement_level is EnforcementLevel.ADVISORY


def test_in_a_preview_the_log_group_is_matched_by_the_logging_configs_dependency() -> None:
    group = stack_resource(t.LOG_GROUP, {"name": "/aws/lambda/image-processor-3f2a"}, "image-processor-logs")
    fn = stack_resource(
        t.FUNCTION,
        function("image-processor", loggingConfig={"logGroup": UNKNOWN}),
        "image-processor",
        property_dependencies={"loggingConfig": [group]},
    )
    verdict = judge_stack(FUNCTIONS_DECLARED_LOG_GROUP, [fn, group])
    assert (verdict.messages, verdict.unknown) == ([], None)
