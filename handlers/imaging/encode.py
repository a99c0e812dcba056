"""Encode one resized sRGB image (RGB or RGBA) into one output format. Writes no metadata."""

import io
from typing import Final

from PIL import Image

from handlers.imaging.renditions import JPEG_QUALITY, WEBP_QUALITY, OutputFormat

# What JPEG, which cannot hold alpha, shows behind transparent pixels.
BACKGROUND: Final = (255, 255, 255)
# Measured on the 12 MP photo's 800x600 preview: method 0 takes 15-19 ms, the default 4 about
# 70 ms, for about 5 % fewer bytes.
WEBP_METHOD: Final = 0
# Measured on the 12 MP photo's renditions: Huffman optimisation saves ~3 % of the JPEG bytes
# for ~3 ms (~3.5 % of the whole run); progressive saves ~8 % for ~12 ms. Speed won here; flip
# this if bytes served matter more than CPU per upload.
JPEG_OPTIMIZE: Final = False
# Pillow's default. PNG renditions exist only for sources with transparency, mostly graphics:
# on an 800x800 logo level 6 takes 51 ms vs 35 ms at level 1 for 13 % fewer bytes (on a noisy
# photo cut-out 290 vs 120 ms, also 13 %).
PNG_COMPRESS_LEVEL: Final = 6


def encode(image: Image.Image, fmt: OutputFormat) -> bytes:
    buffer = io.BytesIO()
    if fmt is OutputFormat.JPEG:
        flatten(image).save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=JPEG_OPTIMIZE)
    elif fmt is OutputFormat.WEBP:
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    else:
        image.save(buffer, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


def flatten(image: Image.Image) -> Image.Image:
    """Composite onto BACKGROUND if the image has alpha (an RGB image is returned as is)."""
    if image.mode != "RGBA":
        return image
    flat = Image.new("RGB", image.size, BACKGROUND)
    flat.paste(image, mask=image.getchannel("A"))
    return flat
