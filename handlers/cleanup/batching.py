"""Batches of what a paginated listing selected, each released only once it is safe to delete.

A listing continues from its last page's last entry (S3's KeyMarker/VersionIdMarker, DynamoDB's
LastEvaluatedKey). Deleting that entry before the next page is fetched can end the listing early:
moto, for one, then returns an empty page. So an entry is handed out for deletion only after the
page *following* its own has been fetched, or when the listing is over. At most one page plus one
batch is held in memory, however long the listing.
"""

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def settled_batches(pages: Iterable[list[T]], size: int) -> Iterator[list[T]]:
    """The entries of ``pages`` in order, in batches of at most ``size``."""
    if size < 1:
        raise ValueError(f"a batch holds at least one entry, got size {size}")
    ready: list[T] = []
    held: list[T] = []  # the latest page's entries: its last one may be the next page's marker
    for page in pages:
        ready.extend(held)
        held = list(page)
        while len(ready) >= size:
            yield ready[:size]
            del ready[:size]
    ready.extend(held)
    for start in range(0, len(ready), size):
        yield ready[start : start + size]
