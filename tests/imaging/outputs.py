"""Reading results back: find a rendition, decode it, look at its pixels; read a rejection."""

import io
import re
from collections.abc import Sequence
from typing import Final

from PIL import Image

from handlers.imaging import Limits, OutputFormat, ProcessedImage, Rendition, RenditionSpec, process_image

# Roomy limits: the tests that are about limits pass their own.
LIMITS: Final = Limits(max_bytes=20 * 1024 * 1024, max_pixels=50_000_000)
# JPEG and lossy WebP move solid colours by a few levels; far less than any test's colour gap.
LOSSY_TOLERANCE: Final = 12
# A memory address or a Python object's default repr: never part of a rejection's detail.
OBJECT_ADDRESS: Final = re.compile(r"\b0x[0-9a-f]+|<[^>]* object at ", re.IGNORECASE)


def process(data: bytes, *specs: RenditionSpec, limits: Limits = LIMITS) -> ProcessedImage:
    return process_image(data, specs or (RenditionSpec("r", 100, 100, alpha_formats=(OutputFormat.PNG,)),), limits)


def only(result: ProcessedImage, fmt: OutputFormat, name: str = "r") -> Rendition:
    [rendition] = [r for r in result.renditions if r.name == name and r.format is fmt]
    return rendition


def decode(rendition: Rendition) -> Image.Image:
    image = Image.open(io.BytesIO(rendition.data))
    image.load()
    return image


def at(image: Image.Image, fx: float, fy: float) -> tuple[int, ...]:
    """The pixel at a fraction of the width and height (0.0 left/top, 1.0 right/bottom)."""
    x = min(image.width - 1, int(fx * image.width))
    y = min(image.height - 1, int(fy * image.height))
    value = image.getpixel((x, y))
    assert isinstance(value, tuple)
    return value


def near(actual: Sequence[int], expected: Sequence[int], tolerance: int = LOSSY_TOLERANCE) -> bool:
    return len(actual) == len(expected) and all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))
