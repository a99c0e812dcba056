"""Upload bodies of every kind the handler meets, at sizes that make rendition sizes exact.

Built on the shared factories in ``tests.imagefactories``; this module only picks the inputs the
handler's tests feed it (2:1 images, so every fitted size is a whole number of pixels).
"""

from tests import imagefactories as factories

ROTATE_90_CW = 6  # EXIF orientation: the stored pixels are displayed turned 90 degrees clockwise


def jpeg(size: tuple[int, int] = (2400, 1200)) -> bytes:
    return factories.save(factories.quadrants(size), "JPEG", quality=85)


def cmyk_jpeg(size: tuple[int, int] = (1200, 600)) -> bytes:
    return factories.save(factories.quadrants(size).convert("CMYK"), "JPEG", quality=85)


def exif_rotated_jpeg(stored: tuple[int, int] = (1200, 600)) -> bytes:
    """Stored landscape, displayed portrait: phones write pixels sideways and say so in EXIF."""
    return factories.oriented_jpeg(factories.quadrants(stored), ROTATE_90_CW)


def png_with_alpha(size: tuple[int, int] = (600, 300)) -> bytes:
    return factories.png(factories.half_transparent_rgba(size))


def png_16_bit(size: tuple[int, int] = (400, 200)) -> bytes:
    return factories.png(factories.grey16_gradient(*size))


def animated_gif(size: tuple[int, int] = (300, 150)) -> bytes:
    return factories.animated("GIF", (factories.RED, factories.GREEN, factories.BLUE), size)


def truncated_jpeg() -> bytes:
    whole = jpeg((800, 400))
    return whole[: len(whole) // 2]


def bomb_png(claimed: tuple[int, int] = (40_000, 40_000)) -> bytes:
    """A tiny PNG whose header claims 1.6 billion pixels: decoding it would need gigabytes."""
    return factories.with_header_size(factories.png(factories.solid((1, 1))), *claimed)


def svg() -> bytes:
    return factories.SVG


def tiff() -> bytes:
    return factories.tiff()
