"""Routes, methods, CORS and preflights: what the API answers before any operation runs."""

import json

import pytest

from emulated_aws.api_gateway import list_images, preflight, proxy_event
from handlers import contract
from tests.api.api_deployment import LAMBDA_REQUEST_ID, call
from tests.handler.deployment import Deployment

APP = "https://app.example.com"
ORIGINS = [APP, "http://localhost:5173"]
SOME_ID = "6f0c1d2e-7a4b-5c3d-9e8f-a1b2c3d4e5f6"


@pytest.fixture
def cors(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(contract.ENV_CORS_ORIGINS, json.dumps(ORIGINS))


def cors_header_names(headers: dict[str, str]) -> set[str]:
    return {name for name in headers if name.lower().startswith("access-control-")}


@pytest.mark.parametrize("resource", ["/", "/images/{id}/renditions", "/{proxy+}", ""])
def test_unknown_resource_is_404(aws: Deployment, resource: str) -> None:
    answer = call(proxy_event("GET", resource))
    assert (answer.status, answer.error) == (404, "not_found")


@pytest.mark.parametrize(
    ("method", "resource", "allow"),
    [
        ("PUT", contract.API_IMAGES_PATH, "GET, POST, OPTIONS"),
        ("DELETE", contract.API_IMAGES_PATH, "GET, POST, OPTIONS"),
        ("POST", contract.API_IMAGE_PATH, "GET, DELETE, OPTIONS"),
        ("PATCH", contract.API_IMAGE_PATH, "GET, DELETE, OPTIONS"),
    ],
)
def test_known_resource_with_another_method_is_405_with_allow(
    aws: Deployment, method: str, resource: str, allow: str
) -> None:
    answer = call(proxy_event(method, resource, path_parameters={"id": SOME_ID} if "{id}" in resource else None))
    assert (answer.status, answer.error) == (405, "method_not_allowed")
    assert answer.headers["Allow"] == allow


def test_answers_are_json_that_no_shared_cache_keeps(aws: Deployment) -> None:
    answer = call(list_images())
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.usefixtures("cors")
@pytest.mark.parametrize(
    ("resource", "methods"),
    [(contract.API_IMAGES_PATH, "GET, POST, OPTIONS"), (contract.API_IMAGE_PATH, "GET, DELETE, OPTIONS")],
)
def test_preflight_from_an_allowed_origin_is_answered_without_identity(resource: str, methods: str) -> None:
    # WHEN a browser at an allowed origin sends a preflight (no credentials: no authorizer ran)
    answer = call(preflight(resource, APP))
    # THEN 204 allows that origin exactly, the route's methods and the headers the app sends
    assert answer.status == 204
    assert answer.raw["body"] == ""
    assert answer.headers["Access-Control-Allow-Origin"] == APP
    assert answer.headers["Access-Control-Allow-Methods"] == methods
    assert answer.headers["Access-Control-Allow-Headers"] == "authorization, content-type"
    assert int(answer.headers["Access-Control-Max-Age"]) > 0
    assert answer.headers["Vary"] == "Origin"


@pytest.mark.usefixtures("cors")
@pytest.mark.parametrize("origin", ["https://evil.example.com", "https://app.example.com.evil.com", "null", "*"])
def test_preflight_from_another_origin_gets_no_cors_headers(origin: str) -> None:
    answer = call(preflight(contract.API_IMAGES_PATH, origin))
    assert answer.status == 204
    assert cors_header_names(answer.headers) == set()


@pytest.mark.usefixtures("cors")
def test_preflight_on_an_unknown_resource_is_404() -> None:
    assert call(preflight("/admin", APP)).status == 404


@pytest.mark.usefixtures("cors")
def test_answer_to_an_allowed_origin_names_that_origin_and_varies_by_it() -> None:
    answer = call(list_images(headers={"origin": "http://localhost:5173"}))
    assert answer.status == 200
    assert answer.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert answer.headers["Vary"] == "Origin"


@pytest.mark.usefixtures("cors")
def test_error_answers_to_an_allowed_origin_carry_cors_headers_too() -> None:
    # A browser can only read a 401 (to send its user to sign in) when CORS allows it.
    answer = call(list_images(user=None, headers={"Origin": APP}))
    assert answer.status == 401
    assert answer.headers["Access-Control-Allow-Origin"] == APP


@pytest.mark.usefixtures("cors")
def test_answer_to_another_origin_has_no_cors_headers() -> None:
    answer = call(list_images(headers={"Origin": "https://evil.example.com"}))
    assert answer.status == 200
    assert cors_header_names(answer.headers) == set()


def test_without_configured_origins_no_answer_has_cors_headers(aws: Deployment) -> None:
    answer = call(preflight(contract.API_IMAGES_PATH, APP))
    assert answer.status == 204
    assert cors_header_names(answer.headers) == set()
    assert cors_header_names(call(list_images(headers={"Origin": APP})).headers) == set()


def test_event_that_is_not_a_proxy_event_is_400(aws: Deployment) -> None:
    answer = call(["not", "an", "event"])
    assert (answer.status, answer.error) == (400, "bad_request")


def test_misconfigured_function_is_500_naming_only_the_request_id(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a stack whose CORS_ORIGINS is not a JSON list
    monkeypatch.setenv(contract.ENV_CORS_ORIGINS, "https://app.example.com")
    answer = call(list_images(request_id="api-req-1"))
    assert (answer.status, answer.error) == (500, "internal")
    assert "api-req-1" in answer.body["message"]
    assert "CORS" not in answer.body["message"]


def test_500_without_an_api_gateway_request_id_names_lambdas(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(contract.ENV_UPLOAD_BUCKET)
    event = list_images()
    del event["requestContext"]["requestId"]
    answer = call(event)
    assert answer.status == 500
    assert LAMBDA_REQUEST_ID in answer.body["message"]
