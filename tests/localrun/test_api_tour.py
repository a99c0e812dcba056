"""The demo checks the Cognito ID token as API Gateway's authorizer would before the API sees its claims."""

import base64
import json
import time

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from localrun.api_tour import TokenRefused, verified_claims

POOL = "eu-west-1_Demo123"
CLIENT = "client-1"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwks() -> dict[str, object]:
    numbers = KEY.public_key().public_numbers()
    n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
    return {"keys": [{"kid": "k1", "kty": "RSA", "alg": "RS256", "e": _b64(b"\x01\x00\x01"), "n": _b64(n)}]}


def token(**overrides: object) -> str:
    claims = {
        "sub": "abc",
        "iss": f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL}",
        "aud": CLIENT,
        "token_use": "id",
        "exp": int(time.time()) + 600,
        **overrides,
    }
    head = _b64(json.dumps({"kid": "k1", "alg": "RS256"}).encode())
    body = _b64(json.dumps(claims).encode())
    signature = KEY.sign(f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{head}.{body}.{_b64(signature)}"


def test_a_token_signed_by_the_pool_for_the_client_passes_with_its_claims_as_strings() -> None:
    claims = verified_claims(token(), _jwks(), client_id=CLIENT, pool_id=POOL)
    assert (claims["sub"], claims["token_use"], claims["exp"].isdigit()) == ("abc", "id", True)


def test_a_tampered_payload_is_refused() -> None:
    head, _, signature = token().split(".")
    forged = _b64(json.dumps({"sub": "someone-else", "aud": CLIENT, "token_use": "id"}).encode())
    with pytest.raises(TokenRefused, match="bad signature"):
        verified_claims(f"{head}.{forged}.{signature}", _jwks(), client_id=CLIENT, pool_id=POOL)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"aud": "other-client"}, "not an ID token for this app client"),
        ({"token_use": "access"}, "not an ID token for this app client"),
        ({"iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"}, "not the pool"),
        ({"exp": 1}, "expired"),
    ],
)
def test_a_token_for_something_else_is_refused(overrides: dict[str, object], reason: str) -> None:
    with pytest.raises(TokenRefused, match=reason):
        verified_claims(token(**overrides), _jwks(), client_id=CLIENT, pool_id=POOL)
