"""Who is calling: the Cognito user pool authorizer's ``sub`` claim, and nothing the client sends.

The body, path, query and headers are the client's to choose; ``requestContext.authorizer.claims``
is written by API Gateway after it has checked the token. The ``sub`` becomes a part of S3 keys
(``uploads/{sub}/...``, ``renditions/{sub}/...``) and the user index's hash key, so it must be safe
as one path part.
"""

from typing import Final, TypeGuard

from handlers.api.errors import Unauthorized
from handlers.api.plain_text import is_plain_text
from handlers.api.proxy_event import ApiRequest

# Cognito subs are 36-character UUIDs; anything much longer is not an identity this API issued.
MAX_USER_ID_CHARS: Final = 128


def is_safe_user_id(value: object) -> TypeGuard[str]:
    """One non-empty key part: no '/', not '.' or '..', plain text (the file names' rule), at most 128 characters."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_USER_ID_CHARS:
        return False
    if "/" in value or value in (".", ".."):
        return False
    return is_plain_text(value)


def caller_of(request: ApiRequest, anonymous_user: str | None) -> str:
    """The caller's user id, or ``Unauthorized``.

    Without claims (no authorizer ran) the caller is ``anonymous_user`` where the stack set one
    (never prod); claims that are there but carry no usable ``sub`` are refused even then.
    """
    claims = request.claims
    if claims is None:
        if anonymous_user is not None:
            return anonymous_user
        raise Unauthorized()
    sub = claims.get("sub")
    if not is_safe_user_id(sub):
        raise Unauthorized()
    return sub
