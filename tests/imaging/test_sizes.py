"""Rendition sizes: fit inside the box, keep the aspect ratio, never upscale, never 0 pixels."""

import pytest

from handlers.imaging import DEFAULT_RENDITIONS, OutputFormat, RenditionSpec, process_image
from handlers.imaging.resize import fit_within
from tests import imagefactories as f
from tests.imaging.outputs import LIMITS, at, decode, near, only, process

JPEG, WEBP, PNG = OutputFormat.JPEG, OutputFormat.WEBP, OutputFormat.PNG


@pytest.mark.parametrize(
    ("size", "box", "expected"),
    [
        ((4000, 3000), (800, 600), (800, 600)),
        ((3000, 4000), (800, 600), (450, 600)),
        ((4000, 3000), (150, 150), (150, 113)),
        ((1, 20000), (300, 300), (1, 300)),
        ((20000, 1), (300, 300), (300, 1)),
        ((50, 40), (800, 600), (50, 40)),
        ((801, 2), (800, 600), (800, 2)),
        ((1000, 999), (10, 10), (10, 10)),
    ],
)
def test_fit_within_keeps_aspect_ratio_inside_the_box_without_upscaling(
    size: tuple[int, int], box: tuple[int, int], expected: tuple[int, int]
) -> None:
    # GIVEN a source size and a box WHEN fitted THEN the largest same-shape size inside, at most the source
    assert fit_within(size, box) == expected


def test_default_renditions_of_a_landscape_photo_have_the_fitted_sizes() -> None:
    # GIVEN a 1200x900 JPEG
    data = f.save(f.quadrants((1200, 900)), "JPEG", quality=90)
    # WHEN processed with the default renditions
    result = process(data, *DEFAULT_RENDITIONS)
    # THEN each rendition, in spec then format order, is fitted to its box and decodes at that size
    assert [(r.name, r.format, r.width, r.height) for r in result.renditions] == [
        ("thumbnail", JPEG, 150, 113),
        ("thumbnail", WEBP, 150, 113),
        ("small", JPEG, 300, 225),
        ("small", WEBP, 300, 225),
        ("preview", JPEG, 800, 600),
        ("preview", WEBP, 800, 600),
    ]
    for rendition in result.renditions:
        image = decode(rendition)
        assert image.size == (rendition.width, rendition.height)
        assert image.format == rendition.format.name
        assert near(at(image, 0.2, 0.2), f.RED)  # cascaded from larger renditions, still the picture
        assert near(at(image, 0.8, 0.8), f.YELLOW)


def test_one_pixel_wide_strip_gives_one_pixel_wide_renditions() -> None:
    # GIVEN a 1x20000 PNG
    data = f.png(f.solid((1, 20000), f.GREEN))
    # WHEN processed with the default renditions
    result = process(data, *DEFAULT_RENDITIONS)
    # THEN every rendition is 1 pixel wide and as tall as its box allows
    sizes = {(r.name, decode(r).size) for r in result.renditions}
    assert sizes == {("thumbnail", (1, 150)), ("small", (1, 300)), ("preview", (1, 600))}


def test_one_pixel_high_strip_gives_one_pixel_high_renditions() -> None:
    # GIVEN a 20000x1 PNG WHEN fitted into 300x300 THEN 300x1
    result = process(f.png(f.solid((20000, 1), f.GREEN)), RenditionSpec("r", 300, 300))
    assert decode(only(result, JPEG)).size == (300, 1)


def test_small_source_is_never_upscaled() -> None:
    # GIVEN a 50x40 JPEG WHEN rendered into 800x600 and 150x150 boxes THEN both stay 50x40
    result = process(f.jpeg((50, 40)), RenditionSpec("big", 800, 600), RenditionSpec("thumb", 150, 150))
    assert {(r.width, r.height) for r in result.renditions} == {(50, 40)}
    assert all(decode(r).size == (50, 40) for r in result.renditions)


def test_renditions_use_the_formats_their_spec_asks_for() -> None:
    # GIVEN an opaque and a transparent source, and a spec asking for WebP only (PNG if alpha)
    spec = RenditionSpec("r", 100, 100, formats=(WEBP,), alpha_formats=(PNG,))
    opaque = process(f.jpeg(), spec)
    transparent = process(f.png(f.half_transparent_rgba()), spec)
    # THEN the opaque source gets WebP, the transparent one WebP and PNG
    assert [r.format for r in opaque.renditions] == [WEBP]
    assert [r.format for r in transparent.renditions] == [WEBP, PNG]
    assert [r.content_type for r in transparent.renditions] == ["image/webp", "image/png"]


def test_two_specs_with_the_same_size_each_get_their_renditions() -> None:
    # GIVEN a 64x48 JPEG and two specs whose boxes both fit it to 32x24
    # WHEN processed THEN each spec has its own JPEG and WebP at 32x24
    result = process(f.jpeg((64, 48)), RenditionSpec("a", 32, 32), RenditionSpec("b", 32, 100))
    assert [(r.name, r.width, r.height) for r in result.renditions] == [
        ("a", 32, 24),
        ("a", 32, 24),
        ("b", 32, 24),
        ("b", 32, 24),
    ]


def test_source_info_describes_the_upload() -> None:
    # GIVEN a 400x200 JPEG shown rotated (orientation 6) WHEN processed
    # THEN the source is described as the uploader sees it: a 200x400 opaque JPEG
    data = f.oriented_jpeg(f.quadrants((400, 200)), 6)
    source = process(data).source
    assert (source.format, source.width, source.height, source.has_alpha) == ("JPEG", 200, 400, False)
    assert source.size_bytes == len(data)


def test_no_specs_still_validates_and_describes_the_upload() -> None:
    # GIVEN no rendition specs WHEN a PNG is processed THEN no renditions, but the source is described
    result = process_image(f.png(f.solid((30, 20))), (), LIMITS)
    assert result.renditions == ()
    assert (result.source.format, result.source.width, result.source.height) == ("PNG", 30, 20)


def test_jpeg_is_decoded_once_at_the_reduced_scale_the_largest_rendition_needs(
    pixel_loads: list[tuple[int, int]],
) -> None:
    # GIVEN a 1600x1200 JPEG and renditions of at most 200x150
    data = f.jpeg((1600, 1200))
    # WHEN processed
    process(data, RenditionSpec("a", 200, 150), RenditionSpec("b", 100, 100))
    # THEN its pixels were decoded once, at 1/8 scale
    assert pixel_loads == [(200, 150)]


def test_rotated_jpeg_is_decoded_at_reduced_scale_against_the_rotated_box(
    pixel_loads: list[tuple[int, int]],
) -> None:
    # GIVEN a JPEG stored 2400x600 with orientation 6: shown as a 600x2400 portrait
    data = f.oriented_jpeg(f.quadrants((2400, 600)), 6)
    # WHEN rendered into 300x300 (75x300 upright, 300x75 as stored)
    result = process(data, RenditionSpec("r", 300, 300))
    # THEN the decode ran at 1/8 scale (300x75), not at 1/2 as drafting against the upright box gives
    assert pixel_loads == [(300, 75)]
    assert decode(only(result, JPEG)).size == (75, 300)
