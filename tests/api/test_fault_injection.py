"""Every AWS call each route makes, failed every way it can fail: a 500 in the documented shape, one
api.failed line naming the cause, and nothing half-done that looks complete.

Each fault replaces one method of the API's own clients (an instance attribute shadows the client's
method); a botocore hook would not do, since moto applies the request anyway (shared README).
"""

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError, ReadTimeoutError

from emulated_aws.api_gateway import USER, delete_image, get_image, list_images, post_images, upload_request
from handlers.api.clients import AWS_OPERATIONS, api_clients
from handlers.aws_budget import OutOfTime
from handlers.key_layout import image_id_for, rendition_prefix, upload_key
from handlers.telemetry.events import FIELD_API_REQUEST_ID, FIELD_ERROR_TYPE, FIELD_EVENT, FIELD_LEVEL, LogEvent
from tests.api.api_deployment import SeededImage, call, item, seed_image, versions
from tests.conftest import LogLines
from tests.handler.deployment import PROCESSED_BUCKET, UPLOAD_BUCKET, Deployment

API_REQUEST_ID = "fault-0000-api-gateway"
# The id of an upload whose event has not been processed: no item yet.
PENDING_ID = image_id_for(upload_key(USER, "pending", "photo.jpg"))
ENDPOINT = "https://dynamodb.eu-west-1.amazonaws.com/"

Fault = Callable[..., Any]


def client_error(code: str, status: int) -> Fault:
    def fail(**_: Any) -> Any:
        raise ClientError(
            {"Error": {"Code": code, "Message": f"injected {code}"}, "ResponseMetadata": {"HTTPStatusCode": status}},
            "Call",
        )

    return fail


def raising(exc: Exception) -> Fault:
    def fail(**_: Any) -> Any:
        raise exc

    return fail


def returning(response: object) -> Fault:
    return lambda **_: response


# What a network call can do instead of answering, and the error type the api.failed line then names.
NETWORK_FAULTS: dict[str, tuple[Fault, str]] = {
    "throttled": (client_error("ThrottlingException", 400), "ClientError"),
    "server-error": (client_error("InternalError", 500), "ClientError"),
    "access-denied": (client_error("AccessDenied", 403), "ClientError"),
    "stalled": (raising(ReadTimeoutError(endpoint_url=ENDPOINT)), "ReadTimeoutError"),
    "unreachable": (raising(EndpointConnectionError(endpoint_url=ENDPOINT)), "EndpointConnectionError"),
    "out-of-time": (raising(OutOfTime("injected: no time left")), "OutOfTime"),
}
# Signing makes no request; what can fail is the signer itself.
SIGNING_FAULTS: dict[str, tuple[Fault, str]] = {
    "no-credentials": (raising(NoCredentialsError()), "NoCredentialsError"),
}
# Answers no AWS service gives, of the shape each call's reader would choke on.
GARBAGE: dict[tuple[str, str], object] = {
    ("dynamodb", "query"): {"Items": [{"image_id": "not an attribute value"}]},
    ("dynamodb", "get_item"): {"Item": {"image_id": {"Q": "no such type"}}},
    ("s3", "list_object_versions"): {"Versions": "not a list", "IsTruncated": False},
    ("s3", "delete_objects"): {"Errors": "not a list"},
    ("s3", "generate_presigned_post"): {"no": "url"},
}


def route_events(seeded: SeededImage) -> dict[str, Callable[[], dict[str, Any]]]:
    return {
        "POST /images": lambda: post_images(upload_request(), request_id=API_REQUEST_ID),
        "GET /images": lambda: list_images(request_id=API_REQUEST_ID),
        "GET /images/{id}": lambda: get_image(seeded.image_id, request_id=API_REQUEST_ID),
        "DELETE /images/{id}": lambda: delete_image(seeded.image_id, request_id=API_REQUEST_ID),
        "DELETE /images/{id} without an item": lambda: delete_image(PENDING_ID, request_id=API_REQUEST_ID),
    }


# Every AWS call each route makes (or signs), in order.
ROUTE_CALLS: dict[str, tuple[tuple[str, str], ...]] = {
    "POST /images": (("s3", "generate_presigned_post"),),
    "GET /images": (("dynamodb", "query"),),
    "GET /images/{id}": (("dynamodb", "get_item"), ("s3", "generate_presigned_url")),
    "DELETE /images/{id}": (
        ("dynamodb", "get_item"),
        ("dynamodb", "put_item"),  # the tombstone, before anything is deleted
        ("s3", "list_object_versions"),
        ("s3", "delete_objects"),
    ),
    # An upload not processed yet: the caller is added to the id's tombstone, nothing else.
    "DELETE /images/{id} without an item": (
        ("dynamodb", "get_item"),
        ("dynamodb", "update_item"),
    ),
}
SIGNING_METHODS = frozenset({"generate_presigned_post", "generate_presigned_url"})


def cases() -> Iterator[Any]:
    for route, route_calls in ROUTE_CALLS.items():
        for service, method in route_calls:
            faults = dict(SIGNING_FAULTS if method in SIGNING_METHODS else NETWORK_FAULTS)
            if (service, method) in GARBAGE:
                faults["garbage"] = (returning(GARBAGE[service, method]), "")
            for name, (fault, error_type) in faults.items():
                yield pytest.param(route, service, method, fault, error_type, id=f"{route}-{method}-{name}")


@pytest.fixture
def inject(aws: Deployment) -> Iterator[Callable[[str, str, Fault], None]]:
    replaced: list[tuple[Any, str]] = []

    def swap(service: str, method: str, fault: Fault) -> None:
        client = getattr(api_clients(), service)
        setattr(client, method, fault)
        replaced.append((client, method))

    yield swap
    for client, method in replaced:
        vars(client).pop(method, None)


def test_the_fault_cases_cover_every_operation_the_api_makes_or_signs(aws: Deployment) -> None:
    clients = api_clients()
    signing = {"generate_presigned_post": "PutObject", "generate_presigned_url": "GetObject"}
    injected = {
        (service, signing.get(method) or getattr(clients, service).meta.method_to_api_mapping[method])
        for calls in ROUTE_CALLS.values()
        for service, method in calls
    }
    assert injected == {(op.service, op.operation) for op in AWS_OPERATIONS}


@pytest.mark.parametrize(("route", "service", "method", "fault", "error_type"), list(cases()))
def test_a_failed_call_is_a_500_naming_only_the_request_id_and_one_error_line(
    aws: Deployment,
    inject: Callable[[str, str, Fault], None],
    log_lines: LogLines,
    route: str,
    service: str,
    method: str,
    fault: Fault,
    error_type: str,
) -> None:
    # GIVEN the caller's image, and one call of the route failing
    seeded = seed_image(aws, versions=2)
    uploads_before = versions(aws, UPLOAD_BUCKET, seeded.key)
    renditions_before = versions(aws, PROCESSED_BUCKET, rendition_prefix(USER, seeded.image_id))
    inject(service, method, fault)
    # WHEN the route is called
    answer = call(route_events(seeded)[route]())
    # THEN the answer is the API's own 500, in the documented shape, with nothing of the cause
    assert answer.status == 500
    assert answer.body == {
        "error": "internal",
        "message": f"the request failed; quote request id {API_REQUEST_ID} when you report it",
    }
    assert json.loads(answer.raw["body"]) == answer.body
    # AND one ERROR line says what failed
    (line,) = log_lines()
    assert (line[FIELD_LEVEL], line[FIELD_EVENT], line[FIELD_API_REQUEST_ID]) == (
        "ERROR",
        LogEvent.API_FAILED,
        API_REQUEST_ID,
    )
    if error_type:
        assert line[FIELD_ERROR_TYPE] == error_type
    # AND the item that says what to delete (or the tombstone that does, once written) is still there, so
    # a retry can finish a DELETE; no object went
    assert item(aws, seeded.image_id) is not None
    assert versions(aws, UPLOAD_BUCKET, seeded.key) == uploads_before
    assert versions(aws, PROCESSED_BUCKET, rendition_prefix(USER, seeded.image_id)) == renditions_before
