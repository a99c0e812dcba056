"""Renditions show what the uploader saw: right way up, right colours, transparency kept or flattened."""

import io

import pytest
from PIL import Image

from handlers.imaging import OutputFormat, RenditionSpec
from tests import imagefactories as f
from tests.imaging.outputs import at, decode, near, only, process

JPEG, WEBP, PNG = OutputFormat.JPEG, OutputFormat.WEBP, OutputFormat.PNG

# What the EXIF specification says each orientation means, as the colours that end up in the
# displayed top-left and top-right corners of a stored image whose quadrants are
# top-left RED, top-right GREEN, bottom-left BLUE, bottom-right YELLOW.
# ("Orientation 6: the 0th row is the visual right-hand side, the 0th column the visual top.")
DISPLAYED_TOP_CORNERS = {
    1: (f.RED, f.GREEN),
    2: (f.GREEN, f.RED),
    3: (f.YELLOW, f.BLUE),
    4: (f.BLUE, f.YELLOW),
    5: (f.RED, f.BLUE),
    6: (f.BLUE, f.RED),
    7: (f.YELLOW, f.GREEN),
    8: (f.GREEN, f.YELLOW),
}


@pytest.mark.parametrize("orientation", sorted(DISPLAYED_TOP_CORNERS))
def test_exif_orientation_is_applied(orientation: int) -> None:
    # GIVEN a landscape 400x200 JPEG with four coloured quadrants and an EXIF orientation
    data = f.oriented_jpeg(f.quadrants((400, 200)), orientation)
    # WHEN rendered into a 100x100 box
    result = process(data, RenditionSpec("r", 100, 100))
    image = decode(only(result, JPEG))
    # THEN orientations 5-8 give a portrait rendition, and the corners hold the colours the
    # EXIF specification puts there
    expected_size = (50, 100) if orientation >= 5 else (100, 50)
    assert image.size == expected_size
    assert (result.source.width, result.source.height) == (expected_size[0] * 4, expected_size[1] * 4)
    top_left, top_right = DISPLAYED_TOP_CORNERS[orientation]
    assert near(at(image, 0.1, 0.1), top_left)
    assert near(at(image, 0.9, 0.1), top_right)


def test_damaged_exif_block_is_ignored_and_the_image_still_processed() -> None:
    # GIVEN a JPEG whose APP1 Exif segment is garbage
    data = f.save(f.solid((40, 20), f.GREEN), "JPEG", exif=b"Exif\x00\x00MM\x00*garbage")
    # WHEN processed THEN it is rendered as stored
    image = decode(only(process(data), JPEG))
    assert image.size == (40, 20)
    assert near(at(image, 0.5, 0.5), f.GREEN)


TRANSPARENT_SOURCES = {
    "png-palette-transparency": lambda: f.png(f.palette_with_transparency()),
    "gif-transparency": lambda: f.save(f.palette_with_transparency(), "GIF"),
    "png-rgba": lambda: f.png(f.half_transparent_rgba()),
    "png-la": lambda: f.png(f.half_transparent_rgba(colour=(0, 0, 0)).convert("LA")),
    "webp-rgba": lambda: f.save(f.half_transparent_rgba(), "WEBP", lossless=True),
}


@pytest.mark.parametrize("kind", sorted(TRANSPARENT_SOURCES))
def test_transparent_area_is_white_in_jpeg(kind: str) -> None:
    # GIVEN a 40x20 source whose left half is transparent (hiding magenta, red or black pixels)
    data = TRANSPARENT_SOURCES[kind]()
    # WHEN processed
    result = process(data)
    image = decode(only(result, JPEG))
    # THEN the JPEG shows white where the source was transparent, not the hidden colour
    assert result.source.has_alpha
    assert near(at(image, 0.2, 0.5), f.WHITE)
    assert not near(at(image, 0.8, 0.5), f.WHITE)


@pytest.mark.parametrize("fmt", [PNG, WEBP])
@pytest.mark.parametrize("kind", sorted(TRANSPARENT_SOURCES))
def test_transparent_area_stays_transparent_in_png_and_webp(kind: str, fmt: OutputFormat) -> None:
    # GIVEN a source whose left half is transparent
    data = TRANSPARENT_SOURCES[kind]()
    # WHEN processed with the default formats (JPEG, WebP, and PNG for alpha sources)
    image = decode(only(process(data), fmt))
    # THEN the left half has alpha 0 and the right half is opaque
    assert image.mode == "RGBA"
    assert at(image, 0.2, 0.5)[3] == 0
    assert at(image, 0.8, 0.5)[3] == 255


def test_palette_transparency_does_not_show_the_palette_colour_in_png() -> None:
    # GIVEN a palette image whose transparent index is magenta in the palette
    data = f.png(f.palette_with_transparency())
    # WHEN processed THEN the opaque half is the blue it was
    image = decode(only(process(data), PNG))
    assert at(image, 0.8, 0.5) == (*f.BLUE, 255)


def test_rgb_png_with_a_transparent_colour_key_gets_alpha() -> None:
    # GIVEN an RGB PNG whose tRNS chunk makes pure red transparent; right half blue
    image = f.solid((40, 20), f.RED)
    image.paste(f.BLUE, (20, 0, 40, 20))
    data = f.png(image, transparency=f.RED)
    # WHEN processed THEN red is transparent in the PNG rendition, white in the JPEG
    result = process(data)
    assert at(decode(only(result, PNG)), 0.2, 0.5)[3] == 0
    assert near(at(decode(only(result, JPEG)), 0.2, 0.5), f.WHITE)


def test_fully_opaque_alpha_band_counts_as_no_alpha() -> None:
    # GIVEN an RGBA PNG whose alpha is 255 everywhere
    data = f.png(f.solid((40, 20), (*f.GREEN, 255), mode="RGBA"))
    # WHEN processed THEN no PNG rendition is made and the source is reported opaque
    result = process(data)
    assert not result.source.has_alpha
    assert [r.format for r in result.renditions] == [JPEG, WEBP]


def test_sixteen_bit_grey_is_scaled_to_eight_bits_not_clipped() -> None:
    # GIVEN a 16-bit greyscale PNG gradient: column x holds x * 257 (mid-grey 32896 at x = 128)
    data = f.png(f.grey16_gradient(256, 4))
    assert Image.open(io.BytesIO(data)).mode == "I;16"
    # WHEN rendered losslessly at full size
    image = decode(only(process(data, RenditionSpec("r", 256, 256, formats=(PNG,))), PNG))
    # THEN each column keeps its grey level (convert('L') would make everything above 255 white)
    assert [image.getpixel((x, 1)) for x in (0, 64, 128, 192, 255)] == [
        (0, 0, 0),
        (64, 64, 64),
        (128, 128, 128),
        (192, 192, 192),
        (255, 255, 255),
    ]


def test_cmyk_jpeg_without_profile_is_converted_to_rgb() -> None:
    # GIVEN a CMYK JPEG in full magenta + yellow ink (red)
    data = f.save(f.solid((40, 20), (0, 255, 255, 0), mode="CMYK"), "JPEG", quality=95)
    # WHEN processed THEN the rendition is red RGB
    image = decode(only(process(data), JPEG))
    assert image.mode == "RGB"
    assert near(at(image, 0.5, 0.5), f.RED)


def test_cmyk_jpeg_with_profile_is_converted_through_that_profile() -> None:
    # GIVEN a CMYK JPEG (0, 255, 255, 128) tagged with a profile under which only black ink shows
    cmyk = f.solid((40, 20), (0, 255, 255, 128), mode="CMYK")
    data = f.save(cmyk, "JPEG", quality=95, icc_profile=f.cmyk_profile_black_ink_only())
    # WHEN processed THEN the rendition is the profile's mid-grey, not Pillow's naive dark red
    image = decode(only(process(data), JPEG))
    assert near(at(image, 0.5, 0.5), (118, 118, 118))


def test_rgb_icc_profile_is_converted_to_srgb() -> None:
    # GIVEN a mid-grey (128) JPEG tagged with a linear-light RGB profile (sRGB primaries, gamma 1.0)
    data = f.save(f.solid((40, 20), f.MID_GREY), "JPEG", quality=95, icc_profile=f.icc_profile("RGB ", 1.0, "lin"))
    # WHEN processed
    result = process(data)
    # THEN every rendition shows it as sRGB does: linear 0.5 is sRGB 188
    for rendition in result.renditions:
        image = decode(rendition)
        assert near(at(image, 0.5, 0.5)[:3], (188, 188, 188), tolerance=4), rendition.format
        assert "icc_profile" not in image.info


def test_grey_icc_profile_is_converted_to_srgb() -> None:
    # GIVEN a greyscale JPEG at 128 tagged with a linear-light grey profile
    data = f.save(f.solid((40, 20), 128, mode="L"), "JPEG", quality=95, icc_profile=f.icc_profile("GRAY", 1.0, "lin"))
    # WHEN processed THEN it is sRGB 188, as RGB
    image = decode(only(process(data), JPEG))
    assert near(at(image, 0.5, 0.5), (188, 188, 188), tolerance=4)


def test_image_without_profile_keeps_its_values() -> None:
    # GIVEN the same mid-grey JPEG with no profile WHEN processed THEN it stays 128
    image = decode(only(process(f.save(f.solid((40, 20), f.MID_GREY), "JPEG", quality=95)), JPEG))
    assert near(at(image, 0.5, 0.5), f.MID_GREY, tolerance=4)


def test_unusable_icc_profile_is_ignored() -> None:
    # GIVEN a JPEG whose embedded profile is garbage, or an RGB profile on a greyscale image
    garbage = f.save(f.solid((40, 20), f.MID_GREY), "JPEG", quality=95, icc_profile=b"not a profile" * 20)
    mismatched = f.save(
        f.solid((40, 20), 128, mode="L"), "JPEG", quality=95, icc_profile=f.icc_profile("RGB ", 1.0, "x")
    )
    # WHEN processed THEN the pixels are taken as sRGB, as browsers do
    for data in (garbage, mismatched):
        assert near(at(decode(only(process(data), JPEG)), 0.5, 0.5), f.MID_GREY, tolerance=4)


def test_transparent_png_with_profile_keeps_alpha_and_converts_colour() -> None:
    # GIVEN an RGBA PNG tagged linear-light: left half transparent, right half mid-grey opaque
    image = Image.new("RGBA", (40, 20), (0, 0, 0, 0))
    image.paste((128, 128, 128, 255), (20, 0, 40, 20))
    data = f.png(image, icc_profile=f.icc_profile("RGB ", 1.0, "lin"))
    # WHEN processed THEN the PNG keeps the alpha and shows the grey as sRGB 188
    out = decode(only(process(data), PNG))
    assert at(out, 0.2, 0.5)[3] == 0
    assert at(out, 0.8, 0.5) == (188, 188, 188, 255)


@pytest.mark.parametrize("fmt", ["GIF", "WEBP", "PNG"])
def test_animated_image_renders_its_first_frame(fmt: str) -> None:
    # GIVEN an animated GIF, WebP or PNG (APNG) whose frames are red, green, blue
    data = f.animated(fmt, [f.RED, f.GREEN, f.BLUE])
    # WHEN processed THEN the rendition is the first frame: red
    image = decode(only(process(data), JPEG))
    assert near(at(image, 0.5, 0.5), f.RED)


@pytest.mark.parametrize(
    ("mode", "value", "expected"),
    [("L", 90, (90, 90, 90)), ("1", 1, (255, 255, 255)), ("P", 0, (255, 0, 255))],
)
def test_greyscale_bilevel_and_palette_sources_become_rgb(mode: str, value: int, expected: f.RGB) -> None:
    # GIVEN a PNG in mode L, 1 or P (palette entry 0 magenta)
    image = Image.new(mode, (40, 20), value)
    if mode == "P":
        image.putpalette([*f.MAGENTA])
    # WHEN processed THEN the lossless rendition has exactly that colour, in RGB
    out = decode(only(process(f.png(image), RenditionSpec("r", 100, 100, formats=(PNG,))), PNG))
    assert out.mode == "RGB"
    assert out.getpixel((10, 10)) == expected


def test_multi_picture_jpeg_is_a_jpeg_showing_its_first_picture() -> None:
    # GIVEN an MPO (a camera's JPEG with a second, green picture appended) whose first picture is red
    data = f.save(f.solid((40, 20), f.RED), "MPO", save_all=True, append_images=[f.solid((40, 20), f.GREEN)])
    # WHEN processed THEN it is reported as JPEG and rendered from the red picture
    result = process(data)
    assert result.source.format == "JPEG"
    assert near(at(decode(only(result, JPEG)), 0.5, 0.5), f.RED)
