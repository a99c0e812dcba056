"""Structure checks: what an upload's container holds, counted before any parser runs.

Some files cost time or memory out of all proportion to their bytes and pixels: a JPEG that
repeats one scan thousands of times, a PNG of a million empty chunks, a GIF of one-byte comment
blocks. ``check_structure`` walks the container's framing (never the pixel data) and rejects
such a file as a decompression bomb before Pillow or libjpeg start on it. The limits, and what
real encoders write, are in ``limits``.
"""

from collections.abc import Callable
from typing import Final

from handlers.imaging.structure import gif, jpeg, png, webp

_CHECKS: Final[dict[str, Callable[[bytes], None]]] = {
    "JPEG": jpeg.check,
    "PNG": png.check,
    "GIF": gif.check,
    "WEBP": webp.check,
}


def check_structure(data: bytes, format_name: str) -> None:
    """Raise Rejected (decompression bomb) if ``data``, a ``format_name`` file by its signature,
    holds more scans, chunks or blocks than its limit."""
    _CHECKS[format_name](data)
