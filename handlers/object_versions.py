"""Deleting object versions of a versioned bucket for good: named ones, or every one under a key or prefix.

The image API deletes an image's originals and renditions with it; the image function removes what a
deleted image's upload left behind (``handlers.edge.pipeline``). Deleting by version id removes the
version for good (a plain DELETE would only add a delete marker and keep every byte). Each
DeleteObjects call takes at most 1000 entries; an entry S3 refuses shows up in the answer's ``Errors``,
which is then an error here: a caller never hears "deleted" while a version remains. A version that
does not exist is no error: "If the object specified in the request isn't found, Amazon S3 confirms the
deletion by returning the result as deleted" (S3 API Reference, DeleteObjects,
https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html; the same text in botocore's
data/s3/2006-03-01/service-2.json), so deleting the same version twice is harmless.

After deleting, the listing is repeated until it comes back empty, so a version written meanwhile is
caught too: S3 lists strongly consistently since December 2020 ("S3 also provides strong consistency for
list operations, so after a write, you can immediately perform a listing of the objects in a bucket
with any changes reflected", https://aws.amazon.com/s3/consistency/; S3 User Guide, "Amazon S3 data
consistency model", https://docs.aws.amazon.com/AmazonS3/latest/userguide/Welcome.html#ConsistencyModel).
"""

from collections.abc import Iterable, Iterator
from typing import Any, Final, Protocol

MAX_KEYS_PER_DELETE: Final = 1000
# Listing, deleting, listing again: more rounds than this means something keeps writing.
MAX_ROUNDS: Final = 3

ObjectVersion = dict[str, str]  # {"Key": ..., "VersionId": ...}, as DeleteObjects takes it


class VersionedS3(Protocol):
    """The part of boto3's S3 client these functions use."""

    def list_object_versions(self, **kwargs: Any) -> dict[str, Any]: ...

    def delete_objects(self, **kwargs: Any) -> dict[str, Any]: ...


class VersionsRemain(RuntimeError):
    """S3 refused to delete some versions, or versions kept appearing: the caller must not report success."""


def delete_every_version(s3: VersionedS3, bucket: str, prefix: str, *, exact_key: bool = False) -> int:
    """Delete every version and delete marker under ``prefix`` (only of the key ``prefix`` itself when
    ``exact_key``); return how many were deleted."""
    deleted = 0
    for _ in range(MAX_ROUNDS):
        versions = list(list_versions(s3, bucket, prefix, exact_key=exact_key))
        if not versions:
            return deleted
        deleted += delete_versions(s3, bucket, versions)
    raise VersionsRemain(f"s3://{bucket}/{prefix}: versions still there after {MAX_ROUNDS} rounds of deleting")


def delete_versions(s3: VersionedS3, bucket: str, versions: Iterable[ObjectVersion]) -> int:
    """Delete exactly these versions (each entry names its VersionId); return how many were asked for."""
    listed = list(versions)
    for start in range(0, len(listed), MAX_KEYS_PER_DELETE):
        batch = listed[start : start + MAX_KEYS_PER_DELETE]
        response = s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
        if errors := response.get("Errors"):
            raise VersionsRemain(f"s3://{bucket}: {len(errors)} version(s) not deleted: {_describe(errors)}")
    return len(listed)


def list_versions(s3: VersionedS3, bucket: str, prefix: str, *, exact_key: bool = False) -> Iterator[ObjectVersion]:
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
