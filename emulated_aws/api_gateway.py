"""API Gateway REST proxy events (payload format 1.0) as API Gateway hands them to the API function (tests, demo).

With a Cognito user pool authorizer, API Gateway puts the verified token's claims under
``requestContext.authorizer.claims``; a route without an authorizer (OPTIONS) has no ``authorizer``.
"""

import base64
import json
import uuid
from collections.abc import Mapping
from typing import Any

from handlers.contract import API_IMAGE_ID_PARAM, API_IMAGE_PATH, API_IMAGES_PATH

USER = "user-42"
OTHER_USER = "user-77"
STAGE = "v1"

ProxyEvent = dict[str, Any]


def proxy_event(
    method: str,
    resource: str,
    *,
    user: str | None = USER,
    claims: Mapping[str, Any] | None = None,
    path_parameters: Mapping[str, str] | None = None,
    query: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    body: str | None = None,
    base64_body: bool = False,
    request_id: str | None = None,
) -> ProxyEvent:
    """``user`` becomes the claims' ``sub`` (None: no authorizer ran); ``claims`` overrides them whole."""
    path = resource
    for name, value in (path_parameters or {}).items():
        path = path.replace(f"{{{name}}}", value)
    if claims is None and user is not None:
        claims = {"sub": user, "token_use": "id", "cognito:username": user, "email": f"{user}@example.com"}
    context: dict[str, Any] = {
        "resourcePath": resource,
        "httpMethod": method,
        "path": f"/{STAGE}{path}",
        "stage": STAGE,
        "requestId": request_id or str(uuid.uuid4()),
        "identity": {"sourceIp": "203.0.113.10", "userAgent": "pytest"},
    }
    if claims is not None:
        context["authorizer"] = {"claims": dict(claims)}
    encoded = base64.b64encode(body.encode()).decode() if body is not None and base64_body else body
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": dict(headers) if headers is not None else None,
        "multiValueHeaders": {k: [v] for k, v in headers.items()} if headers is not None else None,
        "queryStringParameters": dict(query) if query else None,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": dict(path_parameters) if path_parameters else None,
        "stageVariables": None,
        "requestContext": context,
        "body": encoded,
        "isBase64Encoded": base64_body,
    }


def post_images(body: object, *, user: str | None = USER, **kwargs: Any) -> ProxyEvent:
    text = body if isinstance(body, str) else json.dumps(body)
    return proxy_event("POST", API_IMAGES_PATH, user=user, body=text, **kwargs)


def upload_request(file_name: str = "photo.jpg", content_type: str = "image/jpeg", size: int = 1000) -> dict[str, Any]:
    return {"file_name": file_name, "content_type": content_type, "size": size}


def list_images(*, user: str | None = USER, query: Mapping[str, str] | None = None, **kwargs: Any) -> ProxyEvent:
    return proxy_event("GET", API_IMAGES_PATH, user=user, query=query, **kwargs)


def get_image(image_id: str, *, user: str | None = USER, **kwargs: Any) -> ProxyEvent:
    return proxy_event("GET", API_IMAGE_PATH, user=user, path_parameters={API_IMAGE_ID_PARAM: image_id}, **kwargs)


def delete_image(image_id: str, *, user: str | None = USER, **kwargs: Any) -> ProxyEvent:
    return proxy_event("DELETE", API_IMAGE_PATH, user=user, path_parameters={API_IMAGE_ID_PARAM: image_id}, **kwargs)


def preflight(resource: str, origin: str, method: str = "POST", **kwargs: Any) -> ProxyEvent:
    """What a browser sends before a cross-origin request: no credentials, so no authorizer runs."""
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    return proxy_event("OPTIONS", resource, user=None, headers=headers, **kwargs)
