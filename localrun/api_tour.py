"""One image's life through the image API, in the emulator: sign in, POST, upload, process, GET, DELETE.

A Cognito user in moto signs in and gets an ID token; the token is checked as API Gateway's Cognito
authorizer checks it (RS256 signature against the pool's JWKS, issuer, audience, use, expiry) and its
claims go into the proxy event API Gateway would send. ``handlers.image_api.handler`` then runs
unchanged, in-process; the upload is a real multipart POST of the presigned form to the emulator.
"""

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from emulated_aws.api_gateway import delete_image, get_image, list_images, post_images, upload_request
from emulated_aws.lambda_context import LocalLambdaContext
from emulated_aws.server import LocalAws
from handlers.image_api import handler as api_handler

DEMO_EMAIL = "demo-user@example.com"
DEMO_PASSWORD = "Demo-passw0rd-2026"  # an emulator's user; never a real account


# The answer each step of the tour must get (the last GET after the DELETE: gone).
EXPECTED = {
    "sign in (Cognito)": 200,
    "POST /images": 201,
    "POST to S3 (form)": 204,
    "GET /images/{id}": 404,
    "GET rendition URL": 200,
    "GET /images": 200,
    "DELETE /images/{id}": 204,
}


class TokenRefused(Exception):
    """The ID token would not pass API Gateway's Cognito authorizer."""


@dataclass
class Tour:
    """What happened, step by step, for the terminal and the tests."""

    steps: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    image_id: str | None = None
    renditions: int = 0
    versions_left: int = -1

    @property
    def as_expected(self) -> bool:
        """Every step answered what the API promises, and nothing of the image is left."""
        return self.statuses == EXPECTED and self.versions_left == 0 and self.renditions > 0

    def step(self, name: str, status: int, text: str) -> None:
        self.statuses[name] = status
        self.steps.append(f"{name:<22} {status}  {text}")


def sign_in(aws: LocalAws) -> dict[str, str]:
    """A user pool, an app client and a user in the emulator; the verified claims of the user's ID token."""
    cognito = aws.client("cognito-idp")
    pool = cognito.create_user_pool(PoolName="imagepipe-demo-users", UsernameAttributes=["email"])["UserPool"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="demo", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]
    cognito.admin_create_user(UserPoolId=pool["Id"], Username=DEMO_EMAIL, MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool["Id"], Username=DEMO_EMAIL, Password=DEMO_PASSWORD, Permanent=True)
    auth = cognito.initiate_auth(
        ClientId=client["ClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": DEMO_EMAIL, "PASSWORD": DEMO_PASSWORD},
    )
    token = auth["AuthenticationResult"]["IdToken"]
    jwks = requests.get(f"{aws.endpoint_url}/{pool['Id']}/.well-known/jwks.json", timeout=10).json()
    return verified_claims(token, jwks, client_id=client["ClientId"], pool_id=pool["Id"])


def verified_claims(token: str, jwks: dict[str, Any], *, client_id: str, pool_id: str) -> dict[str, str]:
    """The claims of an ID token, as API Gateway's Cognito authorizer accepts them, or TokenRefused."""
    try:
        header_b64, payload_b64, signature_b64 = token.split(".")
        header, claims = json.loads(_b64(header_b64)), json.loads(_b64(payload_b64))
    except ValueError as exc:
        raise TokenRefused(f"not a JWT: {exc}") from None
    keys = {k["kid"]: k for k in jwks.get("keys", [])}
    jwk = keys.get(header.get("kid"))
    if header.get("alg") != "RS256" or jwk is None:
        raise TokenRefused("not signed with one of the pool's keys")
    public = rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"])).public_key()
    try:
        signed = f"{header_b64}.{payload_b64}".encode()
        public.verify(_b64(signature_b64), signed, padding.PKCS1v15(), hashes.SHA256())
    except Exception as exc:  # cryptography raises InvalidSignature
        raise TokenRefused("bad signature") from exc
    if not str(claims.get("iss", "")).endswith(f"/{pool_id}"):
        raise TokenRefused(f"issued by {claims.get('iss')!r}, not the pool")
    if claims.get("aud") != client_id or claims.get("token_use") != "id":
        raise TokenRefused("not an ID token for this app client")
    if int(claims.get("exp", 0)) < time.time():
        raise TokenRefused("expired")
    # API Gateway hands claims on as strings.
    return {name: str(value) for name, value in claims.items()}


def run_tour(aws: LocalAws, upload_bucket: str, process_upload: Callable[[str], None]) -> Tour:
    """``process_upload(key)``: hand the image processor S3's event for the object now at ``key``."""
    tour = Tour()
    claims = sign_in(aws)
    tour.step("sign in (Cognito)", 200, f"ID token for {DEMO_EMAIL}, sub {claims['sub'][:8]}…, signature checked")

    def call(event: dict[str, Any]) -> tuple[int, Any]:
        event["requestContext"]["authorizer"] = {"claims": claims}
        response = api_handler(event, LocalLambdaContext(timeout_ms=10_000))
        body = json.loads(response["body"]) if response.get("body") else None
        return int(response["statusCode"]), body

    photo = _sample_jpeg()
    status, created = call(post_images(upload_request("api-photo.jpg", "image/jpeg", len(photo))))
    tour.step("POST /images", status, f"presigned POST for {created['upload']['fields']['key']}")
    upload = created["upload"]
    posted = requests.post(
        upload["url"], data=upload["fields"], files={"file": ("api-photo.jpg", photo, "image/jpeg")}, timeout=10
    )
    tour.step("POST to S3 (form)", posted.status_code, f"{len(photo):,} bytes straight to the upload bucket")
    process_upload(upload["fields"]["key"])
    tour.image_id = created["image_id"]

    status, image = call(get_image(tour.image_id))
    tour.renditions = len(image.get("renditions", [])) if status == 200 else 0
    tour.step("GET /images/{id}", status, f"{image.get('status')}, {tour.renditions} renditions with presigned URLs")
    if tour.renditions:
        fetched = requests.get(image["renditions"][0]["url"], timeout=10)
        tour.step("GET rendition URL", fetched.status_code, f"{len(fetched.content):,} bytes of the first rendition")
    status, listing = call(list_images())
    tour.step("GET /images", status, f"{len(listing['images'])} image(s) of this user")
    status, _ = call(delete_image(tour.image_id))
    tour.step("DELETE /images/{id}", status, "original versions and renditions removed, the item now a tombstone")
    status, _ = call(get_image(tour.image_id))
    tour.step("GET /images/{id}", status, "gone")
    listed = aws.client("s3").list_object_versions(Bucket=upload_bucket, Prefix=upload["fields"]["key"])
    tour.versions_left = len(listed.get("Versions", [])) + len(listed.get("DeleteMarkers", []))
    return tour


def _sample_jpeg() -> bytes:
    import io

    from localrun.samples import harbour_photo

    buffer = io.BytesIO()
    harbour_photo((1200, 800)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _int(text: str) -> int:
    return int.from_bytes(_b64(text), "big")
