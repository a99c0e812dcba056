"""What the API answers when a request cannot be served: one class per status, each with its code.

An operation raises one of these; ``dispatch`` turns it into ``{"error": code, "message": text}``.
Anything else that escapes an operation is a 500 ``internal`` whose message names only the request id.
A message quotes client input only through ``handlers.api.excerpt``; as a last guard it is cut to
MAX_MESSAGE_CHARS, so no answer grows with the request.
"""

from collections.abc import Iterable, Mapping
from typing import ClassVar, Final

from handlers.api.excerpt import excerpt

INTERNAL_STATUS: Final = 500
INTERNAL_CODE: Final = "internal"
# The longest message an error carries (characters); excerpts keep real ones far shorter.
MAX_MESSAGE_CHARS: Final = 500


class ApiError(Exception):
    """A 4xx answer: ``status`` and ``code`` are the class's, ``message`` says what to fix."""

    status: ClassVar[int]
    code: ClassVar[str]

    def __init__(self, message: str, headers: Mapping[str, str] | None = None) -> None:
        if len(message) > MAX_MESSAGE_CHARS:
            message = message[: MAX_MESSAGE_CHARS - 3] + "..."
        super().__init__(message)
        self.message = message
        self.headers: Mapping[str, str] = dict(headers or {})


class BadRequest(ApiError):
    status = 400
    code = "bad_request"


class Unauthorized(ApiError):
    status = 401
    code = "unauthorized"

    def __init__(self, message: str = "sign in: the request carries no usable identity") -> None:
        super().__init__(message, {"WWW-Authenticate": "Bearer"})


class NotFound(ApiError):
    status = 404
    code = "not_found"


class MethodNotAllowed(ApiError):
    status = 405
    code = "method_not_allowed"

    def __init__(self, method: str, allowed: Iterable[str]) -> None:
        allow = ", ".join(allowed)
        shown = excerpt(method) if method else "a request without a method"
        super().__init__(f"{shown} is not allowed here; allowed: {allow}", {"Allow": allow})


class TooLarge(ApiError):
    status = 413
    code = "too_large"


class UnsupportedMediaType(ApiError):
    status = 415
    code = "unsupported_media_type"


def internal_message(request_id: str) -> str:
    """The whole of what a 500 tells the client: nothing about the cause, the id to quote."""
    return f"the request failed; quote request id {request_id} when you report it"
