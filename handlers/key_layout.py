"""Names derived from an upload's key and version: the same upload always gets the same names.

A repeated event therefore rewrites the same item and the same rendition keys instead of adding
new ones, and two versions of one key never share rendition keys.
"""

import hashlib
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from handlers.contract import RENDITION_PREFIX, UPLOAD_PREFIX

if TYPE_CHECKING:
    # Only a type here: importing handlers.imaging at run time would import Pillow into the image API.
    from handlers.imaging.renditions import OutputFormat

# Fixed forever: changing it renames every image.
_IMAGE_ID_NAMESPACE: Final = uuid.UUID("6f0c1d2e-7a4b-5c3d-9e8f-a1b2c3d4e5f6")
# What image_id_for returns: a UUID's canonical text, lower-case hex.
_IMAGE_ID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Version ids made only of these are used as they are; others (S3's may hold "/" or "+") are hashed.
_PLAIN_VERSION: Final = re.compile(r"[A-Za-z0-9._-]{1,128}")
# S3 gives objects written before versioning was enabled the version id "null".
_NULL_VERSION: Final = "null"


class InvalidUploadKey(ValueError):
    """A key under the upload prefix in neither of the two shapes ``parse_upload_key`` reads."""


@dataclass(frozen=True)
class UploadKey:
    user_id: str
    file_name: str
    # Set for keys the image API hands out (one folder per upload); None for ``uploads/{user_id}/{file name}``.
    upload_id: str | None = None


def parse_upload_key(key: str) -> UploadKey:
    """The owner and file name of an upload key, in either of its two shapes.

    ``uploads/{user_id}/{file name}`` (uploaded straight to the bucket) or
    ``uploads/{user_id}/{upload_id}/{file name}`` (the image API's presigned uploads, so two files
    of the same name never share a key). Every part must be non-empty and none may be ``.`` or
    ``..``; deeper folders are refused.
    """
    if not key.startswith(UPLOAD_PREFIX):
        raise InvalidUploadKey(f"{key!r} is not under {UPLOAD_PREFIX}")
    parts = key[len(UPLOAD_PREFIX) :].split("/")
    if len(parts) not in (2, 3) or not all(parts):
        shapes = f"{UPLOAD_PREFIX}{{user_id}}/{{file name}} or {UPLOAD_PREFIX}{{user_id}}/{{upload_id}}/{{file name}}"
        raise InvalidUploadKey(f"{key!r} is not {shapes}")
    # Rendition keys and local copies of them are paths: never let a part climb out of its folder.
    if any(part in (".", "..") for part in parts):
        raise InvalidUploadKey(f"{key!r} uses '.' or '..' as a user id, upload id or file name")
    if len(parts) == 3:
        user_id, upload_id, file_name = parts
        return UploadKey(user_id, file_name, upload_id)
    user_id, file_name = parts
    return UploadKey(user_id, file_name)


def upload_key(user_id: str, upload_id: str, file_name: str) -> str:
    """The key the image API gives one upload: ``parse_upload_key`` reads it back."""
    return f"{UPLOAD_PREFIX}{user_id}/{upload_id}/{file_name}"


def image_id_for(key: str) -> str:
    """The metadata item's hash key: a UUID5 of the source key, stable across versions."""
    return str(uuid.uuid5(_IMAGE_ID_NAMESPACE, key))


def is_image_id(value: object) -> bool:
    """Whether ``value`` has the shape ``image_id_for`` gives (anything else names no image)."""
    return isinstance(value, str) and _IMAGE_ID.fullmatch(value) is not None


def version_token(version_id: str | None, sequencer: str) -> str:
    """Names one version of a key in rendition keys; unversioned objects are told apart by sequencer."""
    if version_id and version_id != _NULL_VERSION and _PLAIN_VERSION.fullmatch(version_id):
        return version_id
    basis = f"version:{version_id}" if version_id and version_id != _NULL_VERSION else f"sequencer:{sequencer}"
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def rendition_prefix(user_id: str, image_id: str) -> str:
    """The folder that holds every rendition of every version of one upload."""
    return f"{RENDITION_PREFIX}{user_id}/{image_id}/"


def rendition_key(user_id: str, image_id: str, token: str, name: str, fmt: "OutputFormat") -> str:
    return f"{rendition_prefix(user_id, image_id)}{token}/{name}.{fmt.extension}"
