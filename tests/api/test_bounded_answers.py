"""Bounded answers: an error quotes at most a short excerpt of what the client sent, whatever it sent.

Lambda refuses a response over 6 MB (API Gateway then answers 502), and an answer that grows with its
request is an amplifier besides. Every 4xx body here stays under BODY_LIMIT_BYTES.
"""

import json

import pytest

from emulated_aws.api_gateway import get_image, list_images, post_images, proxy_event, upload_request
from handlers import contract
from handlers.api.errors import MAX_MESSAGE_CHARS, BadRequest
from handlers.api.excerpt import MAX_EXCERPT_CHARS, excerpt, excerpts
from tests.api.api_deployment import Answer, call
from tests.handler.deployment import Deployment

# "A few KB" at most for any 4xx body: the message is capped at MAX_MESSAGE_CHARS.
BODY_LIMIT_BYTES = 2048
HUGE = 7_000_000


def body_bytes(answer: Answer) -> int:
    return len(answer.raw["body"].encode("utf-8"))


def assert_bounded_error(answer: Answer, status: int, code: str) -> None:
    assert (answer.status, answer.error) == (status, code)
    assert set(answer.body) == {"error", "message"}
    assert body_bytes(answer) <= BODY_LIMIT_BYTES


def test_a_7_mb_unexpected_key_comes_back_as_a_40_character_excerpt_and_its_length(aws: Deployment) -> None:
    # GIVEN a body with one extra key of 7,000,000 characters
    body = json.dumps({**upload_request(), "k" * HUGE: 1})
    # WHEN the upload is asked for
    answer = call(post_images(body))
    # THEN 400 names the key by its first 40 characters and its length, and nothing more of it
    assert_bounded_error(answer, 400, "bad_request")
    assert answer.body["message"] == (
        f'the body must hold exactly file_name, content_type, size; unexpected: "{"k" * 40}..." (7000000 characters)'
    )


def test_a_hundred_thousand_unexpected_keys_are_five_excerpts_and_a_count(aws: Deployment) -> None:
    body = json.dumps({**upload_request(), **{f"extra-{n:06d}": n for n in range(100_000)}})
    answer = call(post_images(body))
    assert_bounded_error(answer, 400, "bad_request")
    assert answer.body["message"].endswith(
        'unexpected: "extra-000000", "extra-000001", "extra-000002", "extra-000003", "extra-000004" and 99995 more'
    )


@pytest.mark.parametrize(
    ("field", "value", "status", "code"),
    [
        ("file_name", "n" * HUGE, 400, "bad_request"),
        ("file_name", "\u202e" * HUGE, 400, "bad_request"),
        ("content_type", "image/" + "j" * HUGE, 415, "unsupported_media_type"),
        ("content_type", "image/jpeg; p=" + "v" * HUGE, 415, "unsupported_media_type"),
        ("size", 10**4000, 413, "too_large"),
        ("size", -(10**4000), 400, "bad_request"),
        ("size", "9" * HUGE, 400, "bad_request"),
    ],
    ids=["long-name", "long-bidi-name", "long-type", "long-parameter", "huge-size", "huge-negative", "size-string"],
)
def test_a_huge_field_value_is_answered_in_a_bounded_body(
    aws: Deployment, field: str, value: object, status: int, code: str
) -> None:
    answer = call(post_images(json.dumps({**upload_request(), field: value})))
    assert_bounded_error(answer, status, code)


def test_a_size_too_large_to_print_is_described_by_its_bits(aws: Deployment) -> None:
    # Python refuses str() of an integer over 4,300 digits: the message must not try
    answer = call(post_images(json.dumps({**upload_request(), "size": 10**4000})))
    assert answer.body["message"] == "size a 13288-bit number is over the limit of 52428800 bytes"


def test_a_huge_body_that_is_not_json_is_a_bounded_400(aws: Deployment) -> None:
    assert_bounded_error(call(post_images("x" * HUGE)), 400, "bad_request")


def test_a_huge_image_id_is_a_bounded_404_quoting_an_excerpt(aws: Deployment) -> None:
    answer = call(get_image("i" * HUGE))
    assert_bounded_error(answer, 404, "not_found")
    assert answer.body["message"] == f'no image "{"i" * 40}..." (7000000 characters)'


def test_a_huge_method_is_a_bounded_405(aws: Deployment) -> None:
    answer = call(proxy_event("X" * HUGE, contract.API_IMAGES_PATH))
    assert_bounded_error(answer, 405, "method_not_allowed")
    assert answer.headers["Allow"] == "GET, POST, OPTIONS"


def test_a_huge_resource_is_a_bounded_404(aws: Deployment) -> None:
    assert_bounded_error(call(proxy_event("GET", "/" + "r" * HUGE)), 404, "not_found")


@pytest.mark.parametrize(
    "query",
    [{"limit": "9" * HUGE}, {"cursor": "c" * HUGE}, {"x" * HUGE: "y" * HUGE, "limit": "0"}],
    ids=["limit", "cursor", "other-parameter"],
)
def test_a_huge_query_string_is_a_bounded_400(aws: Deployment, query: dict[str, str]) -> None:
    assert_bounded_error(call(list_images(query=query)), 400, "bad_request")


def test_huge_headers_are_a_bounded_answer_and_echo_nothing(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(contract.ENV_CORS_ORIGINS, json.dumps(["https://app.example.com"]))
    headers = {"Origin": "https://" + "o" * HUGE, "X-Anything": "h" * HUGE}
    answer = call(list_images(user=None, headers=headers))
    assert_bounded_error(answer, 401, "unauthorized")
    assert sum(len(k) + len(v) for k, v in answer.headers.items()) < BODY_LIMIT_BYTES


def test_a_huge_claim_is_a_bounded_401(aws: Deployment) -> None:
    answer = call(proxy_event("GET", contract.API_IMAGES_PATH, claims={"sub": "s" * HUGE, "x" * HUGE: "y"}))
    assert_bounded_error(answer, 401, "unauthorized")


def test_a_request_id_that_is_not_api_gateways_is_not_echoed_by_a_500(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a misconfigured function (a 500), and an event whose request id is 7 MB
    monkeypatch.delenv(contract.ENV_METADATA_TABLE)
    answer = call(list_images(request_id="r" * HUGE))
    # THEN the 500 names Lambda's own request id instead
    assert (answer.status, answer.error) == (500, "internal")
    assert body_bytes(answer) <= BODY_LIMIT_BYTES
    assert "rrrr" not in answer.body["message"]


# --- the excerpt itself ---


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("photo.jpg", '"photo.jpg"'),
        ("a" * MAX_EXCERPT_CHARS, '"' + "a" * MAX_EXCERPT_CHARS + '"'),
        ("a" * (MAX_EXCERPT_CHARS + 1), '"' + "a" * MAX_EXCERPT_CHARS + '..." (41 characters)'),
        ("photo\u202egpj.exe", '"photo\\u202egpj.exe"'),  # no bidi override reaches a reader
        ("line\nbreak\x00", '"line\\nbreak\\u0000"'),
        ("\ud800", '"\\ud800"'),
        (5001, "5001"),
        (-(2**128 - 1), str(-(2**128 - 1))),
        (2**128 + 1, "a 129-bit number"),
    ],
)
def test_excerpt_quotes_escapes_and_cuts(value: str | int, shown: str) -> None:
    assert excerpt(value) == shown


def test_excerpts_lists_five_and_counts_the_rest() -> None:
    assert excerpts(["a", "b"]) == '"a", "b"'
    assert excerpts(str(n) for n in range(8)) == '"0", "1", "2", "3", "4" and 3 more'


def test_an_error_message_is_cut_to_its_limit_whatever_builds_it() -> None:
    assert len(BadRequest("m" * 10_000).message) == MAX_MESSAGE_CHARS
