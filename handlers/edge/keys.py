"""Names derived from an upload's key and version: the same upload always gets the same names.

A repeated event therefore rewrites the same item and the same rendition keys instead of adding
new ones, and two versions of one key never share rendition keys.
"""

import hashlib
import re
import uuid
from dataclasses import dataclass
from typing import Final

from handlers.contract import RENDITION_PREFIX, UPLOAD_PREFIX
from handlers.imaging.renditions import OutputFormat

# Fixed forever: changing it renames every image.
_IMAGE_ID_NAMESPACE: Final = uuid.UUID("6f0c1d2e-7a4b-5c3d-9e8f-a1b2c3d4e5f6")
# Version ids made only of these are used as they are; others (S3's may hold "/" or "+") are hashed.
_PLAIN_VERSION: Final = re.compile(r"[A-Za-z0-9._-]{1,128}")
# S3 gives objects written before versioning was enabled the version id "null".
_NULL_VERSION: Final = "null"


class InvalidUploadKey(ValueError):
    """A key under the upload prefix that is not ``uploads/{user_id}/{file name}``."""


@dataclass(frozen=True)
class UploadKey:
    user_id: str
    file_name: str


def parse_upload_key(key: str) -> UploadKey:
    if not key.startswith(UPLOAD_PREFIX):
        raise InvalidUploadKey(f"{key!r} is not under {UPLOAD_PREFIX}")
    parts = key[len(UPLOAD_PREFIX) :].split("/")
    if len(parts) != 2 or not all(parts):
        raise InvalidUploadKey(f"{key!r} is not {UPLOAD_PREFIX}{{user_id}}/{{file name}}")
    user_id, file_name = parts
    # Rendition keys and local copies of them are paths: never let a part climb out of its folder.
    if user_id in (".", "..") or file_name in (".", ".."):
        raise InvalidUploadKey(f"{key!r} uses '.' or '..' as a user id or file name")
    return UploadKey(user_id, file_name)


def image_id_for(key: str) -> str:
    """The metadata item's hash key: a UUID5 of the source key, stable across versions."""
    return str(uuid.uuid5(_IMAGE_ID_NAMESPACE, key))


def version_token(version_id: str | None, sequencer: str) -> str:
    """Names one version of a key in rendition keys; unversioned objects are told apart by sequencer."""
    if version_id and version_id != _NULL_VERSION and _PLAIN_VERSION.fullmatch(version_id):
        return version_id
    basis = f"version:{version_id}" if version_id and version_id != _NULL_VERSION else f"sequencer:{sequencer}"
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def rendition_key(user_id: str, image_id: str, token: str, name: str, fmt: OutputFormat) -> str:
    return f"{RENDITION_PREFIX}{user_id}/{image_id}/{token}/{name}.{fmt.extension}"
