"""One proxy event through the API: settings, route, preflight or identity, the operation, the answer.

A 4xx is an ``ApiError`` raised on the way; anything else is a 500 whose body names only the request
id, while one ERROR line (``api.failed``, with the traceback) holds the cause. CORS headers go on
every answer to an allowed origin, errors included, so a browser can read them.
"""

import logging
from collections.abc import Mapping

from handlers.api.clients import ApiClients
from handlers.api.errors import INTERNAL_CODE, INTERNAL_STATUS, ApiError, internal_message
from handlers.api.identity import caller_of
from handlers.api.proxy_event import ApiRequest, parse_proxy_event
from handlers.api.responses import (
    ApiResponse,
    ProxyResponse,
    cors_headers,
    error_response,
    no_content,
    preflight_headers,
)
from handlers.api.routes import PREFLIGHT_METHOD, find_route
from handlers.api.settings import ApiSettings, api_settings
from handlers.aws_calls import aws_error_code
from handlers.telemetry.events import (
    FIELD_API_REQUEST_ID,
    FIELD_ERROR_CODE,
    FIELD_ERROR_MESSAGE,
    FIELD_ERROR_TYPE,
    FIELD_HTTP_METHOD,
    FIELD_RESOURCE,
    Level,
    LogEvent,
)
from handlers.telemetry.logger import log_event

_logger = logging.getLogger(__name__)
ORIGIN_HEADER = "origin"


def handle(event: object, environ: Mapping[str, str], clients: ApiClients, invocation_id: str) -> ProxyResponse:
    """The proxy response to ``event``; ``invocation_id`` (Lambda's request id) stands in for a missing
    API Gateway request id."""
    settings: ApiSettings | None = None
    request: ApiRequest | None = None
    try:
        request = parse_proxy_event(event)
        settings = api_settings(environ)
        response = _serve(request, settings, clients)
    except ApiError as err:
        response = error_response(err.status, err.code, err.message, err.headers)
    except Exception as exc:
        request_id = (request.request_id if request else None) or invocation_id
        _log_failure(exc, request, request_id)
        response = error_response(INTERNAL_STATUS, INTERNAL_CODE, internal_message(request_id))
    if request is None or settings is None:
        return response.to_proxy({})
    return response.to_proxy(cors_headers(request.header(ORIGIN_HEADER), settings.cors_origins))


def _serve(request: ApiRequest, settings: ApiSettings, clients: ApiClients) -> ApiResponse:
    route = find_route(request.resource)
    if request.method == PREFLIGHT_METHOD:
        origin = request.header(ORIGIN_HEADER)
        return no_content(preflight_headers(origin, settings.cors_origins, route.allowed_methods))
    operation = route.operation(request.method)
    user_id = caller_of(request, settings.anonymous_user)
    return operation(request, user_id, settings, clients)


def _log_failure(exc: Exception, request: ApiRequest | None, request_id: str) -> None:
    fields = {
        FIELD_API_REQUEST_ID: request_id,
        FIELD_HTTP_METHOD: request.method if request else None,
        FIELD_RESOURCE: request.resource if request else None,
        FIELD_ERROR_TYPE: type(exc).__name__,
        FIELD_ERROR_CODE: aws_error_code(exc),
        FIELD_ERROR_MESSAGE: str(exc),
    }
    log_event(_logger, Level.ERROR, LogEvent.API_FAILED, fields, exc_info=exc)
