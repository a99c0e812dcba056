"""Bring decoded pixels to 8-bit sRGB, RGB or RGBA, with every piece of metadata dropped.

Everything downstream (resize, encode) then deals with exactly two modes. ``srgb_conversion``
decides once per image (alpha or not, which ICC transform) and its ``apply`` converts the image
or any strip of it the same way.
"""

import hashlib
import io
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Final

from PIL import Image

from handlers.imaging.icc import MAX_ICC_PROFILE_BYTES, without_float_luts
from handlers.imaging.strips import strip_height, strips

if TYPE_CHECKING:
    from PIL import ImageCms

# Modes of 16-bit (or wider) greyscale samples; PNG's 16-bit grey decodes to I;16.
_WIDE_GREY: Final = frozenset({"I", "I;16", "I;16B", "I;16L", "I;16N", "F"})
# 65535 / 257 == 255 exactly, so black and white stay black and white; + 0.5 rounds.
_WIDE_TO_8BIT_SCALE: Final = 1 / 257
_WIDE_LEVELS: Final = 65536

# Modes with an alpha band, and the same mode without it.
_WITH_ALPHA: Final = {"LA": "L", "RGBA": "RGB"}
_OPAQUE: Final = 255

# ICC colour space (four characters, from the profile header) -> the Pillow mode it describes.
_ICC_SPACES: Final = {"RGB ": "RGB", "GRAY": "L", "CMYK": "CMYK"}
# Photos from one camera share one profile; building a transform costs a few ms. Keyed by the
# profile's digest: a key holding the profile itself would keep up to 8 of them (16 MiB each)
# alive in a warm container.
_CACHED_TRANSFORMS: Final = 8
_transforms: "OrderedDict[tuple[bytes, str], ImageCms.ImageCmsTransform | None]" = OrderedDict()


@dataclass(frozen=True)
class SrgbConversion:
    """How every pixel of one image becomes 8-bit sRGB."""

    alpha: bool  # RGBA (some pixel is less than opaque) or RGB
    transform: "ImageCms.ImageCmsTransform | None"  # from the embedded ICC profile, if usable

    def apply(self, image: Image.Image) -> Image.Image:
        """``image`` (the image this conversion was made for, or a strip of it) as RGB or RGBA,
        with an empty ``info``: Pillow's PNG and JPEG writers otherwise copy the source's ICC
        profile, transparency key and comment from it into every rendition."""
        base = _base(image, self.alpha)
        result = base if self.transform is None else _apply(self.transform, base)
        wanted = "RGBA" if self.alpha else "RGB"
        if result.mode != wanted:  # (to the same mode, convert() would copy every pixel)
            result = result.convert(wanted)
        result.info = {}
        return result


def srgb_conversion(image: Image.Image, alpha: bool | None = None) -> SrgbConversion:
    """Load ``image`` and decide how it becomes sRGB.

    ``alpha`` defaults to ``has_transparency(image)``. Transparency in any form (alpha band,
    palette or colour-key tRNS) becomes the alpha band. An embedded ICC profile is applied; an
    unusable one is ignored, as browsers do.
    """
    image.load()  # here, inside the caller's error mapping, not lazily in a later resize
    if alpha is None:
        alpha = has_transparency(image)
    icc = image.info.get("icc_profile")
    # The mode every strip has before colour management, from one pixel's worth of work.
    mode = _base(image.crop((0, 0, 1, 1)), alpha).mode
    return SrgbConversion(alpha, _icc_transform(icc, mode) if icc else None)


def to_srgb(image: Image.Image, alpha: bool | None = None) -> Image.Image:
    """The whole of ``image`` as 8-bit sRGB (see ``srgb_conversion``)."""
    return srgb_conversion(image, alpha).apply(image)


def has_transparency(image: Image.Image) -> bool:
    """Whether any pixel of ``image`` (loaded) is less than fully opaque, whatever form its
    transparency takes. Looked at a strip at a time; stops at the first strip that has one."""
    if not _may_have_alpha(image):
        return False
    for _, strip in strips(image, strip_height(image.width)):
        base = _standard_mode(strip)
        if base.mode in _WITH_ALPHA:
            lowest, _ = base.getchannel("A").getextrema()
            if isinstance(lowest, (int, float)) and lowest < _OPAQUE:
                return True
    return False


def _may_have_alpha(image: Image.Image) -> bool:
    """Whether _standard_mode can give ``image`` an alpha band at all."""
    return "transparency" in image.info or "A" in image.getbands() or image.mode.endswith("a")


def _base(image: Image.Image, alpha: bool) -> Image.Image:
    """_standard_mode, without the alpha band when the whole image is opaque: an alpha band that
    is 255 everywhere changes nothing but costs a PNG rendition per spec."""
    base = _standard_mode(image)
    if not alpha and base.mode in _WITH_ALPHA:
        return base.convert(_WITH_ALPHA[base.mode])
    return base


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


def _apply(transform: "ImageCms.ImageCmsTransform", image: Image.Image) -> Image.Image:
    if image.mode not in _WITH_ALPHA:
        return transform.apply(image)
    # LittleCMS transforms the colour bands only; alpha goes around it untouched.
    alpha = image.getchannel("A")
    colour = transform.apply(image.convert(_WITH_ALPHA[image.mode]))
    colour.putalpha(alpha)
    return colour


def _icc_transform(icc: bytes, mode: str) -> "ImageCms.ImageCmsTransform | None":
    if not isinstance(icc, bytes) or len(icc) > MAX_ICC_PROFILE_BYTES:
        return None
    colour_mode = _WITH_ALPHA.get(mode, mode)
    key = (hashlib.sha256(icc).digest(), colour_mode)
    if key in _transforms:
        _transforms.move_to_end(key)
        return _transforms[key]
    transform = _build_transform(icc, colour_mode)
    _transforms[key] = transform
    if len(_transforms) > _CACHED_TRANSFORMS:
        _transforms.popitem(last=False)
    return transform


def _build_transform(icc: bytes, colour_mode: str) -> "ImageCms.ImageCmsTransform | None":
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
    from PIL import ImageCms  # see _build_transform

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
