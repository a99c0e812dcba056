"""EXIF orientation: which way up the camera meant the stored pixels to be shown."""

from typing import Final

from PIL import ExifTags, Image

from handlers.imaging.decode import DATA_ERRORS

_ORIENTATION_TAG: Final = ExifTags.Base.Orientation

# EXIF orientation value -> the transpose that makes the stored pixels upright (as
# ImageOps.exif_transpose does). 1 (upright) and unknown values need nothing.
_TRANSPOSES: Final = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SWAPS_AXES: Final = frozenset({5, 6, 7, 8})


def read_orientation(image: Image.Image) -> int:
    """The EXIF orientation (1-8); 1 when absent, out of range or the EXIF block is unreadable.

    A damaged EXIF block does not make the pixels unusable, so it is ignored rather than rejected.
    """
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
    except DATA_ERRORS:
        return 1
    return value if isinstance(value, int) and value in _TRANSPOSES else 1


def upright_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    """The size as shown, given the stored size."""
    return (size[1], size[0]) if orientation in _SWAPS_AXES else size


# upright_size is its own inverse: swapping twice is the identity.
stored_size = upright_size


def make_upright(image: Image.Image, orientation: int) -> Image.Image:
    transpose = _TRANSPOSES.get(orientation)
    return image if transpose is None else image.transpose(transpose)
