"""What a picture of the demo's lighthouse scene looks like when it is the right way up.

The scene (``localrun.samples.lighthouse_photo``) has a clear up and a clear left: blue sky over
the top tenth, green grass along the bottom tenth, and a red-banded lighthouse left of centre.
"""

from dataclasses import dataclass

from PIL import Image, ImageChops, ImageStat


@dataclass(frozen=True)
class Reading:
    top: tuple[float, float, float]
    """Mean RGB of the top tenth of the rows."""
    bottom: tuple[float, float, float]
    """Mean RGB of the bottom tenth of the rows."""
    red_left: int
    """Pixels of the lighthouse's red bands in the left half."""
    red_right: int


def _mean(image: Image.Image) -> tuple[float, float, float]:
    r, g, b = ImageStat.Stat(image).mean
    return r, g, b


def _red_pixels(image: Image.Image) -> int:
    r, g, b = image.split()
    red = ImageChops.multiply(r.point(lambda v: 255 if v > 150 else 0), g.point(lambda v: 255 if v < 90 else 0))
    return ImageChops.multiply(red, b.point(lambda v: 255 if v < 90 else 0)).histogram()[255]


def read_scene(image: Image.Image) -> Reading:
    rgb = image.convert("RGB")
    width, height = rgb.size
    band = max(1, height // 10)
    return Reading(
        top=_mean(rgb.crop((0, 0, width, band))),
        bottom=_mean(rgb.crop((0, height - band, width, height))),
        red_left=_red_pixels(rgb.crop((0, 0, width // 2, height))),
        red_right=_red_pixels(rgb.crop((width - width // 2, 0, width, height))),
    )


def is_sky(rgb: tuple[float, float, float]) -> bool:
    r, g, b = rgb
    return b > g > r and b - r > 80


def is_grass(rgb: tuple[float, float, float]) -> bool:
    r, g, b = rgb
    return g > r + 20 and g > b + 40
