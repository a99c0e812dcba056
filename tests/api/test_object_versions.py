"""Deleting every version under a prefix: page after page, at most 1000 per DeleteObjects call.

A small fake S3 stands in here: making thousands of versions in moto would cost seconds, and the
fake records every call's size.
"""

from typing import Any

import pytest

from handlers.object_versions import MAX_KEYS_PER_DELETE, VersionsRemain, delete_every_version

PAGE = 1000  # S3 lists at most 1000 entries a page


class PagingS3:
    """Versions and delete markers of one bucket, listed in key order a page at a time like S3."""

    def __init__(self, entries: list[tuple[str, str]], markers: frozenset[tuple[str, str]] = frozenset()) -> None:
        self.entries = sorted(entries)
        self.markers = set(markers)
        self.delete_sizes: list[int] = []
        self.listings = 0

    def list_object_versions(self, **kwargs: Any) -> dict[str, Any]:
        self.listings += 1
        matching = [e for e in self.entries if e[0].startswith(kwargs["Prefix"])]
        if "KeyMarker" in kwargs:
            after = (kwargs["KeyMarker"], kwargs["VersionIdMarker"])
            matching = [e for e in matching if e > after]
        page, rest = matching[:PAGE], matching[PAGE:]
        as_entry = [{"Key": k, "VersionId": v} for k, v in page]
        answer: dict[str, Any] = {
            "Versions": [e for e in as_entry if (e["Key"], e["VersionId"]) not in self.markers],
            "DeleteMarkers": [e for e in as_entry if (e["Key"], e["VersionId"]) in self.markers],
            "IsTruncated": bool(rest),
        }
        if rest:
            answer["NextKeyMarker"], answer["NextVersionIdMarker"] = page[-1]
        return answer

    def delete_objects(self, **kwargs: Any) -> dict[str, Any]:
        objects = kwargs["Delete"]["Objects"]
        self.delete_sizes.append(len(objects))
        gone = {(o["Key"], o["VersionId"]) for o in objects}
        self.entries = [e for e in self.entries if e not in gone]
        return {}

    def generate_presigned_post(self, **kwargs: Any) -> dict[str, Any]:
        raise NotImplementedError

    def generate_presigned_url(self, **kwargs: Any) -> str:
        raise NotImplementedError


def test_2500_versions_are_deleted_in_batches_of_at_most_1000() -> None:
    # GIVEN 2500 versions under a prefix (three listing pages), a tenth of them delete markers
    entries = [(f"renditions/u/i/v{n:04d}/thumb.jpg", f"ver{n}") for n in range(2500)]
    s3 = PagingS3(entries, markers=frozenset(entries[::10]))
    # WHEN every version is deleted
    deleted = delete_every_version(s3, "bucket", "renditions/u/i/")
    # THEN all of them, 1000 at a time, and a last listing found nothing left
    assert deleted == 2500 and s3.entries == []
    assert s3.delete_sizes == [1000, 1000, 500]
    assert max(s3.delete_sizes) <= MAX_KEYS_PER_DELETE
    assert s3.listings == 3 + 1


def test_exact_key_deletes_only_that_keys_versions_across_pages() -> None:
    # GIVEN a key with 3 versions among 1500 versions of keys that extend it
    key = "uploads/u/a/photo.jpg"
    others = [(f"{key}.{n:04d}", "v") for n in range(1500)]
    s3 = PagingS3([(key, "v1"), (key, "v2"), (key, "v3"), *others])
    # WHEN the key's versions are deleted
    assert delete_every_version(s3, "bucket", key, exact_key=True) == 3
    # THEN every other key stays
    assert s3.entries == sorted(others)


def test_nothing_to_delete_is_one_listing_and_no_delete() -> None:
    s3 = PagingS3([("other/key", "v")])
    assert delete_every_version(s3, "bucket", "renditions/u/i/") == 0
    assert (s3.listings, s3.delete_sizes) == (1, [])


def test_versions_that_keep_reappearing_are_an_error() -> None:
    # GIVEN a bucket where something writes a new version each time one is deleted
    class Refilling(PagingS3):
        def delete_objects(self, **kwargs: Any) -> dict[str, Any]:
            super().delete_objects(**kwargs)
            self.entries.append(("renditions/u/i/new.jpg", f"v{len(self.delete_sizes)}"))
            return {}

    s3 = Refilling([("renditions/u/i/a.jpg", "v0")])
    with pytest.raises(VersionsRemain):
        delete_every_version(s3, "bucket", "renditions/u/i/")


def test_errors_in_a_delete_answer_are_an_error() -> None:
    class Refusing(PagingS3):
        def delete_objects(self, **kwargs: Any) -> dict[str, Any]:
            return {"Errors": [{"Key": "renditions/u/i/a.jpg", "VersionId": "v0", "Code": "AccessDenied"}]}

    with pytest.raises(VersionsRemain, match="AccessDenied"):
        delete_every_version(Refusing([("renditions/u/i/a.jpg", "v0")]), "bucket", "renditions/u/i/")
