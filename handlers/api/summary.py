"""The one shape of an image in the API's answers, from a metadata item (``handlers.edge.metadata``).

``GET /images`` answers a list of summaries; ``GET /images/{id}`` a summary plus ``reason`` and the
renditions. An attribute the item lacks (a failed upload has no dimensions) is null, never absent.
"""

from collections.abc import Mapping
from typing import Any, TypedDict

from handlers.contract import TABLE_HASH_KEY, USER_INDEX_RANGE_KEY


class ImageSummary(TypedDict):
    image_id: str
    file_name: str | None
    status: str | None
    uploaded_at: str | None
    size_bytes: int | None
    format: str | None
    width: int | None
    height: int | None


class RenditionView(TypedDict):
    name: str
    format: str
    width: int
    height: int
    bytes: int
    url: str  # a presigned GET, valid for URL_TTL_SECONDS


class ImageDetail(ImageSummary):
    reason: str | None  # why a rejected upload can never become renditions
    # What made the renditions (the rendering specs and the image core's version, hashed); null unless
    # completed. It changes when the stack's renditions do and the image is reprocessed.
    fingerprint: str | None
    renditions: list[RenditionView]


def image_summary(item: Mapping[str, Any]) -> ImageSummary:
    """``item`` is decoded (``decode_item``): plain values."""
    return ImageSummary(
        image_id=item[TABLE_HASH_KEY],
        file_name=item.get("file_name"),
        status=item.get("status"),
        uploaded_at=item.get(USER_INDEX_RANGE_KEY),
        size_bytes=item.get("size_bytes"),
        format=item.get("format"),
        width=item.get("width"),
        height=item.get("height"),
    )
