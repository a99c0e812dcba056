"""POST /images: check what the client means to upload, then hand it a presigned POST for exactly that.

The POST policy S3 enforces holds the checked values: the key (``uploads/{sub}/{upload_id}/{file
name}``, a fresh folder per upload), the Content-Type as its normalised media type (``IMAGE/JPEG;
charset=binary`` is ``image/jpeg``), a content-length-range of 1 to the declared size, and an expiry
of URL_TTL_SECONDS. The image id in the answer is the one the pipeline writes the upload's metadata
item under once S3 tells it the object arrived.
"""

import json
import uuid
from dataclasses import dataclass
from typing import Final

from handlers.api.clients import ApiClients
from handlers.api.errors import BadRequest, TooLarge, UnsupportedMediaType
from handlers.api.excerpt import excerpt, excerpts
from handlers.api.media_types import normalized_media_type
from handlers.api.plain_text import refused_character
from handlers.api.proxy_event import ApiRequest
from handlers.api.responses import ApiResponse, json_response
from handlers.api.settings import ApiSettings
from handlers.contract import UPLOAD_CONTENT_TYPES
from handlers.key_layout import image_id_for, upload_key

FIELD_FILE_NAME: Final = "file_name"
FIELD_CONTENT_TYPE: Final = "content_type"
FIELD_SIZE: Final = "size"
_FIELDS: Final = (FIELD_FILE_NAME, FIELD_CONTENT_TYPE, FIELD_SIZE)
MAX_FILE_NAME_CHARS: Final = 255
# S3's limit on a key's length, in UTF-8 bytes.
MAX_KEY_BYTES: Final = 1024
# In a POST form's key field S3 replaces this with the uploaded file's own name, and boto3 then
# signs a starts-with condition instead of the exact key: never let a file name carry it.
_S3_FILENAME_VARIABLE: Final = "${filename}"


@dataclass(frozen=True)
class UploadRequest:
    file_name: str
    content_type: str  # the normalised media type: one of UPLOAD_CONTENT_TYPES
    size: int


def parse_upload_request(body: bytes, max_object_bytes: int) -> UploadRequest:
    """The body as an ``UploadRequest``, or the 400, 413 or 415 that says what is wrong with it."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BadRequest("the body is not JSON") from None
    if not isinstance(document, dict):
        raise BadRequest("the body must be a JSON object")
    missing = [f for f in _FIELDS if f not in document]
    unexpected = sorted(set(document) - set(_FIELDS))
    if missing or unexpected:
        raise BadRequest(
            f"the body must hold exactly {', '.join(_FIELDS)}"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unexpected: {excerpts(unexpected)}" if unexpected else "")
        )
    file_name, content_type, size = (document[f] for f in _FIELDS)
    if not isinstance(file_name, str):
        raise BadRequest(f"{FIELD_FILE_NAME} must be a string")
    if not isinstance(content_type, str):
        raise BadRequest(f"{FIELD_CONTENT_TYPE} must be a string")
    if not isinstance(size, int) or isinstance(size, bool):
        raise BadRequest(f"{FIELD_SIZE} must be a whole number of bytes")
    _check_file_name(file_name)
    media_type = normalized_media_type(content_type)
    if media_type not in UPLOAD_CONTENT_TYPES:
        raise UnsupportedMediaType(
            f"{FIELD_CONTENT_TYPE} {excerpt(content_type)} is not one of {', '.join(UPLOAD_CONTENT_TYPES)}"
        )
    if size < 1:
        raise BadRequest(f"{FIELD_SIZE} must be at least 1 byte")
    if size > max_object_bytes:
        raise TooLarge(f"{FIELD_SIZE} {excerpt(size)} is over the limit of {max_object_bytes} bytes")
    return UploadRequest(file_name, media_type, size)


def _check_file_name(name: str) -> None:
    if not 0 < len(name) <= MAX_FILE_NAME_CHARS:
        raise BadRequest(f"{FIELD_FILE_NAME} must be 1 to {MAX_FILE_NAME_CHARS} characters")
    if name in (".", "..") or "/" in name or "\\" in name:
        raise BadRequest(f"{FIELD_FILE_NAME} must be a plain file name: no '/' or '\\', not '.' or '..'")
    # Controls, format characters (bidi overrides, zero-width), separators, unassigned and private use.
    if (refused := refused_character(name)) is not None:
        raise BadRequest(f"{FIELD_FILE_NAME} must be plain text; it holds {refused}")
    if _S3_FILENAME_VARIABLE in name:
        raise BadRequest(f"{FIELD_FILE_NAME} must not contain {_S3_FILENAME_VARIABLE}")


def create_upload(request: ApiRequest, user_id: str, settings: ApiSettings, clients: ApiClients) -> ApiResponse:
    upload = parse_upload_request(request.body(), settings.max_object_bytes)
    key = upload_key(user_id, uuid.uuid4().hex, upload.file_name)
    if len(key.encode("utf-8")) > MAX_KEY_BYTES:
        raise BadRequest(f"{FIELD_FILE_NAME} is too long: the object key would exceed {MAX_KEY_BYTES} bytes")
    post = clients.s3.generate_presigned_post(
        Bucket=settings.upload_bucket,
        Key=key,
        Fields={"Content-Type": upload.content_type},
        Conditions=[{"Content-Type": upload.content_type}, ["content-length-range", 1, upload.size]],
        ExpiresIn=settings.url_ttl_seconds,
    )
    body = {
        "image_id": image_id_for(key),
        "upload": {"url": post["url"], "fields": post["fields"]},
        "expires_in": settings.url_ttl_seconds,
    }
    return json_response(201, body)
