"""An API Gateway REST proxy event (payload format 1.0) as the request the operations read."""

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from handlers.api.errors import BadRequest

# API Gateway's request ids are UUIDs; a 500 quotes the id, so anything unlike one is not taken.
_REQUEST_ID: Final = re.compile(r"[A-Za-z0-9._-]{1,128}")


@dataclass(frozen=True)
class ApiRequest:
    method: str
    resource: str  # the API Gateway resource path, e.g. /images/{id}
    path: str
    path_parameters: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)  # names lower-cased
    raw_body: str | None = None
    body_is_base64: bool = False
    request_id: str | None = None  # API Gateway's, the one the client sees as x-amzn-RequestId
    claims: Mapping[str, Any] | None = None  # the authorizer's; None when no authorizer ran

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def body(self) -> bytes:
        """The body's bytes, base64-decoded when API Gateway encoded it; ``BadRequest`` if there is none."""
        if self.raw_body is None:
            raise BadRequest("the request has no body")
        if not self.body_is_base64:
            return self.raw_body.encode("utf-8", "surrogatepass")
        try:
            return base64.b64decode(self.raw_body, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest("the body is marked base64 but does not decode") from None


def parse_proxy_event(event: object) -> ApiRequest:
    if not isinstance(event, Mapping):
        raise BadRequest("not an API Gateway proxy event")
    context = _mapping(event.get("requestContext"))
    authorizer = _mapping(context.get("authorizer"))
    claims = authorizer.get("claims")
    body = event.get("body")
    request_id = context.get("requestId")
    return ApiRequest(
        method=str(event.get("httpMethod") or "").upper(),
        resource=str(event.get("resource") or ""),
        path=str(event.get("path") or ""),
        path_parameters=_strings(event.get("pathParameters")),
        query=_strings(event.get("queryStringParameters")),
        headers={k.lower(): v for k, v in _strings(event.get("headers")).items()},
        raw_body=body if isinstance(body, str) else None,
        body_is_base64=event.get("isBase64Encoded") is True,
        request_id=request_id if isinstance(request_id, str) and _REQUEST_ID.fullmatch(request_id) else None,
        claims=claims if isinstance(claims, Mapping) and claims else None,
    )


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _strings(value: object) -> dict[str, str]:
    """API Gateway sends null, not {}, for absent parameters; non-string values are not its."""
    return {str(k): v for k, v in _mapping(value).items() if isinstance(v, str)}
