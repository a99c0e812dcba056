"""The largest rendition, made from the decoded source strip by strip.

Converting a whole decoded image to 8-bit sRGB RGBA before resizing kept several full-size copies
alive at once (a 16-bit grey PNG with a transparency key: 12 bytes per pixel). Here each strip
is converted, premultiplied and box-reduced on its own, and only the reduced image is resampled:
the peak is the decoded source plus a reduced canvas plus one strip's temporaries.

The pixels are exactly those of ``to_srgb(image).resize(size, resample, reducing_gap=REDUCING_GAP)``
(``resize.resize_to``):
Pillow's resize premultiplies RGBA, box-reduces by the same whole factors (in blocks that never
straddle two strips, as each strip is a multiple of the factor high) and resamples the reduced
image over the box that maps it back onto the source.
"""

from PIL import Image

from handlers.imaging.color import SrgbConversion, srgb_conversion
from handlers.imaging.resize import Size, reduce_factors, resample_for, resize_to
from handlers.imaging.strips import strip_height, strips


def srgb_at_size(image: Image.Image, size: Size, alpha: bool) -> Image.Image:
    """``image`` (decoded) as 8-bit sRGB, RGBA if ``alpha`` else RGB, resized to ``size``."""
    width, height = image.size
    conversion = srgb_conversion(image, alpha)
    mode = "RGBA" if alpha else "RGB"
    if image.mode == mode == "RGB" and conversion.transform is None and image.size != size:
        # Already sRGB RGB (most JPEGs): Pillow's resize makes no full-size copy of it either.
        resized = resize_to(image, size)
        resized.info = {}
        return resized
    if image.size == size:
        return _assembled(image, conversion, mode, (1, 1))
    factor_x, factor_y = reduce_factors(image.size, size)
    # Pillow resamples RGBA premultiplied ("RGBa"), or transparent pixels' colours would bleed.
    reduced = _assembled(image, conversion, "RGBa" if alpha else mode, (factor_x, factor_y))
    box = (0.0, 0.0, width / factor_x, height / factor_y)
    resized = reduced.resize(size, resample_for(image.size, size), box=box)
    return resized.convert(mode) if alpha else resized


def _assembled(image: Image.Image, conversion: SrgbConversion, mode: str, factors: tuple[int, int]) -> Image.Image:
    """``image`` converted strip by strip to ``mode`` and box-reduced by ``factors``."""
    factor_x, factor_y = factors
    width, height = image.size
    canvas = Image.new(mode, (-(-width // factor_x), -(-height // factor_y)))
    for top, strip in strips(image, strip_height(width, factor_y)):
        pixels = conversion.apply(strip)
        if pixels.mode != mode:
            pixels = pixels.convert(mode)
        if factors != (1, 1):
            pixels = pixels.reduce(factors)
        canvas.paste(pixels, (0, top // factor_y))
    return canvas
