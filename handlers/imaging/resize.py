"""Sizes and resampling: fit inside a box, decode JPEGs at reduced scale, cascade downwards."""

from collections.abc import Iterator, Sequence
from typing import Final

from PIL import Image, JpegImagePlugin

Size = tuple[int, int]

RESAMPLE: Final = Image.Resampling.LANCZOS
# A step that shrinks by less than this follows a DCT-scaled JPEG decode (already low-passed) or
# is a small final trim: bicubic is 25% faster there and, measured on a 12 MP photo's preview,
# 43.7 dB from the Lanczos result, far below the ~29 dB error JPEG coding adds anyway.
SMALL_STEP: Final = 2.0
SMALL_STEP_RESAMPLE: Final = Image.Resampling.BICUBIC
# Pillow first box-reduces by an integer factor while the remaining step stays >= 3x, so only
# steps above 6x change: large PNG/WebP/GIF sources, or a JPEG still far above its target at
# 1/8 scale. Pillow documents 3.0 as "indistinguishable from fair resampling in most cases".
REDUCING_GAP: Final = 3.0


def fit_within(size: Size, box: Size) -> Size:
    """The largest size with ``size``'s aspect ratio inside ``box``; never larger than ``size``.

    Never 0 on either axis: a 1x20000 strip fitted into 300x300 stays 1 pixel wide.
    """
    width, height = size
    box_width, box_height = box
    if width <= box_width and height <= box_height:
        return size
    if width * box_height >= height * box_width:  # width is the binding edge
        return box_width, max(1, (2 * height * box_width + width) // (2 * width))
    return max(1, (2 * width * box_height + height) // (2 * height)), box_height


def request_draft(image: Image.Image, target: Size) -> None:
    """Let a JPEG decode at 1/2, 1/4 or 1/8 scale, as long as it stays at least ``target`` on both axes.

    libjpeg scales in the DCT domain, which both skips most of the decode work and low-passes
    the image; the LANCZOS step after it is then small. ``target`` is in stored orientation.
    A no-op for other formats.
    """
    if isinstance(image, JpegImagePlugin.JpegImageFile):
        image.draft(None, target)


def resample_for(source: Size, size: Size) -> Image.Resampling:
    """The filter for one step from ``source`` down to ``size``."""
    ratio = max(source[0] / size[0], source[1] / size[1])
    return SMALL_STEP_RESAMPLE if ratio < SMALL_STEP else RESAMPLE


def reduce_factors(source: Size, size: Size) -> tuple[int, int]:
    """The whole factors Pillow's resize box-reduces ``source`` by before resampling to ``size``."""
    return (int(source[0] / size[0] / REDUCING_GAP) or 1, int(source[1] / size[1] / REDUCING_GAP) or 1)


def resize_to(image: Image.Image, size: Size) -> Image.Image:
    if image.size == size:
        return image
    return image.resize(size, resample_for(image.size, size), reducing_gap=REDUCING_GAP)


def cascade(top: Image.Image, sizes: Sequence[Size]) -> Iterator[tuple[Size, Image.Image]]:
    """Yield ``top`` resized to each size, each from the previous (larger) result, not from ``top``.

    ``sizes`` must be in decreasing order and no larger than ``top``: every step then reads
    fewer pixels than the last.
    """
    current = top
    for size in sizes:
        current = resize_to(current, size)
        yield size, current
