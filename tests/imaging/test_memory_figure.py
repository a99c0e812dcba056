"""The memory one upload may take, as one figure: what a pixel cap needs, what a memory size allows,
and that the worst decoding paths measured again stay within it."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import decode_memory
from handlers.contract import DEFAULT_MAX_OBJECT_BYTES, DEFAULT_MAX_PIXELS
from handlers.imaging.memory import MIB, PEAK_BYTES_PER_PIXEL, decode_memory_mib, max_pixels_for_memory

LAMBDA_MEMORY_MB = st.integers(min_value=128, max_value=10240)
OBJECT_BYTES = st.integers(min_value=1, max_value=200 * MIB)
PIXELS = st.integers(min_value=1, max_value=500_000_000)


def test_default_caps_need_1109_mb_of_function_memory() -> None:
    # GIVEN the default caps (50 megapixels, 50 MiB uploads) WHEN the memory they need is asked
    # THEN it is the figure the README gives: above the default 1024 MB, because of WebP
    assert decode_memory_mib(DEFAULT_MAX_PIXELS, DEFAULT_MAX_OBJECT_BYTES) == 1109


@pytest.mark.parametrize(
    ("memory_mb", "max_pixels"),
    [(256, 0), (512, 14_916_611), (1024, 45_044_047), (1280, 60_107_765), (2048, 105_298_919)],
)
def test_largest_pixel_cap_per_memory_size_with_50_mib_uploads(memory_mb: int, max_pixels: int) -> None:
    # The README's table: at 256 MB a 50 MiB upload's copies leave nothing for pixels.
    assert max_pixels_for_memory(memory_mb, DEFAULT_MAX_OBJECT_BYTES) == max_pixels


def test_256_mb_cannot_decode_50_megapixels() -> None:
    # The example: a function of 256 MB with the 50 MP cap
    assert decode_memory_mib(DEFAULT_MAX_PIXELS, 10 * MIB) > 256
    assert max_pixels_for_memory(256, 10 * MIB) < DEFAULT_MAX_PIXELS


def test_a_function_too_small_for_its_uploads_allows_no_pixels_at_all() -> None:
    assert max_pixels_for_memory(128, DEFAULT_MAX_OBJECT_BYTES) == 0


@settings(max_examples=200)
@given(memory_mb=LAMBDA_MEMORY_MB, object_bytes=OBJECT_BYTES)
def test_the_pixel_cap_a_memory_size_allows_needs_no_more_than_that_memory(memory_mb: int, object_bytes: int) -> None:
    allowed = max_pixels_for_memory(memory_mb, object_bytes)
    if allowed:
        assert decode_memory_mib(allowed, object_bytes) <= memory_mb


def test_the_pixel_cap_a_memory_size_allows_is_the_largest_it_allows() -> None:
    allowed = max_pixels_for_memory(1024, DEFAULT_MAX_OBJECT_BYTES)
    assert decode_memory_mib(allowed, DEFAULT_MAX_OBJECT_BYTES) <= 1024
    assert decode_memory_mib(allowed + 100_000, DEFAULT_MAX_OBJECT_BYTES) > 1024


@settings(max_examples=200)
@given(max_pixels=PIXELS, object_bytes=OBJECT_BYTES)
def test_the_memory_a_pixel_cap_needs_allows_that_cap(max_pixels: int, object_bytes: int) -> None:
    assert max_pixels_for_memory(decode_memory_mib(max_pixels, object_bytes), object_bytes) >= max_pixels


def test_memory_grows_with_pixels_and_with_upload_bytes() -> None:
    base = decode_memory_mib(10_000_000, MIB)
    assert decode_memory_mib(20_000_000, MIB) > base
    assert decode_memory_mib(10_000_000, 40 * MIB) > base


# --- measured again: a fresh process per run, peak resident memory (VmHWM) ---

# The growth between 1000x1000 and 2000x2000 is free of the process's fixed costs.
SIDES = (1000, 2000)
BOX = 800  # one rendition smaller than both sizes, so both are resized (the whole image converted)


def _measured(name: str, tmp_path: Path) -> float:
    [path] = [p for p in decode_memory.PATHS if p.name == name]
    files = [(side * side, path.make(side)) for side in SIDES]
    return decode_memory.slope(name, files, tmp_path, BOX).per_unit


def test_webp_the_worst_path_stays_within_the_figure(tmp_path: Path) -> None:
    # GIVEN lossless WebP, whose decoder holds 16 bytes a pixel at its peak (20 while libwebp's
    # canvases stayed alive during the resize) WHEN measured THEN within the figure
    measured = _measured("WebP lossless RGBA", tmp_path)
    assert 15.0 < measured <= PEAK_BYTES_PER_PIXEL


def test_16_bit_grey_png_with_a_transparency_key_takes_under_half_of_what_it_took(tmp_path: Path) -> None:
    # GIVEN the 16-bit grey PNG with tRNS (12 bytes a pixel when converted at full size)
    # WHEN measured THEN the strip-by-strip conversion keeps it under 8 (2.8 at 49 megapixels)
    assert _measured("PNG 16-bit grey with tRNS", tmp_path) < 8.0
