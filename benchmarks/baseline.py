"""The naive handler every tutorial shows, kept as the benchmark's yardstick.

Per rendition: open and fully decode the upload again, turn it upright, ``thumbnail`` from the
full-size pixels, save with ``optimize=True`` and Pillow's default WebP effort. Not for use.
"""

import io
from collections.abc import Sequence

from PIL import Image, ImageOps

from handlers.imaging.renditions import JPEG_QUALITY, WEBP_QUALITY, OutputFormat, RenditionSpec

# (name, format, data) per output.
NaiveOutput = tuple[str, OutputFormat, bytes]


def naive_renditions(data: bytes, specs: Sequence[RenditionSpec]) -> list[NaiveOutput]:
    outputs: list[NaiveOutput] = []
    for spec in specs:
        with Image.open(io.BytesIO(data)) as original:
            image = ImageOps.exif_transpose(original)  # decodes the whole image
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image.thumbnail((spec.width, spec.height), Image.Resampling.LANCZOS)
        for fmt in spec.formats_for(has_alpha):
            buffer = io.BytesIO()
            if fmt is OutputFormat.JPEG:
                image.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
            elif fmt is OutputFormat.WEBP:
                image.save(buffer, "WEBP", quality=WEBP_QUALITY)
            else:
                image.save(buffer, "PNG", optimize=True)
            outputs.append((spec.name, fmt, buffer.getvalue()))
    return outputs
