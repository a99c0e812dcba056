"""Which originals a job re-renders: the version each metadata item records, read page by page.

Every item names the latest version of its upload the pipeline has seen (``source_version_id``);
that version is what a job re-renders. A full run takes every item: the function answers an image
already rendered with the stack's fingerprint in one read, without writing. ``--stale-only`` keeps
the items not completed with that fingerprint: completed ones with another (or none), and failed
ones; rejected uploads are left out of it (a rejection is about the file, not the renditions).
``--user`` reads only that user's items, through the user index, instead of scanning the table.
A deleted image's tombstone (handlers/tombstone.py) is never an original to re-render: a scan leaves it
out (counted as ``deleted``), and the user index never holds one.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from handlers.contract import TABLE_HASH_KEY, USER_INDEX_HASH_KEY, USER_INDEX_NAME, ImageStatus
from handlers.image_item import (
    ATTR_FINGERPRINT,
    ATTR_SOURCE_BUCKET,
    ATTR_SOURCE_KEY,
    ATTR_SOURCE_VERSION_ID,
    ATTR_STATUS,
    decode_item,
)
from handlers.tombstone import ATTR_DELETED_BY, is_tombstone

# Why a tombstone is left out of a selection (Selection.left_out).
LEFT_OUT_DELETED: Final = "deleted"
_READ: Final = {
    "#id": TABLE_HASH_KEY,
    "#bucket": ATTR_SOURCE_BUCKET,
    "#key": ATTR_SOURCE_KEY,
    "#version": ATTR_SOURCE_VERSION_ID,
    "#status": ATTR_STATUS,
    "#fp": ATTR_FINGERPRINT,
    "#user": USER_INDEX_HASH_KEY,
    "#by": ATTR_DELETED_BY,
}


@dataclass(frozen=True)
class Original:
    """One version of one upload a job can re-render."""

    bucket: str
    key: str
    version_id: str
    status: str
    fingerprint: str | None


@dataclass(frozen=True)
class Selection:
    originals: tuple[Original, ...]
    items: int
    """Items read."""
    current: int
    """Completed with the stack's fingerprint (in a full run's manifest, left out of a stale-only one)."""
    left_out: dict[str, int] = field(default_factory=dict)
    """Other items left out, by why."""


def is_stale(status: str, fingerprint: str | None, current: str) -> bool:
    """Not completed with the renditions the stack makes now (a rejected upload never is)."""
    if status == ImageStatus.COMPLETED:
        return fingerprint != current
    return status == ImageStatus.FAILED


def select(
    dynamodb: Any, table: str, *, fingerprint: str, stale_only: bool = False, user: str | None = None
) -> Selection:
    originals: list[Original] = []
    items = current = 0
    left_out: dict[str, int] = {}
    for item in _items(dynamodb, table, user):
        items += 1
        status = str(item.get(ATTR_STATUS, ""))
        stored = item.get(ATTR_FINGERPRINT)
        if status == ImageStatus.COMPLETED and stored == fingerprint:
            current += 1
        why = _left_out(item, status, stored, fingerprint, stale_only)
        if why is not None:
            left_out[why] = left_out.get(why, 0) + 1
            continue
        originals.append(
            Original(item[ATTR_SOURCE_BUCKET], item[ATTR_SOURCE_KEY], item[ATTR_SOURCE_VERSION_ID], status, stored)
        )
    # Manifest order: the same selection always gives the same manifest (and the same job token).
    originals.sort(key=lambda o: (o.bucket, o.key, o.version_id))
    return Selection(tuple(originals), items, current, left_out)


def _left_out(item: Mapping[str, Any], status: str, stored: object, fingerprint: str, stale_only: bool) -> str | None:
    if is_tombstone(item):
        return LEFT_OUT_DELETED
    if not isinstance(item.get(ATTR_SOURCE_KEY), str) or not isinstance(item.get(ATTR_SOURCE_BUCKET), str):
        return "no source key"
    if not isinstance(item.get(ATTR_SOURCE_VERSION_ID), str):
        # A manifest gives a version for every line or for none; without one a job would read whatever
        # version is current when it runs. Our buckets are versioned: such an item predates versioning.
        return "no version id"
    if stale_only and not is_stale(status, stored if isinstance(stored, str) else None, fingerprint):
        return status or "no status"
    return None


def _items(dynamodb: Any, table: str, user: str | None) -> Iterator[Mapping[str, Any]]:
    """Every item (a Scan), or one user's (a Query of the user index), one page after another."""
    request: dict[str, Any] = {
        "TableName": table,
        "ProjectionExpression": ", ".join(_READ),
        "ExpressionAttributeNames": dict(_READ),
    }
    if user is None:
        pages = dynamodb.get_paginator("scan").paginate(**request)
    else:
        request.update(
            IndexName=USER_INDEX_NAME,
            KeyConditionExpression="#user = :user",
            ExpressionAttributeValues={":user": {"S": user}},
        )
        pages = dynamodb.get_paginator("query").paginate(**request)
    for page in pages:
        for item in page.get("Items", []):
            yield decode_item(item)
