"""POST /images: what is checked, and the presigned POST handed back for exactly that upload.

moto does not enforce a POST policy (size, type, expiry, signature): these tests decode the policy
S3 would enforce from ``fields["policy"]`` and assert its conditions themselves.
"""

import base64
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest

from emulated_aws.api_gateway import USER, post_images, upload_request
from emulated_aws.environment import REGION
from handlers import contract
from handlers.key_layout import image_id_for, parse_upload_key
from tests.api.api_deployment import call
from tests.handler.deployment import UPLOAD_BUCKET, Deployment

UPLOAD_ID = re.compile(r"[0-9a-f]{32}")


def policy_of(answer_body: dict[str, Any]) -> dict[str, Any]:
    policy: dict[str, Any] = json.loads(base64.b64decode(answer_body["upload"]["fields"]["policy"]))
    return policy


def conditions(policy: dict[str, Any]) -> tuple[dict[str, Any], list[list[Any]]]:
    """The policy's exact-match conditions as one dict, and its array conditions."""
    exact = {k: v for c in policy["conditions"] if isinstance(c, dict) for k, v in c.items()}
    arrays = [c for c in policy["conditions"] if isinstance(c, list)]
    return exact, arrays


def test_upload_is_created_with_a_presigned_post_under_the_callers_folder(aws: Deployment) -> None:
    # WHEN user-42 asks to upload a JPEG
    answer = call(post_images(upload_request("summer holiday.jpg", "image/jpeg", 2_000_000)))
    # THEN 201 names the image id the pipeline will use, and a POST to the upload bucket for a fresh key
    assert answer.status == 201
    assert set(answer.body) == {"image_id", "upload", "expires_in"}
    assert set(answer.body["upload"]) == {"url", "fields"}
    fields = answer.body["upload"]["fields"]
    key = fields["key"]
    user, upload_id, file_name = key.removeprefix(contract.UPLOAD_PREFIX).split("/")
    assert (user, file_name) == (USER, "summer holiday.jpg") and UPLOAD_ID.fullmatch(upload_id)
    assert parse_upload_key(key).user_id == USER
    assert answer.body["image_id"] == image_id_for(key)
    assert answer.body["expires_in"] == contract.DEFAULT_URL_TTL_SECONDS
    assert fields["Content-Type"] == "image/jpeg"


def test_presigned_post_targets_the_buckets_regional_virtual_host(aws: Deployment) -> None:
    answer = call(post_images(upload_request()))
    url = urlsplit(answer.body["upload"]["url"])
    assert (url.scheme, url.netloc) == ("https", f"{UPLOAD_BUCKET}.s3.{REGION}.amazonaws.com")
    fields = answer.body["upload"]["fields"]
    # SigV4: the algorithm and a credential scoped to the bucket's region
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert fields["x-amz-credential"].endswith(f"/{REGION}/s3/aws4_request")


def test_policy_allows_exactly_the_declared_type_size_key_and_bucket(aws: Deployment) -> None:
    # WHEN a 2 MB PNG upload is requested
    answer = call(post_images(upload_request("logo.png", "image/png", 2_000_000)))
    # THEN the policy S3 enforces pins the Content-Type, 1..2,000,000 bytes, the key and the bucket
    exact, arrays = conditions(policy_of(answer.body))
    assert exact["Content-Type"] == "image/png"
    assert exact["key"] == answer.body["upload"]["fields"]["key"]
    assert exact["bucket"] == UPLOAD_BUCKET
    assert arrays == [["content-length-range", 1, 2_000_000]]  # no starts-with: nothing left open


def test_policy_expires_after_the_default_ttl(aws: Deployment) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    answer = call(post_images(upload_request()))
    after = datetime.now(UTC)
    expiration = datetime.strptime(policy_of(answer.body)["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    ttl = timedelta(seconds=contract.DEFAULT_URL_TTL_SECONDS)
    assert before + ttl <= expiration <= after + ttl


def test_policy_expires_after_the_configured_ttl(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a stack that gives clients 60 s
    monkeypatch.setenv(contract.ENV_URL_TTL_SECONDS, "60")
    before = datetime.now(UTC).replace(microsecond=0)
    answer = call(post_images(upload_request()))
    expiration = datetime.strptime(policy_of(answer.body)["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert answer.body["expires_in"] == 60
    assert before + timedelta(seconds=60) <= expiration <= datetime.now(UTC) + timedelta(seconds=60)


def test_two_uploads_of_the_same_file_name_get_different_keys_and_ids(aws: Deployment) -> None:
    first, second = (call(post_images(upload_request("photo.jpg"))) for _ in range(2))
    assert first.body["upload"]["fields"]["key"] != second.body["upload"]["fields"]["key"]
    assert first.body["image_id"] != second.body["image_id"]


def test_largest_allowed_size_is_accepted(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(contract.ENV_MAX_OBJECT_BYTES, "5000")
    answer = call(post_images(upload_request(size=5000)))
    assert answer.status == 201
    assert conditions(policy_of(answer.body))[1] == [["content-length-range", 1, 5000]]


def test_size_over_the_limit_is_413(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(contract.ENV_MAX_OBJECT_BYTES, "5000")
    answer = call(post_images(upload_request(size=5001)))
    assert (answer.status, answer.error) == (413, "too_large")
    assert "5000" in answer.body["message"]


def test_default_limit_is_the_pipelines_max_object_bytes(aws: Deployment) -> None:
    too_big = call(post_images(upload_request(size=contract.DEFAULT_MAX_OBJECT_BYTES + 1)))
    assert (too_big.status, too_big.error) == (413, "too_large")


@pytest.mark.parametrize("size", [0, -1])
def test_size_below_one_byte_is_400(aws: Deployment, size: int) -> None:
    answer = call(post_images(upload_request(size=size)))
    assert (answer.status, answer.error) == (400, "bad_request")


@pytest.mark.parametrize(
    "content_type",
    ["image/tiff", "image/svg+xml", "text/html", "image/jpegx", "jpeg", "image/jpeg; x", "image/jpeg, image/png", ""],
)
def test_content_type_the_pipeline_cannot_decode_is_415(aws: Deployment, content_type: str) -> None:
    answer = call(post_images(upload_request(content_type=content_type)))
    assert (answer.status, answer.error) == (415, "unsupported_media_type")
    assert answer.body["message"].endswith("is not one of image/jpeg, image/png, image/webp, image/gif")


@pytest.mark.parametrize(
    ("content_type", "media_type"),
    [
        ("IMAGE/JPEG", "image/jpeg"),
        ("image/jpeg; charset=binary", "image/jpeg"),
        ('Image/PNG;foo=bar ; baz="q u o\\"ted"', "image/png"),
        ("  image/webp\t", "image/webp"),
        ("image/GIF;", "image/gif"),
    ],
)
def test_media_type_is_compared_without_case_or_parameters_and_the_policy_pins_it_normalised(
    aws: Deployment, content_type: str, media_type: str
) -> None:
    # WHEN an upload names its type in another case, or with parameters (RFC 9110 section 8.3.1)
    answer = call(post_images(upload_request(content_type=content_type)))
    # THEN it is accepted, and the form and the policy S3 enforces both hold the normalised type only
    assert answer.status == 201
    assert answer.body["upload"]["fields"]["Content-Type"] == media_type
    exact, _ = conditions(policy_of(answer.body))
    assert exact["Content-Type"] == media_type


@pytest.mark.parametrize("content_type", sorted(contract.UPLOAD_CONTENT_TYPES))
def test_every_content_type_the_pipeline_decodes_is_accepted(aws: Deployment, content_type: str) -> None:
    answer = call(post_images(upload_request(content_type=content_type)))
    assert answer.status == 201
    assert conditions(policy_of(answer.body))[0]["Content-Type"] == content_type


@pytest.mark.parametrize(
    "file_name",
    [
        "",
        ".",
        "..",
        "album/photo.jpg",
        "..\\photo.jpg",
        "photo\x00.jpg",
        "photo\n.jpg",
        "\x7f",
        "a" * 256,
        "${filename}",
    ],
    ids=["empty", "dot", "dotdot", "slash", "backslash", "nul", "newline", "del", "256-chars", "s3-variable"],
)
def test_file_name_that_is_not_a_plain_name_is_400(aws: Deployment, file_name: str) -> None:
    answer = call(post_images(upload_request(file_name=file_name)))
    assert (answer.status, answer.error) == (400, "bad_request")


def test_file_name_of_255_characters_is_accepted(aws: Deployment) -> None:
    answer = call(post_images(upload_request(file_name="a" * 251 + ".jpg")))
    assert answer.status == 201


def test_file_name_whose_key_would_exceed_s3s_1024_bytes_is_400(aws: Deployment) -> None:
    # 255 characters, but 4 UTF-8 bytes each: the key would be over 1 KiB
    answer = call(post_images(upload_request(file_name="\N{GRINNING FACE}" * 251 + ".jpg")))
    assert (answer.status, answer.error) == (400, "bad_request")
    assert "1024 bytes" in answer.body["message"]


def test_unicode_file_name_is_kept_as_it_is(aws: Deployment) -> None:
    answer = call(post_images(upload_request(file_name="été à Zürich.jpg")))
    assert answer.body["upload"]["fields"]["key"].endswith("/été à Zürich.jpg")


@pytest.mark.parametrize(
    "body",
    ["not json", "", "[1, 2]", '"photo.jpg"', "null", "[" * 100_000],
    ids=["not-json", "empty", "array", "string", "null", "deeply-nested"],
)
def test_body_that_is_not_a_json_object_is_400(aws: Deployment, body: str) -> None:
    answer = call(post_images(body))
    assert (answer.status, answer.error) == (400, "bad_request")


def test_request_without_body_is_400(aws: Deployment) -> None:
    event = post_images("{}")
    event["body"] = None
    assert call(event).status == 400


@pytest.mark.parametrize(
    "body",
    [
        {"file_name": "a.jpg", "content_type": "image/jpeg"},
        {"file_name": "a.jpg", "size": 10},
        {"content_type": "image/jpeg", "size": 10},
        {**upload_request(), "user_id": "someone-else"},
        {**upload_request(), "key": "uploads/someone-else/a.jpg"},
    ],
    ids=["no-size", "no-content-type", "no-file-name", "extra-user-id", "extra-key"],
)
def test_missing_or_extra_fields_are_400(aws: Deployment, body: dict[str, Any]) -> None:
    answer = call(post_images(body))
    assert (answer.status, answer.error) == (400, "bad_request")


@pytest.mark.parametrize(
    ("field", "value"),
    [("size", "1000"), ("size", 1000.0), ("size", True), ("size", None), ("file_name", 5), ("content_type", None)],
)
def test_wrongly_typed_fields_are_400(aws: Deployment, field: str, value: object) -> None:
    answer = call(post_images({**upload_request(), field: value}))
    assert (answer.status, answer.error) == (400, "bad_request")
    assert field in answer.body["message"]


def test_base64_encoded_body_is_decoded(aws: Deployment) -> None:
    # GIVEN API Gateway passed the body base64-encoded (a binary media type matched)
    answer = call(post_images(upload_request("b64.png", "image/png", 10), base64_body=True))
    assert answer.status == 201
    assert answer.body["upload"]["fields"]["key"].endswith("/b64.png")


def test_body_marked_base64_that_does_not_decode_is_400(aws: Deployment) -> None:
    event = post_images(upload_request())
    event["isBase64Encoded"] = True  # but the body is plain JSON
    answer = call(event)
    assert (answer.status, answer.error) == (400, "bad_request")


def test_upload_key_never_comes_from_the_body_headers_or_query(aws: Deployment) -> None:
    # GIVEN a request that names another user everywhere the client can write
    event = post_images(
        upload_request(),
        headers={"X-User-Id": "user-77", "Content-Type": "application/json"},
        query={"user_id": "user-77"},
    )
    # WHEN it is served
    answer = call(event)
    # THEN the key is under the authorizer's sub only
    assert answer.body["upload"]["fields"]["key"].startswith(f"{contract.UPLOAD_PREFIX}{USER}/")
