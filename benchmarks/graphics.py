"""Logo-like test images: what PNG renditions are mostly made of, generated deterministically.

Flat artwork on a transparent background: a few solid colours, large shapes and lettering
with anti-aliased edges. Drawn at twice the size and halved, as vector artwork is rasterised,
so every edge has a one-pixel ramp of partial alpha. A 2000x2000 logo takes about 0.3 s.
"""

import random

from PIL import Image, ImageDraw, ImageFont

_SUPERSAMPLE = 2
_COLOURS = 5
_SHAPES = 24
_POLYGON_SIDES = (3, 9)  # triangles to octagons
TEXT = "imagepipe"


def logo_like(width: int, height: int, seed: int = 0) -> Image.Image:
    """An RGBA image: solid shapes and a line of text in a few colours, transparent elsewhere."""
    rng = random.Random(seed)
    big_width, big_height = width * _SUPERSAMPLE, height * _SUPERSAMPLE
    image = Image.new("RGBA", (big_width, big_height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    colours = [(rng.randrange(256), rng.randrange(256), rng.randrange(256), 255) for _ in range(_COLOURS)]
    for _ in range(_SHAPES):
        colour = rng.choice(colours)
        extent = rng.randrange(big_width // 20, big_width // 5)
        x, y = rng.randrange(big_width - extent), rng.randrange(big_height - extent)
        box = (x, y, x + extent, y + int(extent * rng.uniform(0.5, 1.0)))
        shape = rng.randrange(3)
        if shape == 0:
            draw.ellipse(box, fill=colour)
        elif shape == 1:
            draw.rounded_rectangle(box, radius=extent // 6, fill=colour)
        else:
            centre = (x + extent // 2, y + extent // 2, extent // 2)
            draw.regular_polygon(centre, rng.randrange(*_POLYGON_SIDES), rotation=rng.randrange(360), fill=colour)
    font = ImageFont.load_default(size=big_height // 8)
    draw.text((big_width // 12, big_height * 3 // 4), TEXT, font=font, fill=colours[0])
    return image.reduce(_SUPERSAMPLE)
