"""A PNG transparency key (tRNS: one grey level or colour marked transparent) becomes alpha,
whatever mode Pillow reads the PNG in: transparent in PNG and WebP, white in JPEG."""

import io
from dataclasses import dataclass

import pytest
from PIL import Image

from handlers.imaging import OutputFormat, RenditionSpec
from handlers.imaging.color import to_srgb
from handlers.imaging.encode import encode
from tests import imagefactories as f
from tests.imaging.outputs import at, decode, near, only, process

JPEG, WEBP, PNG = OutputFormat.JPEG, OutputFormat.WEBP, OutputFormat.PNG
BLACK = (0, 0, 0)
# 16-bit samples: 1000 is 3.9 in 8 bits (shows as 4, near-black); 257 * 150 is exactly 150.
KEY_16 = 1000
GREY_16 = 257 * 150


@dataclass(frozen=True)
class KeyedPng:
    """A 40x20 PNG whose left half holds the key value and whose right half is opaque."""

    data: bytes
    mode: str  # what Pillow opens it as
    key: int | tuple[int, ...]  # info["transparency"] as Pillow reports it
    opaque: f.RGB  # the right half in 8-bit RGB


KEYED_PNGS = {
    # PNG stores a 1-bit key as the sample (1 is white); Pillow reports it as 255, like its pixels.
    "1-bit-white-key": KeyedPng(f.png(f.halves("1", 1, 0), transparency=1), "1", 255, BLACK),
    "1-bit-black-key": KeyedPng(f.png(f.halves("1", 0, 1), transparency=0), "1", 0, f.WHITE),
    "8-bit-grey": KeyedPng(f.png(f.halves("L", 0, 150), transparency=0), "L", 0, (150, 150, 150)),
    "16-bit-grey": KeyedPng(
        f.png(f.halves("I;16", KEY_16, GREY_16), transparency=KEY_16), "I;16", KEY_16, (150, 150, 150)
    ),
    "rgb": KeyedPng(f.png(f.halves("RGB", f.RED, f.BLUE), transparency=f.RED), "RGB", f.RED, f.BLUE),
    "palette": KeyedPng(f.png(f.palette_with_transparency()), "P", 0, f.BLUE),
}


@pytest.mark.parametrize("kind", sorted(KEYED_PNGS))
def test_each_keyed_png_opens_in_its_mode_with_its_key(kind: str) -> None:
    # The tests below are only about the mode they name if Pillow reads the file that way.
    source = KEYED_PNGS[kind]
    image = Image.open(io.BytesIO(source.data))
    assert (image.mode, image.info["transparency"]) == (source.mode, source.key)


@pytest.mark.parametrize("kind", sorted(KEYED_PNGS))
def test_keyed_png_counts_as_transparent_and_gets_a_png_rendition(kind: str) -> None:
    # GIVEN a PNG whose left half is transparent through its tRNS key
    # WHEN processed with the default formats
    result = process(KEYED_PNGS[kind].data)
    # THEN the source has alpha, so PNG joins JPEG and WebP
    assert result.source.has_alpha
    assert [r.format for r in result.renditions] == [JPEG, WEBP, PNG]


@pytest.mark.parametrize("kind", sorted(KEYED_PNGS))
def test_keyed_png_is_transparent_where_the_key_is_in_the_png_rendition(kind: str) -> None:
    # GIVEN a PNG whose left half is transparent through its tRNS key
    source = KEYED_PNGS[kind]
    # WHEN processed
    image = decode(only(process(source.data), PNG))
    # THEN the left half has alpha 0 and the right half keeps its colour, fully opaque
    assert image.mode == "RGBA"
    assert at(image, 0.2, 0.5)[3] == 0
    assert at(image, 0.8, 0.5) == (*source.opaque, 255)


@pytest.mark.parametrize("kind", sorted(KEYED_PNGS))
def test_keyed_png_is_transparent_where_the_key_is_in_the_webp_rendition(kind: str) -> None:
    # GIVEN a PNG whose left half is transparent through its tRNS key
    source = KEYED_PNGS[kind]
    # WHEN processed
    image = decode(only(process(source.data), WEBP))
    # THEN the left half has alpha 0 (WebP keeps alpha losslessly) and the right half is opaque
    assert image.mode == "RGBA"
    assert at(image, 0.2, 0.5)[3] == 0
    assert at(image, 0.8, 0.5)[3] == 255
    assert near(at(image, 0.8, 0.5)[:3], source.opaque)


@pytest.mark.parametrize("kind", sorted(KEYED_PNGS))
def test_keyed_png_is_white_where_the_key_is_in_the_jpeg_rendition(kind: str) -> None:
    # GIVEN a PNG whose left half is transparent through its tRNS key
    source = KEYED_PNGS[kind]
    # WHEN processed
    image = decode(only(process(source.data), JPEG))
    # THEN the JPEG shows white there, not the keyed value, and the right half as it was
    assert near(at(image, 0.2, 0.5), f.WHITE)
    assert near(at(image, 0.8, 0.5), source.opaque)


def test_sixteen_bit_key_makes_only_that_exact_sample_transparent() -> None:
    # GIVEN a 16-bit grey PNG of three stripes, 999, 1000 and 1001, all 4 in 8 bits; the key is 1000
    data = f.png(f.stripes("I;16", [KEY_16 - 1, KEY_16, KEY_16 + 1]), transparency=KEY_16)
    # WHEN rendered losslessly at full size
    out = decode(only(process(data, RenditionSpec("r", 100, 100, formats=(PNG,))), PNG))
    # THEN only the middle stripe is transparent: the key is compared before scaling to 8 bits
    assert [out.getpixel((x, 5)) for x in (5, 15, 25)] == [(4, 4, 4, 255), (4, 4, 4, 0), (4, 4, 4, 255)]


# Pillow opens no PNG as mode I (16-bit grey is I;16, and it cannot write mode I as PNG), so
# mode I with a key reaches the core only in memory: give it to the core's colour step directly.
def _mode_i_rendition(fmt: OutputFormat) -> Image.Image:
    image = f.halves("I", KEY_16, GREY_16)
    image.info["transparency"] = KEY_16
    return Image.open(io.BytesIO(encode(to_srgb(image), fmt)))


@pytest.mark.parametrize("fmt", [PNG, WEBP])
def test_mode_i_image_with_a_key_is_transparent_where_the_key_is_in_png_and_webp(fmt: OutputFormat) -> None:
    # GIVEN an in-memory mode I image, left half the key 1000, right half 257 * 150
    # WHEN brought to sRGB and encoded
    image = _mode_i_rendition(fmt)
    # THEN the left half has alpha 0 and the right half is opaque grey 150
    assert image.mode == "RGBA"
    assert at(image, 0.2, 0.5)[3] == 0
    assert at(image, 0.8, 0.5)[3] == 255
    assert near(at(image, 0.8, 0.5)[:3], (150, 150, 150))


def test_mode_i_image_with_a_key_is_white_where_the_key_is_in_jpeg() -> None:
    # GIVEN the same in-memory mode I image WHEN encoded as JPEG
    image = _mode_i_rendition(JPEG)
    # THEN the key's near-black is flattened onto white
    assert near(at(image, 0.2, 0.5), f.WHITE)
    assert near(at(image, 0.8, 0.5), (150, 150, 150))
