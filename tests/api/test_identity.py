"""The caller is the authorizer's ``sub``: without one the API answers 401, unless the stack runs anonymously."""

import pytest

from emulated_aws.api_gateway import get_image, list_images, post_images, proxy_event, upload_request
from handlers import contract
from handlers.api.identity import MAX_USER_ID_CHARS
from tests.api.api_deployment import call
from tests.handler.deployment import Deployment

SOME_ID = "6f0c1d2e-7a4b-5c3d-9e8f-a1b2c3d4e5f6"


@pytest.mark.parametrize(
    "event",
    [
        post_images(upload_request(), user=None),
        list_images(user=None),
        get_image(SOME_ID, user=None),
        proxy_event("DELETE", contract.API_IMAGE_PATH, user=None, path_parameters={"id": SOME_ID}),
    ],
    ids=["post", "list", "get", "delete"],
)
def test_request_without_claims_is_401_on_every_route(aws: Deployment, event: dict[str, object]) -> None:
    answer = call(event)
    assert (answer.status, answer.error) == (401, "unauthorized")
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert set(answer.body) == {"error", "message"}


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "a@example.com"},
        {"sub": ""},
        {"sub": "."},
        {"sub": ".."},
        {"sub": "user/42"},
        {"sub": "user\n42"},
        {"sub": "x" * (MAX_USER_ID_CHARS + 1)},
        {"sub": 42},
    ],
    ids=["no-sub", "empty", "dot", "dotdot", "slash", "control-char", "too-long", "not-a-string"],
)
def test_sub_that_is_not_a_safe_key_part_is_401(aws: Deployment, claims: dict[str, object]) -> None:
    answer = call(proxy_event("GET", contract.API_IMAGES_PATH, claims=claims))
    assert (answer.status, answer.error) == (401, "unauthorized")


def test_longest_allowed_sub_is_a_caller(aws: Deployment) -> None:
    answer = call(list_images(user="x" * MAX_USER_ID_CHARS))
    assert answer.status == 200


def test_anonymous_stack_serves_a_request_without_claims_as_its_configured_user(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a stack run without an authorizer, whose every caller is "demo-user"
    monkeypatch.setenv(contract.ENV_ANONYMOUS_USER, "demo-user")
    # WHEN a request without claims asks to upload
    answer = call(post_images(upload_request(), user=None))
    # THEN it is served as demo-user
    assert answer.status == 201
    assert answer.body["upload"]["fields"]["key"].startswith(f"{contract.UPLOAD_PREFIX}demo-user/")


def test_anonymous_stack_still_uses_the_sub_of_a_request_that_has_claims(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(contract.ENV_ANONYMOUS_USER, "demo-user")
    answer = call(post_images(upload_request(), user="user-42"))
    assert answer.body["upload"]["fields"]["key"].startswith(f"{contract.UPLOAD_PREFIX}user-42/")


def test_anonymous_stack_refuses_claims_with_an_empty_sub(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(contract.ENV_ANONYMOUS_USER, "demo-user")
    answer = call(proxy_event("GET", contract.API_IMAGES_PATH, claims={"sub": ""}))
    assert (answer.status, answer.error) == (401, "unauthorized")


def test_anonymous_user_that_is_not_a_safe_key_part_is_a_500(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a misconfigured stack: the anonymous user would climb out of its folder
    monkeypatch.setenv(contract.ENV_ANONYMOUS_USER, "..")
    # THEN nothing is served
    answer = call(list_images(user=None))
    assert (answer.status, answer.error) == (500, "internal")
