"""Deleting every version and delete marker of one key, or under one prefix, of a versioned bucket.

Deleting by version id removes the version for good (a plain DELETE would only add a delete marker
and keep every byte). Each DeleteObjects call takes at most 1000 entries; an entry S3 refuses shows
up in the answer's ``Errors``, which is then an error here: a caller never hears "deleted" while a
version remains. After deleting, the listing is repeated until it comes back empty (S3 lists
strongly consistently), so a version written meanwhile is caught too.
"""

from collections.abc import Iterator
from typing import Any, Final

from handlers.api.clients import S3Api

MAX_KEYS_PER_DELETE: Final = 1000
# Listing, deleting, listing again: more rounds than this means something keeps writing.
MAX_ROUNDS: Final = 3

ObjectVersion = dict[str, str]  # {"Key": ..., "VersionId": ...}, as DeleteObjects takes it


class VersionsRemain(RuntimeError):
    """S3 refused to delete some versions, or versions kept appearing: the caller must not report success."""


def delete_every_version(s3: S3Api, bucket: str, prefix: str, *, exact_key: bool = False) -> int:
    """Delete every version and delete marker under ``prefix`` (only of the key ``prefix`` itself when
    ``exact_key``); return how many were deleted."""
    deleted = 0
    for _ in range(MAX_ROUNDS):
        versions = list(list_versions(s3, bucket, prefix, exact_key=exact_key))
        if not versions:
            return deleted
        for start in range(0, len(versions), MAX_KEYS_PER_DELETE):
            batch = versions[start : start + MAX_KEYS_PER_DELETE]
            response = s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
            if errors := response.get("Errors"):
                raise VersionsRemain(f"s3://{bucket}: {len(errors)} version(s) not deleted: {_describe(errors)}")
            deleted += len(batch)
    raise VersionsRemain(f"s3://{bucket}/{prefix}: versions still there after {MAX_ROUNDS} rounds of deleting")


def list_versions(s3: S3Api, bucket: str, prefix: str, *, exact_key: bool = False) -> Iterator[ObjectVersion]:
    """Every version and delete marker under ``prefix``, page after page."""
    markers: dict[str, str] = {}
    while True:
        page = s3.list_object_versions(Bucket=bucket, Prefix=prefix, **markers)
        for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
            if not exact_key or entry["Key"] == prefix:
                yield {"Key": entry["Key"], "VersionId": entry["VersionId"]}
        if not page.get("IsTruncated"):
            return
        markers = {"KeyMarker": page["NextKeyMarker"], "VersionIdMarker": page["NextVersionIdMarker"]}


def _describe(errors: list[dict[str, Any]], at_most: int = 5) -> str:
    shown = [f"{e.get('Key')} {e.get('VersionId')}: {e.get('Code')} {e.get('Message')}" for e in errors[:at_most]]
    return "; ".join(shown) + (f"; and {len(errors) - at_most} more" if len(errors) > at_most else "")
