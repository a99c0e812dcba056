"""Bring decoded pixels to 8-bit sRGB, RGB or RGBA, with every piece of metadata dropped.

Everything downstream (resize, encode) then deals with exactly two modes.
"""

import io
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Final

from PIL import Image

from handlers.imaging.icc import without_float_luts

if TYPE_CHECKING:
    from PIL import ImageCms

# Modes of 16-bit (or wider) greyscale samples; PNG's 16-bit grey decodes to I;16.
_WIDE_GREY: Final = frozenset({"I", "I;16", "I;16B", "I;16L", "I;16N", "F"})
# 65535 / 257 == 255 exactly, so black and white stay black and white; + 0.5 rounds.
_WIDE_TO_8BIT_SCALE: Final = 1 / 257
_WIDE_LEVELS: Final = 65536

# ICC colour space (four characters, from the profile header) -> the Pillow mode it describes.
_ICC_SPACES: Final = {"RGB ": "RGB", "GRAY": "L", "CMYK": "CMYK"}


def to_srgb(image: Image.Image) -> Image.Image:
    """Load ``image`` and return it as 8-bit sRGB: RGBA if any pixel is not fully opaque, else RGB.

    Transparency in any form (alpha band, palette or colour-key tRNS) survives as the alpha band.
    An embedded ICC profile is applied; an unusable one is ignored, as browsers do.
    The result has an empty ``info``: Pillow's PNG and JPEG writers otherwise copy the source's
    ICC profile, transparency key and comment from it into every rendition.
    """
    image.load()  # here, inside the caller's error mapping, not lazily in a later resize
    icc = image.info.get("icc_profile")
    base = _standard_mode(image)
    base = _drop_opaque_alpha(base)
    has_alpha = base.mode in ("LA", "RGBA")
    transform = _icc_transform(icc, base.mode) if icc else None
    wanted = "RGBA" if has_alpha else "RGB"
    if transform is not None:
        result = _apply(transform, base, has_alpha)
    elif base.mode != wanted:
        result = base.convert(wanted)
    else:
        result = base  # convert() to the same mode would copy every pixel
    result.info = {}
    return result


def _standard_mode(image: Image.Image) -> Image.Image:
    """One of L, LA, RGB, RGBA, CMYK, with any transparency turned into an alpha band."""
    mode = image.mode
    key = image.info.get("transparency")
    if mode in _WIDE_GREY:
        return _wide_grey_to_8bit(image, key)
    transparent = key is not None
    if mode in ("P", "PA"):
        # convert('RGB') would paint transparent pixels in their palette colour.
        return image.convert("RGBA" if transparent or mode == "PA" else "RGB")
    if mode in ("1", "L", "RGB") and transparent:
        # Pillow reports a 1-bit key as 0 or 255, the values of mode 1's pixels, so one
        # transparent conversion serves all three.
        return image.convert("RGBA" if mode == "RGB" else "LA")
    if mode == "1":
        return image.convert("L")
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return image
    if "A" in image.getbands() or mode.endswith("a"):
        return image.convert("RGBA")
    return image.convert("RGB")


def _wide_grey_to_8bit(image: Image.Image, key: object) -> Image.Image:
    """L, or LA with alpha 0 wherever a sample equals ``key`` (a 16-bit sample, as PNG stores it)."""
    wide = image.convert("I")
    # convert('L') would clip everything above 255 to white: scale instead.
    grey = wide.point(lambda v: v * _WIDE_TO_8BIT_SCALE + 0.5).convert("L")
    if not isinstance(key, int) or not 0 <= key < _WIDE_LEVELS:
        return grey
    # Compared before scaling: 257 samples share each 8-bit level, and only the key is transparent.
    # (convert('LA') compares after clipping to 8 bits: a key above 255 never matches, and 255
    # makes every sample from 255 up transparent.)
    alpha_table = [255] * _WIDE_LEVELS
    alpha_table[key] = 0
    grey.putalpha(wide.point(alpha_table, "L"))
    return grey


def _drop_opaque_alpha(image: Image.Image) -> Image.Image:
    # An alpha band that is 255 everywhere changes nothing but costs a PNG rendition per spec.
    if image.mode not in ("LA", "RGBA"):
        return image
    lowest, _ = image.getchannel("A").getextrema()
    if isinstance(lowest, (int, float)) and lowest < 255:
        return image
    return image.convert("L" if image.mode == "LA" else "RGB")


def _apply(transform: "ImageCms.ImageCmsTransform", image: Image.Image, has_alpha: bool) -> Image.Image:
    if not has_alpha:
        return transform.apply(image)
    # LittleCMS transforms the colour bands only; alpha goes around it untouched.
    alpha = image.getchannel("A")
    colour = transform.apply(image.convert("L" if image.mode == "LA" else "RGB"))
    colour.putalpha(alpha)
    return colour


def _icc_transform(icc: bytes, mode: str) -> "ImageCms.ImageCmsTransform | None":
    colour_mode = {"LA": "L", "RGBA": "RGB"}.get(mode, mode)
    return _cached_transform(icc, colour_mode)


@lru_cache(maxsize=8)
def _cached_transform(icc: bytes, colour_mode: str) -> "ImageCms.ImageCmsTransform | None":
    # Photos from one camera share one profile; building a transform costs a few ms.
    from PIL import ImageCms  # 8 ms of cold start, paid only once an image has a profile

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(without_float_luts(icc)))
        if _ICC_SPACES.get(source.profile.xcolor_space) != colour_mode:
            return None
        return ImageCms.buildTransform(source, _srgb(), colour_mode, "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


@cache
def _srgb() -> "ImageCms.ImageCmsProfile":
    from PIL import ImageCms  # see _cached_transform

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
