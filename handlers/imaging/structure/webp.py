"""WebP: how many chunks libwebp's demuxer would index (one or more per animation frame)."""

from typing import Final

from handlers.imaging.structure.limits import MAX_PARTS, too_complex

_RIFF_HEADER_LENGTH: Final = 12  # "RIFF", size, "WEBP"
_RIFF_SIZE_END: Final = 8  # the RIFF size counts from here
_CHUNK_HEADER_LENGTH: Final = 8  # FourCC, size


def census(data: bytes) -> int:
    """Top-level chunks inside the RIFF container; stops once past MAX_PARTS."""
    riff_size = int.from_bytes(data[4:_RIFF_SIZE_END], "little")
    end = min(len(data), _RIFF_SIZE_END + riff_size)
    at, chunks = _RIFF_HEADER_LENGTH, 0
    while at + _CHUNK_HEADER_LENGTH <= end and chunks <= MAX_PARTS:
        size = int.from_bytes(data[at + 4 : at + _CHUNK_HEADER_LENGTH], "little")
        chunks += 1
        at += _CHUNK_HEADER_LENGTH + size + (size & 1)  # chunks are padded to an even length
    return chunks


def check(data: bytes) -> None:
    if census(data) > MAX_PARTS:
        raise too_complex(f"WebP has more than {MAX_PARTS} chunks")
