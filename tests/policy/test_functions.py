"""Asynchronously invoked functions keep their failed events; S3-triggered ones reserve concurrency (advisory)."""

from pulumi_policy import EnforcementLevel

from policy.imagepipe_policies import resource_types as t
from policy.imagepipe_policies.functions import ASYNC_FUNCTIONS_FAILURE_DESTINATION, FUNCTIONS_RESERVED_CONCURRENCY
from tests.policy.engine import judge_stack, stack_resource, urn_of
from tests.policy.handmade import UNKNOWN, failure_destination, function, function_arn, s3_triggered_stack, schedule

PROTECTED = {"protected": True}


def test_an_s3_triggered_function_with_a_failure_destination_passes() -> None:
    _, resources = s3_triggered_stack(failure_destination())
    assert judge_stack(ASYNC_FUNCTIONS_FAILURE_DESTINATION, resources).messages == []


def test_an_s3_triggered_function_without_an_invoke_config_is_refused() -> None:
    fn, resources = s3_triggered_stack(None)
    verdict = judge_stack(ASYNC_FUNCTIONS_FAILURE_DESTINATION, resources)
    assert verdict.messages == [
        "function image-processor is invoked asynchronously (S3 notification) but has no FunctionEventInvokeConfig: "
        "Lambda retries a failed event twice and then drops it without a trace"
    ]
    assert verdict.violations[0].urn == fn.urn


def test_an_s3_triggered_function_may_not_drop_failures_even_without_retries() -> None:
    for retries in (2, 0):
        _, resources = s3_triggered_stack({"functionName": "image-processor", "maximumRetryAttempts": retries})
        verdict = judge_stack(ASYNC_FUNCTIONS_FAILURE_DESTINATION, resources)
        assert verdict.messages == [
            "function image-processor is invoked asynchronously (S3 notification) and its image-processor-async has "
            "no destinationConfig.onFailure: an event that fails every attempt is dropped"
        ], retries
        assert verdict.violations[0].urn == urn_of(t.INVOKE_CONFIG, "image-processor-async")


def test_a_scheduled_function_that_never_retries_needs_no_destination() -> None:
    # GIVEN the dev cleanup: only a schedule invokes it, and its invoke config retries 0 times
    cleanup = stack_resource(t.FUNCTION, function("cleanup", handler="handlers.cleanup_handler.handler"), "cleanup")
    config = stack_resource(t.INVOKE_CONFIG, {"functionName": "cleanup", "maximumRetryAttempts": 0}, "cleanup-async")
    resources = [cleanup, config, schedule(function_arn("cleanup"))]
    assert judge_stack(ASYNC_FUNCTIONS_FAILURE_DESTINATION, resources).messages == []


def test_a_scheduled_function_that_retries_is_told_its_two_ways_out() -> None:
    cleanup = stack_resource(t.FUNCTION, function("cleanup"), "cleanup")
    config = stack_resource(t.INVOKE_CONFIG, {"functionName": "cleanup", "maximumRetryAttempts": 2}, "cleanup-async")
    verdict = judge_stack(ASYNC_FUNCTIONS_FAILURE_DESTINATION, [cleanup, config, schedule(function_arn("cleanup"))])
    assert verdict.messages == [
        "function cleanup is invoked asynchronously (schedule) and its cleanup-async has no "
        "destinationConfig.onFailure (or, as only a schedule invokes it, maximumRetryAttempts 0): an event that "
        "fails every attempt is dropped"
    ]


def test_a_function_no_one_invokes_asynchronously_needs_no_invoke_config() -> None:
    api = stack_resource(t.FUNCTION, function("image-api"), "image-api")
    assert judge_stack(ASYNC_FUNCTIONS_FAILURE_DESTINATION, [api]).messages == []


def test_sns_subscriptions_and_eventbridge_rules_invoke_asynchronously_too() -> None:
    fn = stack_resource(t.FUNCTION, function(), "image-processor")
    subscription = stack_resource(
        t.TOPIC_SUBSCRIPTION, {"protocol": "lambda", "endpoint": function_arn("image-processor")}, "subscription"
    )
    rule_target = stack_resource(t.EVENT_TARGET, {"rule": "nightly", "arn": function_arn("image-processor")}, "target")
    verdict = judge_stack(ASYNC_FUNCTIONS_FAILURE_DESTINATION, [fn, subscription, rule_target])
    assert verdict.messages[0].startswith(
        "function image-processor is invoked asynchronously (EventBridge rule, SNS subscription) but has no"
    )


def test_in_a_preview_the_invoke_config_is_matched_by_its_dependency_on_the_function() -> None:
    fn = stack_resource(t.FUNCTION, function(arn=UNKNOWN), "image-processor")
    notification = stack_resource(
        t.BUCKET_NOTIFICATION,
        {"bucket": UNKNOWN, "lambdaFunctions": [{"lambdaFunctionArn": UNKNOWN}]},
        "uploads-notification",
        property_dependencies={"lambdaFunctions": [fn]},
    )
    config = stack_resource(
        t.INVOKE_CONFIG,
        {**failure_destination(), "functionName": UNKNOWN},
        "image-processor-async",
        property_dependencies={"functionName": [fn]},
    )
    verdict = judge_stack(ASYNC_FUNCTIONS_FAILURE_DESTINATION, [fn, notification, config])
    assert (verdict.messages, verdict.unknown) == ([], None)


# Reserved concurrency (advisory, protected stacks)


def test_reserved_concurrency_is_advisory() -> None:
    assert FUNCTIONS_RESERVED_CONCURRENCY.enforcement_level is EnforcementLevel.ADVISORY


def test_an_s3_triggered_function_with_reserved_concurrency_passes() -> None:
    _, resources = s3_triggered_stack(failure_destination(), reservedConcurrentExecutions=50)
    assert judge_stack(FUNCTIONS_RESERVED_CONCURRENCY, resources, PROTECTED).messages == []


def test_an_unreserved_s3_triggered_function_on_a_protected_stack_is_told_why_it_matters() -> None:
    for reserved in ({}, {"reservedConcurrentExecutions": -1}):
        _, resources = s3_triggered_stack(failure_destination(), **reserved)
        assert judge_stack(FUNCTIONS_RESERVED_CONCURRENCY, resources, PROTECTED).messages == [
            "function image-processor runs on every upload without reserved concurrency: a burst of uploads can take "
            "the account's whole concurrency from every other function"
        ], reserved


def test_reserving_zero_is_called_out_as_throttling_every_upload() -> None:
    _, resources = s3_triggered_stack(failure_destination(), reservedConcurrentExecutions=0)
    assert judge_stack(FUNCTIONS_RESERVED_CONCURRENCY, resources, PROTECTED).messages == [
        "function image-processor reserves 0 concurrent executions: every upload is throttled"
    ]


def test_functions_not_triggered_by_s3_and_unprotected_stacks_are_not_asked() -> None:
    api = stack_resource(t.FUNCTION, function("image-api"), "image-api")
    assert judge_stack(FUNCTIONS_RESERVED_CONCURRENCY, [api], PROTECTED).messages == []
    _, resources = s3_triggered_stack(failure_destination())
    verdict = judge_stack(FUNCTIONS_RESERVED_CONCURRENCY, resources, {"protected": False})
    assert (verdict.messages, verdict.not_applicable) == ([], "protected: false in the policy pack config")
