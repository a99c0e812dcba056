"""Photo-like test images, generated quickly and deterministically.

Real photos are smooth gradients with edges and sensor noise; that mix decides JPEG decode
time (entropy) and how much a downscale can alias. Built from random low-resolution layers
upscaled with BICUBIC (cheap gradients at several scales), sharp-edged shapes and a thin
layer of per-pixel noise. A 12 MP image takes about a second.
"""

import io
import random

from PIL import ExifTags, Image, ImageDraw, ImageFilter

# Width over which each random layer varies: broad light, mid-size shapes, fine texture.
_LAYERS = ((256, 1.0), (64, 0.35), (16, 0.25))
_TEXTURE_SCALE = 4
_TEXTURE_WEIGHT = 0.12
_NOISE_WEIGHT = 0.04
_SHAPES = 40


def photo_like(width: int, height: int, seed: int = 0) -> Image.Image:
    """An RGB image with gradients, edges and noise."""
    rng = random.Random(seed)
    image = _layer(rng, width, height, _LAYERS[0][0])
    for scale, weight in _LAYERS[1:]:
        image = Image.blend(image, _layer(rng, width, height, scale), weight)
    draw = ImageDraw.Draw(image)
    for _ in range(_SHAPES):
        x, y = rng.randrange(width), rng.randrange(height)
        extent = rng.randrange(max(2, width // 100), max(3, width // 8))
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        box = (x, y, x + extent, y + int(extent * rng.uniform(0.3, 2.0)))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
        line = (rng.randrange(width), rng.randrange(height), rng.randrange(width), rng.randrange(height))
        draw.line(line, fill=colour, width=rng.randrange(1, 6))
    image = Image.blend(image, _layer(rng, width, height, _TEXTURE_SCALE), _TEXTURE_WEIGHT)
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height)).convert("RGB")
    return Image.blend(image, noise, _NOISE_WEIGHT)


def _layer(rng: random.Random, width: int, height: int, scale: int) -> Image.Image:
    small = (max(1, width // scale), max(1, height // scale))
    random_pixels = Image.frombytes("RGB", small, rng.randbytes(small[0] * small[1] * 3))
    return random_pixels.resize((width, height), Image.Resampling.BICUBIC)


def with_soft_alpha(image: Image.Image) -> Image.Image:
    """RGBA: an opaque centre fading to fully transparent corners, like a cut-out or vignette."""
    width, height = image.size
    mask = Image.new("L", (width // 8, height // 8), 0)
    ImageDraw.Draw(mask).ellipse((width // 64, height // 64, width // 8 - width // 64, height // 8 - height // 64), 255)
    mask = mask.filter(ImageFilter.GaussianBlur(width // 128)).resize((width, height), Image.Resampling.BICUBIC)
    rgba = image.convert("RGBA")
    rgba.putalpha(mask)
    return rgba


def photo_cut_out(size: int = 2000) -> Image.Image:
    """The benchmark's PNG with alpha: a square photo-like image with soft transparent corners."""
    return with_soft_alpha(photo_like(size, size, seed=5))


def jpeg_bytes(image: Image.Image, *, quality: int = 90, exif: bytes = b"") -> bytes:
    """What a camera or phone writes: JPEG at high quality, optionally with an EXIF block."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def orientation_exif(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    return exif.tobytes()
