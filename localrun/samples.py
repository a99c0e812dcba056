"""Sample uploads for the demo, drawn on the fly: no binary files in the repository."""

import io
from dataclasses import dataclass

from PIL import ExifTags, Image, ImageDraw, ImageFilter

from handlers.contract import ImageStatus

# EXIF Orientation 6: the camera stored the pixels sideways; viewers rotate 90 degrees clockwise.
_ROTATE_90_CW = 6


@dataclass(frozen=True)
class Sample:
    file_name: str
    data: bytes
    content_type: str
    description: str
    expected: ImageStatus


def _encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def harbour_photo(size: tuple[int, int] = (2048, 1365)) -> Image.Image:
    """Dusk over water: a graded sky, a low sun, hills, a sea and sensor-like noise."""
    width, height = size
    ramp = Image.linear_gradient("L").resize(size)
    sky = Image.merge(
        "RGB",
        (ramp.point(lambda v: 60 + v * 0.75), ramp.point(lambda v: 50 + v * 0.45), ramp.point(lambda v: 110 + v * 0.2)),
    )
    draw = ImageDraw.Draw(sky)
    horizon = int(height * 0.62)
    sun = (int(width * 0.68), int(height * 0.5))
    draw.ellipse((sun[0] - 70, sun[1] - 70, sun[0] + 70, sun[1] + 70), fill=(255, 214, 150))
    draw.polygon(
        [
            (0, horizon),
            (width * 0.2, horizon * 0.8),
            (width * 0.45, horizon * 0.92),
            (width * 0.7, horizon),
            (0, horizon),
        ],
        fill=(52, 58, 70),
    )
    draw.rectangle((0, horizon, width, height), fill=(28, 52, 84))
    for i in range(0, height - horizon, 9):  # glints on the water under the sun
        draw.line(
            (sun[0] - 120 + (i * 7) % 90, horizon + i, sun[0] + 60 - (i * 5) % 70, horizon + i), fill=(230, 180, 120)
        )
    noise = Image.effect_noise(size, 18).convert("RGB")
    return Image.blend(sky.filter(ImageFilter.GaussianBlur(1.2)), noise, 0.06)


def lighthouse_photo(size: tuple[int, int] = (800, 1200)) -> Image.Image:
    """Midday on a headland, upright and taller than wide: blue sky above, a lighthouse, green grass below."""
    width, height = size
    horizon = int(height * 0.58)
    ramp = Image.linear_gradient("L").resize((width, horizon))  # 0 at the top of the sky, 255 at the horizon
    sky = Image.merge(
        "RGB",
        (ramp.point(lambda v: 40 + v * 0.5), ramp.point(lambda v: 90 + v * 0.45), ramp.point(lambda v: 170 + v * 0.25)),
    )
    ramp = Image.linear_gradient("L").resize((width, height - horizon))  # darker towards the photographer
    grass = Image.merge(
        "RGB",
        (ramp.point(lambda v: 90 - v * 0.25), ramp.point(lambda v: 150 - v * 0.3), ramp.point(lambda v: 60 - v * 0.15)),
    )
    scene = Image.new("RGB", size)
    scene.paste(sky, (0, 0))
    scene.paste(grass, (0, horizon))
    draw = ImageDraw.Draw(scene)
    sun = (int(width * 0.78), int(height * 0.2))
    draw.ellipse((sun[0] - 45, sun[1] - 45, sun[0] + 45, sun[1] + 45), fill=(255, 244, 200))
    x, base, top, half = int(width * 0.36), int(height * 0.7), int(height * 0.3), int(width * 0.06)
    draw.polygon(
        [(x - half * 1.4, base), (x - half, top), (x + half, top), (x + half * 1.4, base)], fill=(236, 236, 230)
    )
    for band in range(1, 4):  # three red bands
        y = top + (base - top) * band // 4
        draw.rectangle((x - half * 1.5, y - 22, x + half * 1.5, y + 22), fill=(190, 40, 40))
    draw.rectangle((x - half * 2, base - 6, x + half * 2, base + 14), fill=(120, 112, 100))  # the stone footing
    draw.rectangle((x - half * 0.8, top - 60, x + half * 0.8, top), fill=(250, 220, 120))  # the lantern
    draw.polygon([(x - half * 1.1, top - 60), (x, top - 110), (x + half * 1.1, top - 60)], fill=(60, 60, 64))
    noise = Image.effect_noise(size, 18).convert("RGB")
    return Image.blend(scene.filter(ImageFilter.GaussianBlur(1.2)), noise, 0.06)


def as_phone_stores_it(upright: Image.Image) -> tuple[Image.Image, bytes]:
    """The sensor's sideways pixels and the EXIF that tells viewers to turn them upright again (Orientation 6)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = _ROTATE_90_CW
    return upright.transpose(Image.Transpose.ROTATE_90), exif.tobytes()


def samples() -> list[Sample]:
    landscape = harbour_photo()
    portrait, exif = as_phone_stores_it(lighthouse_photo())
    logo = Image.new("RGBA", (640, 320), (0, 0, 0, 0))
    ImageDraw.Draw(logo).rounded_rectangle((20, 20, 620, 300), radius=60, fill=(20, 150, 110, 230))
    whole = _encode(harbour_photo((800, 533)), "JPEG", quality=85)
    return [
        Sample("harbour-at-dusk.jpg", _encode(landscape, "JPEG", quality=88), "image/jpeg",
               "landscape photo, 2048x1365", ImageStatus.COMPLETED),
        Sample("phone-portrait.jpg", _encode(portrait, "JPEG", quality=88, exif=exif), "image/jpeg",
               "portrait photo stored sideways as a phone does (1200x800, EXIF Orientation 6: turn 90 degrees "
               "clockwise); upright it is 800x1200, sky at the top", ImageStatus.COMPLETED),
        Sample("logo.png", _encode(logo, "PNG"), "image/png", "PNG with transparency", ImageStatus.COMPLETED),
        Sample("cut-short.jpg", whole[: len(whole) // 3], "image/jpeg",
               "JPEG cut off after a third of its bytes", ImageStatus.REJECTED),
        Sample("Sommer am Meer + Café ☀ 100%.jpg", _encode(landscape.resize((1024, 683)), "JPEG"), "image/jpeg",
               "file name with spaces, plus, unicode and a percent sign", ImageStatus.COMPLETED),
    ]  # fmt: skip
