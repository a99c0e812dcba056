"""PNG: how many chunks, and how many of them Pillow inflates, from the chunk headers alone."""

from dataclasses import dataclass
from typing import Final

from PIL import PngImagePlugin

from handlers.imaging.structure.limits import MAX_PARTS, MAX_PNG_COMPRESSED_CHUNKS, too_complex

_SIGNATURE_LENGTH: Final = 8
_HEADER_LENGTH: Final = 8  # length, type
_CRC_LENGTH: Final = 4
# Pillow inflates these (an iTXt only when its flag says so; counted either way).
_COMPRESSED: Final = frozenset({b"iCCP", b"zTXt", b"iTXt"})
_IEND: Final = b"IEND"
_MIB: Final = 1 << 20


@dataclass(frozen=True)
class PngCensus:
    """Counting stops once a limit is passed."""

    chunks: int
    compressed: int


def census(data: bytes) -> PngCensus:
    chunks = compressed = 0
    at, end = _SIGNATURE_LENGTH, len(data)
    while at + _HEADER_LENGTH <= end and chunks <= MAX_PARTS and compressed <= MAX_PNG_COMPRESSED_CHUNKS:
        length = int.from_bytes(data[at : at + 4], "big")
        kind = data[at + 4 : at + _HEADER_LENGTH]
        chunks += 1
        compressed += kind in _COMPRESSED
        if kind == _IEND:
            break
        at += _HEADER_LENGTH + length + _CRC_LENGTH
    return PngCensus(chunks, compressed)


def check(data: bytes) -> None:
    counted = census(data)
    if counted.compressed > MAX_PNG_COMPRESSED_CHUNKS:
        inflated = PngImagePlugin.MAX_TEXT_CHUNK // _MIB
        raise too_complex(
            f"PNG has more than {MAX_PNG_COMPRESSED_CHUNKS} compressed chunks (iCCP, zTXt, iTXt),"
            f" each inflated by up to {inflated} MiB"
        )
    if counted.chunks > MAX_PARTS:
        raise too_complex(f"PNG has more than {MAX_PARTS} chunks")
