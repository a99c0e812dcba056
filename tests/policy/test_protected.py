"""Protected stacks: no forceDestroy, no open CORS, no unauthenticated route, no cleanup schedule."""

from collections.abc import Mapping
from typing import Any

import pytest
from pulumi_policy import Policy

from handlers import contract
from policy.imagepipe_policies import resource_types as t
from policy.imagepipe_policies.protected import (
    PROTECTED_NO_CLEANUP_SCHEDULE,
    PROTECTED_NO_FORCE_DESTROY,
    PROTECTED_NO_OPEN_CORS,
    PROTECTED_NO_UNAUTHENTICATED_ROUTES,
)
from tests.policy.engine import Verdict, judge, judge_stack, resource_args, stack_resource
from tests.policy.handmade import function, function_arn, schedule

PROTECTED = {"protected": True}
UNPROTECTED = {"protected": False}


def verdict(
    policy: Policy, resource_type: str, name: str, props: Mapping[str, Any], config: Mapping[str, bool] = PROTECTED
) -> Verdict:
    return judge(policy, resource_args(resource_type, props, name, config))


@pytest.mark.parametrize(
    ("policy", "resource_type"),
    [
        (PROTECTED_NO_FORCE_DESTROY, t.BUCKETS[0]),
        (PROTECTED_NO_OPEN_CORS, t.FUNCTION),
        (PROTECTED_NO_UNAUTHENTICATED_ROUTES, t.API_METHOD),
    ],
)
def test_an_unprotected_stack_is_not_judged(policy: Policy, resource_type: str) -> None:
    assert (
        verdict(policy, resource_type, "x", {}, UNPROTECTED).not_applicable
        == "protected: false in the policy pack config"
    )


def test_without_pack_config_a_stack_is_judged_as_protected() -> None:
    # Fail closed: a forgotten --policy-pack-config must not wave a prod stack through.
    assert verdict(PROTECTED_NO_FORCE_DESTROY, t.BUCKETS[0], "uploads", {"forceDestroy": True}, {}).messages != []


def test_a_bucket_with_force_destroy_is_refused() -> None:
    assert verdict(PROTECTED_NO_FORCE_DESTROY, t.BUCKETS[0], "uploads", {"forceDestroy": True}).messages == [
        "bucket uploads has forceDestroy: `pulumi destroy` would delete every object in it"
    ]
    assert verdict(PROTECTED_NO_FORCE_DESTROY, t.BUCKETS[0], "uploads", {"forceDestroy": False}).messages == []


def test_the_api_function_may_list_exact_origins_but_not_any_origin() -> None:
    def cors(origins: str) -> list[str]:
        env = {"variables": {contract.ENV_CORS_ORIGINS: origins, contract.ENV_UPLOAD_BUCKET: "uploads"}}
        return verdict(PROTECTED_NO_OPEN_CORS, t.FUNCTION, "image-api", {"environment": env}).messages

    assert cors('["https://images.example.com"]') == []
    assert cors('["https://images.example.com", "*"]') == [
        'function image-api: CORS_ORIGINS ["https://images.example.com", "*"] lets any website call the API'
    ]


def test_api_gateway_answering_any_origin_is_refused() -> None:
    def answering(resource_type: str, header: str, origin: str) -> list[str]:
        props = {"responseParameters": {header: origin}}
        return verdict(PROTECTED_NO_OPEN_CORS, resource_type, "unauthorized", props).messages

    gateway_header = "gatewayresponse.header.Access-Control-Allow-Origin"
    integration_header = "method.response.header.Access-Control-Allow-Origin"
    assert answering(t.API_GATEWAY_RESPONSE, gateway_header, "'*'") == [
        f"unauthorized answers {gateway_header}: '*', which lets any website call the API"
    ]
    assert answering(t.API_INTEGRATION_RESPONSE, integration_header, "'*'") != []
    assert answering(t.API_INTEGRATION_RESPONSE, integration_header, "'https://images.example.com'") == []


def test_api_methods_need_authorization_except_the_cors_preflight() -> None:
    def method(http_method: str, authorization: str) -> list[str]:
        props = {"httpMethod": http_method, "authorization": authorization}
        return verdict(PROTECTED_NO_UNAUTHENTICATED_ROUTES, t.API_METHOD, "images-any", props).messages

    assert method("ANY", "COGNITO_USER_POOLS") == []
    assert method("OPTIONS", "NONE") == []
    assert method("ANY", "NONE") == ["API method images-any (ANY) has authorization NONE: anyone may call it"]


def test_a_function_url_without_authorization_is_refused() -> None:
    def url(authorization: str) -> list[str]:
        props = {"authorizationType": authorization}
        return verdict(PROTECTED_NO_UNAUTHENTICATED_ROUTES, t.FUNCTION_URL, "api-url", props).messages

    assert url("AWS_IAM") == []
    assert url("NONE") == ["function URL api-url has authorizationType NONE: anyone may invoke the function"]


def test_a_schedule_running_the_cleanup_is_refused_and_other_schedules_are_not() -> None:
    cleanup = stack_resource(t.FUNCTION, function("cleanup", handler=contract.CLEANUP_HANDLER), "cleanup")
    report = stack_resource(t.FUNCTION, function("report", handler="handlers.report.handler"), "report")
    resources = [
        cleanup,
        report,
        schedule(function_arn("cleanup")),
        schedule(function_arn("report"), "report-schedule"),
    ]
    assert judge_stack(PROTECTED_NO_CLEANUP_SCHEDULE, resources, PROTECTED).messages == [
        "schedule cleanup-schedule runs the cleanup (cleanup), which deletes every upload, rendition and metadata "
        "item past an age"
    ]
    assert judge_stack(PROTECTED_NO_CLEANUP_SCHEDULE, resources, UNPROTECTED).not_applicable is not None
