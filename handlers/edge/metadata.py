"""One DynamoDB item per upload key, written only when it moves the record forward.

Every write is conditional on the S3 event ``sequencer`` (stored padded, so string order is
event order): an item is written when none exists, when it describes an older version, or when
it is a ``failed`` attempt of this same version. A duplicate event therefore never writes twice,
and a late event of an older version never replaces a newer version's result.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from botocore.exceptions import ClientError

from handlers.contract import TABLE_HASH_KEY, USER_INDEX_HASH_KEY, USER_INDEX_RANGE_KEY, ImageStatus

# Item attributes beyond the table's key schema (handlers.contract names those).
ATTR_SEQUENCER: Final = "sequencer"
ATTR_STATUS: Final = "status"
ATTR_VERSION_TOKEN: Final = "version_token"
ATTR_SOURCE_VERSION_ID: Final = "source_version_id"

_CONDITION_FAILED: Final = "ConditionalCheckFailedException"
# "status" is a DynamoDB reserved word; every name goes through a placeholder.
_MOVES_FORWARD: Final = "attribute_not_exists(#id) OR #seq < :seq OR (#seq = :seq AND #status = :failed)"

AttributeValue = dict[str, Any]


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
            "renditions": [vars(r) for r in self.renditions] if self.status is ImageStatus.COMPLETED else None,
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
    """The part of an existing item that decides whether a write may replace it."""

    sequencer: str
    status: ImageStatus
    version_token: str

    @property
    def is_final(self) -> bool:
        return self.status is not ImageStatus.FAILED

    @classmethod
    def from_item(cls, item: Mapping[str, AttributeValue]) -> "Recorded":
        return cls(
            sequencer=item[ATTR_SEQUENCER]["S"],
            status=ImageStatus(item[ATTR_STATUS]["S"]),
            version_token=item[ATTR_VERSION_TOKEN]["S"],
        )


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
            ProjectionExpression="#seq, #status, #token",
            ExpressionAttributeNames={
                "#seq": ATTR_SEQUENCER,
                "#status": ATTR_STATUS,
                "#token": ATTR_VERSION_TOKEN,
            },
        )
        item = response.get("Item")
        return Recorded.from_item(item) if item else None

    def record(self, record: ImageRecord) -> Recorded | None:
        """Write the item if it moves the record forward; else return what stopped it (None: written)."""
        try:
            self._dynamodb.put_item(
                TableName=self._table,
                Item=record.to_item(),
                ConditionExpression=_MOVES_FORWARD,
                ExpressionAttributeNames={
                    "#id": TABLE_HASH_KEY,
                    "#seq": ATTR_SEQUENCER,
                    "#status": ATTR_STATUS,
                },
                ExpressionAttributeValues={
                    ":seq": {"S": record.sequencer},
                    ":failed": {"S": ImageStatus.FAILED.value},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != _CONDITION_FAILED:
                raise
            old = exc.response.get("Item")
            current = Recorded.from_item(old) if old else self.recorded(record.image_id)
            if current is None:  # deleted in between: nothing stands in the way any more
                return self.record(record)
            return current
        return None


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
