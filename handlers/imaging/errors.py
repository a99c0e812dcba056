"""Errors of the image core. They say what the caller should do, not just what went wrong."""

from enum import StrEnum


class RejectReason(StrEnum):
    """Why an upload can never become renditions. Values appear in logs and metadata."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    TOO_MANY_PIXELS = "too_many_pixels"
    DECOMPRESSION_BOMB = "decompression_bomb"
    UNSUPPORTED_FORMAT = "unsupported_format"
    CORRUPT = "corrupt"


class Rejected(Exception):
    """The upload is permanently unusable: record it, do not retry."""

    def __init__(self, reason: RejectReason, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail
