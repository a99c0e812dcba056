"""The API function's role grants exactly what its code calls or signs: no grant without a call, no call
without a grant.

Every request the API's own boto3 clients make is recorded (botocore's ``provide-client-params``
event) across every route and outcome under moto, and every presigned URL or POST it signs (by
wrapping the two signing methods). Each becomes the IAM actions, resources and condition keys AWS's
Service Authorization Reference requires for it; ``components.iam_documents.api_policy`` must allow
each of them, and must grant nothing on S3 or DynamoDB that no call needs.
"""

import fnmatch
import functools
import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from emulated_aws.api_gateway import (
    OTHER_USER,
    delete_image,
    get_image,
    list_images,
    post_images,
    preflight,
    proxy_event,
    upload_request,
)
from emulated_aws.environment import REGION
from handlers import contract
from handlers.api.clients import AWS_OPERATIONS, DynamoDbApi, S3Api, api_clients
from handlers.contract import ImageStatus
from tests.api.api_deployment import call, seed_image
from tests.handler.deployment import PROCESSED_BUCKET, TABLE, UPLOAD_BUCKET, Deployment
from tests.infra.policy_reading import statements

ACCOUNT = "123456789012"
TABLE_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{TABLE}"
LOG_GROUP_ARN = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/imagepipe-test-api"
KMS_KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000000"

# The services the API's code calls itself, and the protocol each client is typed with.
CALLED_SERVICES: Mapping[str, type] = {"s3": S3Api, "dynamodb": DynamoDbApi}
# Signing makes no request: the client performs the signed operation later, with the signer's rights.
SIGNING_METHODS = {"generate_presigned_post": "PutObject", "generate_presigned_url": "GetObject"}
# Used by Lambda on the function's behalf, never by the API's code (and what the stack's settings add).
PLATFORM_GRANTS = {"logs:CreateLogStream", "logs:PutLogEvents"}
KMS_GRANTS = {"kms:Decrypt", "kms:GenerateDataKey"}  # presigned uploads and downloads of SSE-KMS objects
TRACING_GRANTS = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}


@dataclass(frozen=True)
class Call:
    service: str
    operation: str
    params: Mapping[str, Any] = field(hash=False)
    signed: bool = False  # a presigned URL or POST, not a request


@dataclass(frozen=True)
class Need:
    """One IAM action on one resource, with the condition keys the request carries."""

    action: str
    resource: str
    context: tuple[tuple[str, str], ...] = ()


def s3_arn(bucket: str, key: str | None = None) -> str:
    return f"arn:aws:s3:::{bucket}" if key is None else f"arn:aws:s3:::{bucket}/{key}"


def table_arn(params: Mapping[str, Any]) -> str:
    assert params["TableName"] == TABLE
    return f"{TABLE_ARN}/index/{params['IndexName']}" if "IndexName" in params else TABLE_ARN


def iam_needs(c: Call) -> list[Need]:
    """What AWS checks for one call (Service Authorization Reference, S3 and DynamoDB)."""
    p = c.params
    match (c.service, c.operation, c.signed):
        case ("s3", "PutObject", True):  # the presigned POST's upload
            return [Need("s3:PutObject", s3_arn(p["Bucket"], p["Key"]))]
        case ("s3", "GetObject", True):  # a presigned GET; a named version would need GetObjectVersion
            action = "s3:GetObjectVersion" if "VersionId" in p["Params"] else "s3:GetObject"
            return [Need(action, s3_arn(p["Params"]["Bucket"], p["Params"]["Key"]))]
        case ("s3", "ListObjectVersions", False):
            return [Need("s3:ListBucketVersions", s3_arn(p["Bucket"]), (("s3:prefix", p.get("Prefix", "")),))]
        case ("s3", "DeleteObjects", False):
            # DeleteObjects is no IAM action: each entry is checked as the single delete it stands for, which
            # always needs DeleteObject and, for a named version, DeleteObjectVersion (S3's reference, Permissions).
            return [
                Need(action, s3_arn(p["Bucket"], o["Key"]))
                for o in p["Delete"]["Objects"]
                for action in ("s3:DeleteObject", *(("s3:DeleteObjectVersion",) if "VersionId" in o else ()))
            ]
        case ("dynamodb", "GetItem" | "Query" | "PutItem" | "UpdateItem", False):
            return [Need(f"dynamodb:{c.operation}", table_arn(p))]
    raise AssertionError(f"no IAM action known for {c}: add it to iam_needs from AWS's reference")


@pytest.fixture
def recorded_calls(aws: Deployment) -> Iterator[list[Call]]:
    """Every request the API's own clients make, and every URL or POST they sign, while the test runs."""
    calls: list[Call] = []
    clients = api_clients()
    # The protocols type only what the API's code calls; the recorder needs the real clients' events.
    services: dict[str, Any] = {"s3": clients.s3, "dynamodb": clients.dynamodb}

    def record(params: dict[str, Any], model: Any, context: Mapping[str, Any], **_: Any) -> None:
        if not context.get("is_presign_request"):  # signing is recorded by the wrappers below
            calls.append(Call(model.service_model.endpoint_prefix, model.name, dict(params)))

    def signing(method: str, real: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(real)
        def wrapper(**kwargs: Any) -> Any:
            calls.append(Call("s3", SIGNING_METHODS[method], dict(kwargs), signed=True))
            return real(**kwargs)

        return wrapper

    for client in services.values():
        client.meta.events.register("provide-client-params.*.*", record, unique_id="api-grant-recorder")
    for method in SIGNING_METHODS:
        setattr(clients.s3, method, signing(method, getattr(clients.s3, method)))
    yield calls
    for client in services.values():
        client.meta.events.unregister("provide-client-params.*.*", unique_id="api-grant-recorder")
    for method in SIGNING_METHODS:
        vars(clients.s3).pop(method, None)


@pytest.fixture
def every_route(aws: Deployment, recorded_calls: list[Call]) -> list[Call]:
    """Every route and outcome: preflight, refusals, upload, listing by pages, get, delete (own, again, other's,
    an id without an item)."""
    image = seed_image(aws, "photo.jpg", versions=2, upload_id="a1")
    seed_image(aws, "notes.jpg", status=ImageStatus.REJECTED, upload_id="a2")
    theirs = seed_image(aws, "theirs.jpg", user=OTHER_USER, upload_id="a3")
    answers = [
        call(preflight(contract.API_IMAGES_PATH, "https://app.example.com")),
        call(list_images(user=None)),
        call(proxy_event("GET", "/nowhere")),
        call(proxy_event("PUT", contract.API_IMAGES_PATH)),
        call(post_images(upload_request())),
        call(post_images(upload_request(content_type="image/tiff"))),
        call(post_images("not json")),
    ]
    first_page = call(list_images(query={"limit": "1"}))
    answers += [
        first_page,
        call(list_images(query={"limit": "1", "cursor": first_page.body["cursor"]})),
        call(list_images(query={"cursor": "garbage"})),
        call(get_image(image.image_id)),
        call(get_image(theirs.image_id)),
        call(delete_image(theirs.image_id)),
        call(delete_image(image.image_id)),
        call(delete_image(image.image_id)),
        call(delete_image("00000000-0000-5000-8000-000000000000")),
    ]
    statuses = [a.status for a in answers]
    assert statuses == [204, 401, 404, 405, 201, 415, 400, 200, 200, 400, 200, 404, 204, 204, 204, 204]
    return recorded_calls


def rendered_api_policy(kms_key_arn: str | None = None, tracing: bool = False) -> dict[str, Any]:
    """The API function's role policy as the component renders it (a pure function of resolved ARNs)."""
    try:
        from components.iam_documents import ApiResources, api_policy
    except ImportError as exc:
        pytest.fail(f"components.iam_documents.api_policy(ApiResources) -> dict is not written yet: {exc}")
    resources = ApiResources(
        upload_bucket_arn=s3_arn(UPLOAD_BUCKET),
        processed_bucket_arn=s3_arn(PROCESSED_BUCKET),
        table_arn=TABLE_ARN,
        log_group_arn=LOG_GROUP_ARN,
        kms_key_arn=kms_key_arn,
        tracing=tracing,
    )
    policy: dict[str, Any] = api_policy(resources)
    return policy


def iam_like(pattern: str, value: str) -> bool:
    """IAM's ``*`` and ``?`` wildcards (which also cross '/'); nothing else is special."""
    escaped = pattern.replace("[", "[[]")
    return fnmatch.fnmatchcase(value, escaped)


def conditions_hold(condition: Mapping[str, Mapping[str, Any]], context: Mapping[str, str]) -> bool:
    for operator, keys in condition.items():
        if operator not in ("StringLike", "StringEquals"):
            raise AssertionError(f"condition operator {operator} is not evaluated here: extend conditions_hold")
        for key, wanted in keys.items():
            patterns = wanted if isinstance(wanted, list) else [wanted]
            value = context.get(key)
            match = iam_like if operator == "StringLike" else str.__eq__
            if value is None or not any(match(pattern, value) for pattern in patterns):
                return False
    return True


def allowing_statements(policy: dict[str, Any], need: Need) -> list[str]:
    """The Sids of the Allow statements that grant ``need``."""
    return [
        sid
        for sid, s in statements(policy).items()
        if s["Effect"] == "Allow"
        and any(iam_like(a, need.action) for a in s["Action"])
        and any(iam_like(r, need.resource) for r in s["Resource"])
        and conditions_hold(s.get("Condition", {}), dict(need.context))
    ]


def needs_of(calls: list[Call]) -> set[Need]:
    return {need for c in calls for need in iam_needs(c)}


def protocol_operations(service: str) -> set[str]:
    """The operations behind the methods of the protocol the API's code is typed with."""
    protocol = CALLED_SERVICES[service]
    methods = {n for n, member in vars(protocol).items() if inspect.isfunction(member) and not n.startswith("_")}
    client = getattr(api_clients(), service)
    return {SIGNING_METHODS.get(m) or client.meta.method_to_api_mapping[m] for m in methods}


@pytest.mark.parametrize("service", sorted(CALLED_SERVICES))
def test_the_run_exercises_every_method_the_api_may_call(every_route: list[Call], service: str) -> None:
    called = {c.operation for c in every_route if c.service == service}
    assert called == protocol_operations(service)


def test_the_documented_operations_are_the_ones_called_with_the_actions_aws_requires(every_route: list[Call]) -> None:
    # handlers.api.clients.AWS_OPERATIONS is what the infrastructure's author reads: prove it.
    assert {(c.service, c.operation) for c in every_route} == {(o.service, o.operation) for o in AWS_OPERATIONS}
    assert {n.action for n in needs_of(every_route)} == {a for o in AWS_OPERATIONS for a in o.iam_actions}


def test_every_call_is_allowed_by_the_api_policy(every_route: list[Call]) -> None:
    policy = rendered_api_policy()
    refused = sorted({(n.action, n.resource) for n in needs_of(every_route) if not allowing_statements(policy, n)})
    assert refused == []


def test_every_s3_and_dynamodb_grant_is_used_by_some_call(every_route: list[Call]) -> None:
    # GIVEN the API's needs over every route
    needs = needs_of(every_route)
    policy = rendered_api_policy()
    for sid, s in statements(policy).items():
        for action in s["Action"]:
            if action.split(":")[0] not in CALLED_SERVICES:
                continue
            # THEN each S3/DynamoDB action on each resource the policy names is what some call needs there
            for resource in s["Resource"]:
                used = [n for n in needs if iam_like(action, n.action) and iam_like(resource, n.resource)]
                assert used, f"{sid} grants {action} on {resource}, which no call needs"


@pytest.mark.parametrize(("kms_key_arn", "tracing"), [(None, False), (KMS_KEY_ARN, False), (None, True)])
def test_other_grants_are_what_lambda_uses_and_what_the_stack_adds(kms_key_arn: str | None, tracing: bool) -> None:
    policy = rendered_api_policy(kms_key_arn, tracing)
    others = {a for s in statements(policy).values() for a in s["Action"] if a.split(":")[0] not in CALLED_SERVICES}
    expected = PLATFORM_GRANTS | (KMS_GRANTS if kms_key_arn else set()) | (TRACING_GRANTS if tracing else set())
    assert others == expected


def test_the_policy_names_no_wildcard_action_and_no_other_resources() -> None:
    policy = rendered_api_policy(KMS_KEY_ARN, tracing=True)
    mine = (s3_arn(UPLOAD_BUCKET), s3_arn(PROCESSED_BUCKET), TABLE_ARN, LOG_GROUP_ARN, KMS_KEY_ARN)
    for sid, s in statements(policy).items():
        assert all("*" not in a for a in s["Action"]), sid
        # X-Ray accepts only "*"; everything else is one of the stack's own resources
        xray_only = all(a.startswith("xray:") for a in s["Action"])
        assert all(r == "*" if xray_only else r.startswith(mine) for r in s["Resource"]), sid
