"""JPEG: the scans and marker segments of the first image, found as libjpeg finds them.

The file is walked segment by segment: a marker segment's length says where the next one
starts, and after a start-of-scan header the entropy-coded data runs to the first marker that is
neither 0xFF00 (a stuffed 0xFF data byte) nor RST0-7 (restart markers live inside the data). A
search for the bytes 0xFFDA alone would also count those bytes inside an APP segment (an EXIF
thumbnail is a whole JPEG). Nothing is decoded.
"""

import re
from dataclasses import dataclass
from typing import Final

from handlers.imaging.structure.limits import ENCODER_MAX_JPEG_SCANS, MAX_JPEG_SCANS, MAX_PARTS, too_complex

_SOI_LENGTH: Final = 2
# 0xFF and a marker code. Any number of 0xFF fill bytes may come first; the match takes the last.
_MARKER: Final = re.compile(rb"\xff[^\x00\xff]")
_END_OF_ENTROPY_DATA: Final = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
# TEM, RST0-7 and SOI have no length field.
_STANDALONE: Final = frozenset({0x01, *range(0xD0, 0xD8), 0xD8})
_EOI: Final = 0xD9
_SOS: Final = 0xDA
_LENGTH_FIELD: Final = 2


@dataclass(frozen=True)
class JpegCensus:
    """What the first image of a JPEG holds; counting stops once a limit is passed."""

    scans: int
    parts: int  # marker segments, plus stray bytes between them (Pillow steps over each alone)


def census(data: bytes) -> JpegCensus:
    scans = parts = 0
    at, end = _SOI_LENGTH, len(data)
    while at < end and scans <= MAX_JPEG_SCANS and parts <= MAX_PARTS:
        # Stray bytes count as parts: look no further than the parts left allow.
        window = min(end, at + MAX_PARTS - parts + 2)
        marker = _MARKER.search(data, at, window)
        if marker is None:
            parts += window - at if window < end else 0
            break
        parts += marker.start() - at + 1
        code = data[marker.start() + 1]
        at = marker.end()
        if code == _EOI:  # the end of the first image; an MPO's other pictures are never decoded
            break
        if code in _STANDALONE:
            continue
        at += int.from_bytes(data[at : at + _LENGTH_FIELD], "big")  # the length counts its own two bytes
        if code == _SOS:
            scans += 1
            entropy_end = _END_OF_ENTROPY_DATA.search(data, at)
            at = end if entropy_end is None else entropy_end.start()
    return JpegCensus(scans, parts)


def check(data: bytes) -> None:
    counted = census(data)
    if counted.scans > MAX_JPEG_SCANS:
        raise too_complex(
            f"JPEG has more than {MAX_JPEG_SCANS} scans (encoders write at most {ENCODER_MAX_JPEG_SCANS});"
            " each one is decoded again"
        )
    if counted.parts > MAX_PARTS:
        raise too_complex(f"JPEG has more than {MAX_PARTS} marker segments and stray bytes")
