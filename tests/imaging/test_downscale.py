"""The largest rendition made strip by strip has exactly the pixels of converting the whole decoded
image and resizing it in one go, whatever the mode, the size and where the strips fall."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops

from handlers.imaging import strips
from handlers.imaging.color import has_transparency, to_srgb
from handlers.imaging.downscale import srgb_at_size
from handlers.imaging.resize import fit_within, resize_to
from tests import imagefactories as f

# Strips of 2,000 pixels: even a small test image is cut into many, the last one short.
SMALL_STRIPS = 2_000


@pytest.fixture(autouse=True)
def small_strips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(strips, "STRIP_PIXELS", SMALL_STRIPS)


def _noise(mode: str, size: tuple[int, int]) -> Image.Image:
    """Every band of ``mode`` filled with noise, so a misplaced row or column shows."""
    count = len(Image.new(mode, (1, 1)).getbands())
    bands = [Image.effect_noise(size, 90 + 10 * i).convert("L") for i in range(count)]
    return Image.merge(mode, bands) if count > 1 else bands[0].convert(mode)


def _decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _whole_then_resized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """What the core did before strips: the whole image to sRGB, then Pillow's resize."""
    return resize_to(to_srgb(image), size)


SOURCES = {
    "rgb": lambda: _noise("RGB", (203, 131)),
    "rgba": lambda: _noise("RGBA", (203, 131)),
    "la": lambda: _noise("LA", (131, 203)),
    "grey": lambda: _noise("L", (203, 131)),
    "cmyk": lambda: _noise("CMYK", (203, 131)),
    "palette-with-key": lambda: _decoded(f.png(_noise("RGB", (203, 131)).quantize(16), transparency=3)),
    "rgb-with-key": lambda: _decoded(
        f.png(_noise("RGB", (203, 131)).point(lambda v: v // 64 * 64), transparency=(64, 0, 128))
    ),
    "16-bit-grey-with-key": lambda: _decoded(
        f.png(_noise("L", (203, 131)).point(lambda v: v * 200).convert("I;16"), transparency=1000)
    ),
    "rgb-with-icc-profile": lambda: _decoded(
        f.png(_noise("RGB", (203, 131)), icc_profile=f.icc_profile("RGB ", 1.0, "lin"))
    ),
}
# Boxes that make Pillow box-reduce by 1, 2, 3 and uneven factors first, or not resize at all.
BOXES = [(203, 203), (150, 150), (60, 60), (30, 20), (10, 45), (7, 7)]


@pytest.mark.parametrize("box", BOXES)
@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_strip_by_strip_gives_the_pixels_of_the_whole_image_resized(kind: str, box: tuple[int, int]) -> None:
    # GIVEN a decoded image of some mode and a rendition box
    image = SOURCES[kind]()
    size = fit_within(image.size, box)
    alpha = has_transparency(image)
    # WHEN the largest rendition is made strip by strip
    made = srgb_at_size(image, size, alpha)
    # THEN it is, pixel for pixel, the whole image converted and resized
    expected = _whole_then_resized(image, size)
    assert (made.mode, made.size) == (expected.mode, expected.size)
    assert ImageChops.difference(made, expected).getbbox() is None


@settings(max_examples=40, deadline=None)
@given(
    width=st.integers(min_value=1, max_value=300),
    height=st.integers(min_value=1, max_value=300),
    box=st.tuples(st.integers(min_value=1, max_value=320), st.integers(min_value=1, max_value=320)),
    mode=st.sampled_from(["RGB", "RGBA"]),
)
def test_any_size_and_box_give_the_same_pixels(width: int, height: int, box: tuple[int, int], mode: str) -> None:
    image = _noise(mode, (width, height))
    size = fit_within(image.size, box)
    # As the core decides: an alpha band only where a pixel is less than opaque (noise may leave a small
    # image wholly opaque, and the whole-image conversion then drops the band).
    made = srgb_at_size(image, size, has_transparency(image))
    assert ImageChops.difference(made, _whole_then_resized(image, size)).getbbox() is None


def test_transparency_is_found_in_the_last_strip() -> None:
    # GIVEN an opaque RGBA image whose only transparent pixel is in its last row
    image = Image.new("RGBA", (100, 100), (1, 2, 3, 255))
    image.putpixel((99, 99), (1, 2, 3, 254))
    # WHEN looked at strip by strip THEN it has transparency; without that pixel it has none
    assert has_transparency(image)
    image.putpixel((99, 99), (1, 2, 3, 255))
    assert not has_transparency(image)
