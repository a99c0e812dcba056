"""One DynamoDB item per upload key, written only when it moves the record forward.

Every write is conditional on the S3 event ``sequencer`` (stored padded, so string order is
event order): an item is written when none exists, when it describes an older version, or when
it is a ``failed`` attempt of this same version. A duplicate event therefore never writes twice,
and a late event of an older version never replaces a newer version's result.

Reprocessing (S3 Batch Operations) rewrites the item of the version it already describes, and only
when what it renders differs from what the item records (``WriteRule``): the sequencer is the
item's own, so a newer version recorded meanwhile always wins.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Final, Protocol

from botocore.exceptions import ClientError

from handlers.contract import TABLE_HASH_KEY, USER_INDEX_HASH_KEY, USER_INDEX_RANGE_KEY, ImageStatus

# Item attributes beyond the table's key schema (handlers.contract names those).
ATTR_SEQUENCER: Final = "sequencer"
ATTR_STATUS: Final = "status"
ATTR_VERSION_TOKEN: Final = "version_token"
ATTR_SOURCE_VERSION_ID: Final = "source_version_id"
# The rendering fingerprint (handlers.imaging.fingerprint) of a completed item's renditions.
ATTR_FINGERPRINT: Final = "fingerprint"
ATTR_RENDITIONS: Final = "renditions"

_CONDITION_FAILED: Final = "ConditionalCheckFailedException"

AttributeValue = dict[str, Any]


class WriteRule(Enum):
    """When a write may replace the item (``status`` is a DynamoDB reserved word: every name is a placeholder)."""

    # An S3 event: no item yet, an older version's, or a failed attempt of this version.
    MOVES_FORWARD = "attribute_not_exists(#id) OR #seq < :seq OR (#seq = :seq AND #status = :failed)"
    # Reprocessing this version: only over an item of this version whose renditions are not these.
    REFRESHES = "#seq = :seq AND (attribute_not_exists(#fp) OR #fp <> :fp)"
    # Reprocessing this version found it unusable: recorded only where no renditions are (completed keeps them).
    FILLS_IN = "#seq = :seq AND #status <> :completed"

    def names(self) -> dict[str, str]:
        placeholders = {"#id": TABLE_HASH_KEY, "#seq": ATTR_SEQUENCER, "#status": ATTR_STATUS, "#fp": ATTR_FINGERPRINT}
        # DynamoDB refuses a placeholder the expression does not use.
        return {name: value for name, value in placeholders.items() if name in self.value}

    def values(self, record: "ImageRecord") -> dict[str, AttributeValue]:
        values = {
            ":seq": {"S": record.sequencer},
            ":failed": {"S": ImageStatus.FAILED.value},
            ":completed": {"S": ImageStatus.COMPLETED.value},
            ":fp": {"S": record.fingerprint or ""},
        }
        return {name: value for name, value in values.items() if name in self.value}


class DynamoDbApi(Protocol):
    """The part of boto3's DynamoDB client the handler uses."""

    def get_item(self, **kwargs: Any) -> dict[str, Any]: ...

    def put_item(self, **kwargs: Any) -> dict[str, Any]: ...


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
            "source_bucket": self.source_bucket,
            "source_key": self.source_key,
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


@dataclass(frozen=True)
class Recorded:
    """The part of an existing item that decides whether a write may replace it, or a reprocess is needed."""

    sequencer: str
    status: ImageStatus
    version_token: str
    source_version_id: str | None = None
    uploaded_at: str | None = None
    fingerprint: str | None = None

    @property
    def is_final(self) -> bool:
        return self.status is not ImageStatus.FAILED

    def is_current(self, fingerprint: str) -> bool:
        """Completed with exactly the renditions ``fingerprint`` stands for: nothing to re-render."""
        return self.status is ImageStatus.COMPLETED and self.fingerprint == fingerprint

    @classmethod
    def from_item(cls, item: Mapping[str, AttributeValue]) -> "Recorded":
        return cls(
            sequencer=item[ATTR_SEQUENCER]["S"],
            status=ImageStatus(item[ATTR_STATUS]["S"]),
            version_token=item[ATTR_VERSION_TOKEN]["S"],
            source_version_id=_string(item, ATTR_SOURCE_VERSION_ID),
            uploaded_at=_string(item, USER_INDEX_RANGE_KEY),
            fingerprint=_string(item, ATTR_FINGERPRINT),
        )


@dataclass(frozen=True)
class Replaced:
    """A write that went through, and the renditions the item listed before it (none for a new item)."""

    previous_renditions: tuple[StoredRendition, ...]


def _string(item: Mapping[str, AttributeValue], name: str) -> str | None:
    value = item.get(name, {}).get("S")
    return value if isinstance(value, str) else None


def _renditions(item: Mapping[str, AttributeValue] | None) -> tuple[StoredRendition, ...]:
    listed = decode_value(item[ATTR_RENDITIONS]) if item and ATTR_RENDITIONS in item else []
    return tuple(StoredRendition(**entry) for entry in listed)


# What a read brings back: Recorded's attributes and nothing else.
_PROJECTED: Final = {
    "#seq": ATTR_SEQUENCER,
    "#status": ATTR_STATUS,
    "#token": ATTR_VERSION_TOKEN,
    "#version": ATTR_SOURCE_VERSION_ID,
    "#uploaded": USER_INDEX_RANGE_KEY,
    "#fp": ATTR_FINGERPRINT,
}


class MetadataTable:
    def __init__(self, dynamodb: DynamoDbApi, table_name: str) -> None:
        self._dynamodb = dynamodb
        self._table = table_name

    def recorded(self, image_id: str) -> Recorded | None:
        response = self._dynamodb.get_item(
            TableName=self._table,
            Key={TABLE_HASH_KEY: {"S": image_id}},
            # A write just made by a concurrent duplicate must be seen.
            ConsistentRead=True,
            ProjectionExpression=", ".join(_PROJECTED),
            ExpressionAttributeNames=_PROJECTED,
        )
        item = response.get("Item")
        return Recorded.from_item(item) if item else None

    def record(self, record: ImageRecord, rule: WriteRule = WriteRule.MOVES_FORWARD) -> Recorded | Replaced:
        """Write the item if ``rule`` allows; else return what stopped it.

        A write returns the renditions the replaced item listed (``ReturnValues=ALL_OLD``: no extra read
        and no extra capacity), so the caller can remove those it no longer makes.
        """
        try:
            response = self._dynamodb.put_item(
                TableName=self._table,
                Item=record.to_item(),
                ConditionExpression=rule.value,
                ExpressionAttributeNames=rule.names(),
                ExpressionAttributeValues=rule.values(record),
                ReturnValues="ALL_OLD",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != _CONDITION_FAILED:
                raise
            old = exc.response.get("Item")
            current = Recorded.from_item(old) if old else self.recorded(record.image_id)
            if current is None:
                if rule is not WriteRule.MOVES_FORWARD:  # a reprocess never creates an item
                    raise ItemGone(record.image_id) from None
                return self.record(record, rule)  # deleted in between: nothing stands in the way any more
            return current
        return Replaced(_renditions(response.get("Attributes")))


class ItemGone(Exception):
    """The item a reprocess was rewriting was deleted meanwhile (the image was deleted): nothing to do."""

    def __init__(self, image_id: str) -> None:
        super().__init__(f"the metadata item {image_id} was deleted while the image was being reprocessed")


def encode_value(value: object) -> AttributeValue:
    """A plain value as a DynamoDB attribute value (the few types items here hold)."""
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int):
        return {"N": str(value)}
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
    if kind == "NULL":
        return None
    raise TypeError(f"unexpected DynamoDB attribute type {kind}")
