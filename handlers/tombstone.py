"""The tombstone: what DELETE /images/{id} leaves in the table under the image id, so a deleted image never
comes back.

DELETE writes it before it deletes anything (handlers/api/images.py). No write of the image function may
replace it (handlers/edge/metadata.py ``WriteRule``), and the function, finding it before, during or after
its own writes, removes what its upload left (every version under the image's renditions folder, the
original version it was handed) and writes nothing else (handlers/edge/pipeline.py). That holds whatever
the order: an upload not yet processed, one being processed, two versions of one key, a late or repeated
S3 event, a Batch Operations reprocess.

A tombstone holds:

- ``deleted_by``: a string set, the users who asked to delete this id. The function honours a tombstone
  only when the upload's owner is among them: another user's DELETE of an id with no item (an upload not
  processed yet) leaves a tombstone naming only that user, which the owner's upload writes over; a DELETE
  never touches another user's item.
- ``deleted_at``: when the first of them asked (ISO-8601 UTC).
- ``source_bucket``, ``source_key``: the original the image's item named, when it had one, so that a
  DELETE retried after a partial failure still finds what to delete.
- ``expires_at`` (``contract.TABLE_TTL_ATTRIBUTE``): epoch seconds, TOMBSTONE_LIFETIME_S after the latest
  DELETE. DynamoDB's TTL deletes the item some time after: "DynamoDB typically deletes expired items within
  two days of expiration ... Items that have expired and not been deleted will still show up in reads,
  queries, and scans" (API Reference, UpdateTimeToLive,
  https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html). A tombstone
  stands as long as it is there, expired or not: it only ever keeps a deleted image deleted longer.

It has no ``user_id`` and no ``uploaded_at``: the user index is sparse, so no listing shows it; GET answers
404 (the item names no owner); the reprocess command and the dev cleanup leave it alone.
"""

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from handlers.contract import TABLE_HASH_KEY, TABLE_TTL_ATTRIBUTE
from handlers.image_item import ATTR_SOURCE_BUCKET, ATTR_SOURCE_KEY, AttributeValue, encode_value
from handlers.timestamps import iso_utc

ATTR_DELETED_BY: Final = "deleted_by"
ATTR_DELETED_AT: Final = "deleted_at"

# How long a tombstone stands after the latest DELETE of its id: longer than the latest an event of an
# upload it must stop can still be processed. That is a presigned POST used at the end of its validity
# (at most 1 h, components.image_api.MAX_URL_TTL_SECONDS), its event kept by Lambda's async queue for the
# maximum event age (at most 6 h) and then in the failure queue until on-call redrives it (14 days,
# components.image_pipeline.FAILURE_QUEUE_RETENTION_S), and one more invocation (at most 15 min). A test
# (tests/deletion/test_tombstone.py) keeps it above that sum. An event replayed later still finds the
# original gone wherever DELETE found the image's item; only an upload DELETE met before its first item
# could outlive it, in the upload bucket, seen by no GET or listing.
TOMBSTONE_LIFETIME_S: Final = 15 * 24 * 3600


@dataclass(frozen=True)
class Tombstone:
    """What the image function reads of a tombstone: whose DELETEs it stands for."""

    deleted_by: frozenset[str]

    def stops(self, owner: str | None) -> bool:
        """Whether this tombstone stands for ``owner``'s upload: its owner asked for the delete."""
        return owner is not None and owner in self.deleted_by

    @classmethod
    def from_item(cls, item: Mapping[str, AttributeValue]) -> "Tombstone | None":
        """The tombstone a raw item is, or None for an image's item (which never holds ``deleted_by``)."""
        deleted_by = item.get(ATTR_DELETED_BY, {}).get("SS")
        return None if deleted_by is None else cls(frozenset(deleted_by))


def is_tombstone(item: Mapping[str, object]) -> bool:
    """Whether a raw or decoded item is a tombstone."""
    return ATTR_DELETED_BY in item


def expires_at(now: float | None = None) -> int:
    """The TTL value of a tombstone written ``now`` (epoch seconds, the unit DynamoDB's TTL reads)."""
    return int(now if now is not None else time.time()) + TOMBSTONE_LIFETIME_S


def tombstone_item(
    image_id: str, user_id: str, source_bucket: str, source_key: str, now: float | None = None
) -> dict[str, AttributeValue]:
    """The whole item that replaces an image's item when its owner deletes it."""
    moment = now if now is not None else time.time()
    plain: dict[str, object] = {
        TABLE_HASH_KEY: image_id,
        ATTR_DELETED_BY: frozenset({user_id}),
        ATTR_DELETED_AT: iso_utc(datetime.fromtimestamp(moment, UTC)),
        ATTR_SOURCE_BUCKET: source_bucket,
        ATTR_SOURCE_KEY: source_key,
        TABLE_TTL_ATTRIBUTE: expires_at(moment),
    }
    return {name: encode_value(value) for name, value in plain.items()}
