"""A decoded image taken a strip of rows at a time, so per-pixel work never needs a full-size copy."""

from collections.abc import Iterator
from typing import Final

from PIL import Image

# About a megapixel: each strip's temporaries (a crop, a converted copy, its premultiplied form)
# then come to a few MiB whatever the image's size.
STRIP_PIXELS: Final = 1 << 20


def strip_height(width: int, multiple_of: int = 1) -> int:
    """Rows per strip for an image ``width`` wide: about STRIP_PIXELS, a multiple of ``multiple_of``."""
    rows = max(1, STRIP_PIXELS // max(1, width))
    return max(multiple_of, rows - rows % multiple_of)


def strips(image: Image.Image, height: int) -> Iterator[tuple[int, Image.Image]]:
    """(top row, copy of the rows from there) for consecutive strips of ``height`` rows; the last may be shorter.

    Each copy keeps the image's mode, palette and info (the transparency key, the ICC profile).
    """
    width, total = image.size
    for top in range(0, total, height):
        yield top, image.crop((0, top, width, min(total, top + height)))
