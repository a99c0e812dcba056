"""API Gateway proxy responses: JSON bodies, and the CORS headers an allowed origin gets."""

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

# API Gateway proxy response (payload 1.0).
ProxyResponse = dict[str, Any]

# What browsers may send cross-origin besides the CORS-safelisted headers.
CORS_ALLOW_HEADERS: Final = "authorization, content-type"
# How long a browser may reuse a preflight's answer (s).
CORS_MAX_AGE_SECONDS: Final = 600

_JSON_HEADERS: Final = {
    "Content-Type": "application/json",
    # Answers hold presigned URLs and private metadata: never cached by a shared cache.
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


@dataclass(frozen=True)
class ApiResponse:
    """An answer before CORS headers: ``body`` None means no content."""

    status: int
    body: object = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def to_proxy(self, extra_headers: Mapping[str, str]) -> ProxyResponse:
        content_headers = _JSON_HEADERS if self.body is not None else {}
        return {
            "statusCode": self.status,
            "headers": {**content_headers, **self.headers, **extra_headers},
            "body": "" if self.body is None else json.dumps(self.body, ensure_ascii=False, separators=(",", ":")),
            "isBase64Encoded": False,
        }


def json_response(status: int, body: object) -> ApiResponse:
    return ApiResponse(status, body)


def no_content(headers: Mapping[str, str] | None = None) -> ApiResponse:
    return ApiResponse(204, None, dict(headers or {}))


def error_response(status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> ApiResponse:
    return ApiResponse(status, {"error": code, "message": message}, dict(headers or {}))


def cors_headers(origin: str | None, allowed_origins: Collection[str]) -> dict[str, str]:
    """Headers every answer carries: the origin echoed only when it is exactly one of the allowed ones.

    ``Vary: Origin`` whenever CORS is configured at all: the answer depends on the Origin header, so a
    cache must not hand one origin's answer to another.
    """
    if not allowed_origins:
        return {}
    if origin is not None and origin in allowed_origins:
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    return {"Vary": "Origin"}


def preflight_headers(origin: str | None, allowed_origins: Collection[str], methods: Iterable[str]) -> dict[str, str]:
    """A preflight's answer: nothing CORS-related for an origin that is not allowed."""
    headers = cors_headers(origin, allowed_origins)
    if "Access-Control-Allow-Origin" not in headers:
        return headers
    return {
        **headers,
        "Access-Control-Allow-Methods": ", ".join(methods),
        "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS,
        "Access-Control-Max-Age": str(CORS_MAX_AGE_SECONDS),
    }
