"""One DynamoDB item per upload key, written only when it moves the record forward.

Every write is conditional on the S3 event ``sequencer`` (stored padded, so string order is
event order): an item is written when none exists, when it describes an older version, or when
it is a ``failed`` attempt of this same version. A duplicate event therefore never writes twice,
and a late event of an older version never replaces a newer version's result.

Reprocessing (S3 Batch Operations) rewrites the item of the version it already describes, and only
when what it renders differs from what the item records (``WriteRule``): the sequencer is the
item's own, so a newer version recorded meanwhile always wins.

No write replaces a tombstone (handlers/tombstone.py) that stops the upload's owner: DELETE wins, and
the write's refusal hands the tombstone back, so the caller learns of the delete at the very moment its
write would have brought the image back. A tombstone naming only other users (their DELETE of an id
that had no item yet) is written over by the owner's S3 event, as a missing item would be.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final, Protocol

from botocore.exceptions import ClientError

from handlers.contract import TABLE_HASH_KEY, USER_INDEX_RANGE_KEY, ImageStatus
from handlers.image_item import (
    ATTR_FINGERPRINT,
    ATTR_RENDITIONS,
    ATTR_SEQUENCER,
    ATTR_SOURCE_VERSION_ID,
    ATTR_STATUS,
    ATTR_VERSION_TOKEN,
    AttributeValue,
    ImageRecord,
    StoredRendition,
    decode_value,
)
from handlers.tombstone import ATTR_DELETED_BY, Tombstone

_CONDITION_FAILED: Final = "ConditionalCheckFailedException"


class WriteRule(Enum):
    """When a write may replace an image's item (``status`` is a DynamoDB reserved word: every name is a
    placeholder); ``condition`` adds what holds for a tombstone."""

    # An S3 event: no item yet, an older version's, or a failed attempt of this version.
    MOVES_FORWARD = "attribute_not_exists(#id) OR #seq < :seq OR (#seq = :seq AND #status = :failed)"
    # Reprocessing this version: only over an item of this version whose renditions are not these.
    REFRESHES = "#seq = :seq AND (attribute_not_exists(#fp) OR #fp <> :fp)"
    # Reprocessing this version found it unusable: recorded only where no renditions are (completed keeps them).
    FILLS_IN = "#seq = :seq AND #status <> :completed"

    def condition(self, owner: str | None) -> str:
        """The whole ConditionExpression for a write of ``owner``'s upload.

        Over an image's item (no ``deleted_by``), the rule. Over a tombstone, only an S3 event, and only
        when the tombstone does not name the owner (``contains`` on a string set: "true if ... a Set that
        contains a particular element within the set", DynamoDB Developer Guide, "Condition and filter
        expressions, operators, and functions", Expressions.OperatorsAndFunctions.html): a reprocess
        never creates an item, so a tombstone is a deleted image to it whoever's it is.
        """
        over_item = f"attribute_not_exists(#by) AND ({self.value})"
        if self is not WriteRule.MOVES_FORWARD:
            return over_item
        # An upload with no owner (a key the pipeline rejects) is stopped by no tombstone.
        over_tombstone = "attribute_exists(#by)" + ("" if owner is None else " AND NOT contains(#by, :owner)")
        return f"({over_item}) OR ({over_tombstone})"


def _names(expression: str) -> dict[str, str]:
    placeholders = {
        "#id": TABLE_HASH_KEY,
        "#seq": ATTR_SEQUENCER,
        "#status": ATTR_STATUS,
        "#fp": ATTR_FINGERPRINT,
        "#by": ATTR_DELETED_BY,
    }
    # DynamoDB refuses a placeholder the expression does not use.
    return {name: value for name, value in placeholders.items() if name in expression}


def _values(expression: str, record: ImageRecord) -> dict[str, AttributeValue]:
    values = {
        ":seq": {"S": record.sequencer},
        ":failed": {"S": ImageStatus.FAILED.value},
        ":completed": {"S": ImageStatus.COMPLETED.value},
        ":fp": {"S": record.fingerprint or ""},
        ":owner": {"S": record.user_id or ""},
    }
    return {name: value for name, value in values.items() if name in expression}


class DynamoDbApi(Protocol):
    """The part of boto3's DynamoDB client the handler uses."""

    def get_item(self, **kwargs: Any) -> dict[str, Any]: ...

    def put_item(self, **kwargs: Any) -> dict[str, Any]: ...


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


# What a read brings back: Recorded's attributes, or a tombstone's deleters, and nothing else.
_PROJECTED: Final = {
    "#by": ATTR_DELETED_BY,
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

    def recorded(self, image_id: str) -> Recorded | Tombstone | None:
        """What the table holds for the image: its item's decisive part, its tombstone, or nothing."""
        response = self._dynamodb.get_item(
            TableName=self._table,
            Key={TABLE_HASH_KEY: {"S": image_id}},
            # A write just made by a concurrent duplicate must be seen.
            ConsistentRead=True,
            ProjectionExpression=", ".join(_PROJECTED),
            ExpressionAttributeNames=_PROJECTED,
        )
        item = response.get("Item")
        return _state(item) if item else None

    def record(self, record: ImageRecord, rule: WriteRule = WriteRule.MOVES_FORWARD) -> Recorded | Replaced | Tombstone:
        """Write the item if ``rule`` allows; else return what stopped it (an item, or the tombstone).

        A write returns the renditions the replaced item listed (``ReturnValues=ALL_OLD``: no extra read
        and no extra capacity), so the caller can remove those it no longer makes.
        """
        condition = rule.condition(record.user_id)
        try:
            response = self._dynamodb.put_item(
                TableName=self._table,
                Item=record.to_item(),
                ConditionExpression=condition,
                ExpressionAttributeNames=_names(condition),
                ExpressionAttributeValues=_values(condition, record),
                ReturnValues="ALL_OLD",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != _CONDITION_FAILED:
                raise
            old = exc.response.get("Item")
            current = _state(old) if old else self.recorded(record.image_id)
            if current is None:
                if rule is not WriteRule.MOVES_FORWARD:  # a reprocess never creates an item
                    raise ItemGone(record.image_id) from None
                return self.record(record, rule)  # deleted in between: nothing stands in the way any more
            return current
        return Replaced(_renditions(response.get("Attributes")))


def _state(item: Mapping[str, AttributeValue]) -> Recorded | Tombstone:
    return Tombstone.from_item(item) or Recorded.from_item(item)


class ItemGone(Exception):
    """The item a reprocess was rewriting was deleted meanwhile (the image was deleted): nothing to do."""

    def __init__(self, image_id: str) -> None:
        super().__init__(f"the metadata item {image_id} was deleted while the image was being reprocessed")
