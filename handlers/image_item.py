"""The metadata item of one upload, as the table holds it: its attributes, its shape and its codec.

The image function writes it (handlers/edge/metadata.py decides when), the image API and the
reprocess command read it; each imports the names and the codec from here.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from handlers.contract import TABLE_HASH_KEY, USER_INDEX_HASH_KEY, USER_INDEX_RANGE_KEY, ImageStatus

# Item attributes beyond the table's key schema (handlers.contract names those).
ATTR_SOURCE_BUCKET: Final = "source_bucket"
ATTR_SOURCE_KEY: Final = "source_key"
ATTR_SEQUENCER: Final = "sequencer"
ATTR_STATUS: Final = "status"
ATTR_VERSION_TOKEN: Final = "version_token"
ATTR_SOURCE_VERSION_ID: Final = "source_version_id"
# The rendering fingerprint (handlers.imaging.fingerprint) of a completed item's renditions.
ATTR_FINGERPRINT: Final = "fingerprint"
ATTR_RENDITIONS: Final = "renditions"

AttributeValue = dict[str, Any]


@dataclass(frozen=True)
class StoredRendition:
    name: str
    format: str
    key: str
    content_type: str
    width: int
    height: int
    bytes: int


@dataclass(frozen=True)
class ImageRecord:
    """What the table says about one upload key: the outcome of its latest known version."""

    image_id: str
    source_bucket: str
    source_key: str
    source_version_id: str | None
    sequencer: str
    version_token: str
    uploaded_at: str
    status: ImageStatus
    updated_at: str
    request_id: str
    user_id: str | None = None
    file_name: str | None = None
    size_bytes: int | None = None
    format: str | None = None
    width: int | None = None
    height: int | None = None
    has_alpha: bool | None = None
    renditions: tuple[StoredRendition, ...] = ()
    # What made the renditions (completed items only): the function's rendering fingerprint.
    fingerprint: str | None = None
    reason: str | None = None
    detail: str | None = None
    error_type: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    timings_ms: Mapping[str, int] = field(default_factory=dict)

    def to_item(self) -> dict[str, AttributeValue]:
        plain: dict[str, object] = {
            TABLE_HASH_KEY: self.image_id,
            # The user index is sparse: keys without a user id stay out of it.
            USER_INDEX_HASH_KEY: self.user_id,
            USER_INDEX_RANGE_KEY: self.uploaded_at,
            "file_name": self.file_name,
            ATTR_SOURCE_BUCKET: self.source_bucket,
            ATTR_SOURCE_KEY: self.source_key,
            ATTR_SOURCE_VERSION_ID: self.source_version_id,
            ATTR_SEQUENCER: self.sequencer,
            ATTR_VERSION_TOKEN: self.version_token,
            ATTR_STATUS: self.status.value,
            "size_bytes": self.size_bytes,
            "format": self.format,
            "width": self.width,
            "height": self.height,
            "has_alpha": self.has_alpha,
            ATTR_RENDITIONS: [vars(r) for r in self.renditions] if self.status is ImageStatus.COMPLETED else None,
            ATTR_FINGERPRINT: self.fingerprint if self.status is ImageStatus.COMPLETED else None,
            "reason": self.reason,
            "detail": self.detail,
            "error_type": self.error_type,
            "error_code": self.error_code,
            "error_message": self.error_message,
            "timings_ms": dict(self.timings_ms) or None,
            "updated_at": self.updated_at,
            "request_id": self.request_id,
        }
        return {name: encode_value(value) for name, value in plain.items() if value is not None}


def encode_value(value: object) -> AttributeValue:
    """A plain value as a DynamoDB attribute value (the few types items here hold)."""
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int):
        return {"N": str(value)}
    if isinstance(value, frozenset | set):
        # A string set (a tombstone's deleted_by); DynamoDB refuses an empty one.
        if not value or not all(isinstance(v, str) for v in value):
            raise TypeError("a set in a metadata item must hold at least one string, and strings only")
        return {"SS": sorted(value)}
    if isinstance(value, list | tuple):
        return {"L": [encode_value(v) for v in value]}
    if isinstance(value, Mapping):
        return {"M": {str(k): encode_value(v) for k, v in value.items() if v is not None}}
    raise TypeError(f"cannot store {type(value).__name__} in a metadata item")


def decode_item(item: Mapping[str, AttributeValue]) -> dict[str, Any]:
    """A DynamoDB item as plain values (numbers as int), for readers of the table."""
    return {name: decode_value(value) for name, value in item.items()}


def decode_value(value: AttributeValue) -> Any:
    ((kind, payload),) = value.items()
    if kind == "S" or kind == "BOOL":
        return payload
    if kind == "N":
        return int(payload) if payload.lstrip("-").isdigit() else float(payload)
    if kind == "L":
        return [decode_value(v) for v in payload]
    if kind == "M":
        return {k: decode_value(v) for k, v in payload.items()}
    if kind == "SS":
        return frozenset(payload)
    if kind == "NULL":
        return None
    raise TypeError(f"unexpected DynamoDB attribute type {kind}")
