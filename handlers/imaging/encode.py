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
# PNG renditions exist only for sources with transparency, and at Pillow's default level 6 their
# encoding was about half the PNG-with-alpha case. `python -m benchmarks.renditions --png-levels`
# (CPU ms for the default renditions' PNGs, two runs; Pillow 13 deflates with zlib-ng):
#   photo cut-out: level 1 101-116 ms, +12 % bytes; level 6 187-228 ms
#   logo:          level 1  19-21 ms,  +19 % bytes; level 6  29-31 ms
# Levels 2-3 take as long on the logo for 1-3 % fewer bytes, but 6-19 % longer on the photo;
# level 4 keeps level 6's bytes (+1 %) at 0.8-0.9x its time; level 0 stores (2x-17x the bytes).
# CPU per upload counts for more than bytes served here.
PNG_COMPRESS_LEVEL: Final = 1
# optimize=True deflates at level 9 whatever the level and tries one more row filter: 1.8-2.5x
# (photo) to 4.2-5.5x (logo) level 6's time, for 1 % fewer bytes on the logo, 0.2 % more on the photo.
PNG_OPTIMIZE: Final = False


def encode(image: Image.Image, fmt: OutputFormat) -> bytes:
    buffer = io.BytesIO()
    if fmt is OutputFormat.JPEG:
        flatten(image).save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=JPEG_OPTIMIZE)
    elif fmt is OutputFormat.WEBP:
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    else:
        image.save(buffer, "PNG", compress_level=PNG_COMPRESS_LEVEL, optimize=PNG_OPTIMIZE)
    return buffer.getvalue()


def flatten(image: Image.Image) -> Image.Image:
    """Composite onto BACKGROUND if the image has alpha (an RGB image is returned as is)."""
    if image.mode != "RGBA":
        return image
    flat = Image.new("RGB", image.size, BACKGROUND)
    flat.paste(image, mask=image.getchannel("A"))
    return flat
