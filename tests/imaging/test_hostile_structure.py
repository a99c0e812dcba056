"""Files whose structure, not their bytes or pixels, is the attack: each is rejected before the costly
work starts, or finishes within a CPU-time bound.

Every crafted file here would cost more than the bound without its defence (the figure beside
it, measured on a 2-core machine with Pillow 13; ``python3 tasks.py bench-hostile`` prints them
again). CPU time of this process is measured, not wall time, so a busy machine does not fail a
test; the bound is generous because the point is seconds against minutes.
"""

import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from PIL import Image

from handlers.contract import DEFAULT_MAX_OBJECT_BYTES
from handlers.imaging import Limits, ProcessedImage, Rejected, RejectReason, RenditionSpec
from handlers.imaging.structure import jpeg
from handlers.imaging.structure.limits import (
    ENCODER_MAX_JPEG_SCANS,
    MAX_JPEG_SCANS,
    MAX_PARTS,
    MAX_PNG_COMPRESSED_CHUNKS,
)
from tests import imagefactories as f
from tests.imaging import crafted
from tests.imaging.outputs import LIMITS, at, decode, near, only, process

CPU_BOUND_SECONDS = 3.0
# The function's own byte cap: the floods below are as large as an upload may be.
FLOOD_LIMITS = Limits(max_bytes=DEFAULT_MAX_OBJECT_BYTES, max_pixels=LIMITS.max_pixels)
BOMB = RejectReason.DECOMPRESSION_BOMB
SPEC = RenditionSpec("r", 100, 100)


@dataclass
class CpuTime:
    seconds: float = 0.0


@contextmanager
def cpu_time() -> Iterator[CpuTime]:
    """The CPU time this process spends inside the block (all threads), robust to other load."""
    spent, start = CpuTime(), time.process_time()
    try:
        yield spent
    finally:
        spent.seconds = time.process_time() - start


def rejected_within_bound(data: bytes, limits: Limits = LIMITS) -> Rejected:
    with cpu_time() as spent, pytest.raises(Rejected) as caught:
        process(data, SPEC, limits=limits)
    assert spent.seconds < CPU_BOUND_SECONDS
    return caught.value


def processed_within_bound(data: bytes, limits: Limits = LIMITS) -> ProcessedImage:
    with cpu_time() as spent:
        result = process(data, SPEC, limits=limits)
    assert spent.seconds < CPU_BOUND_SECONDS
    return result


# --- JPEG scans ---


def test_jpeg_repeating_one_scan_3000_times_is_a_bomb_rejected_before_any_pixel_is_decoded(
    pixel_loads: list[tuple[int, int]],
) -> None:
    # GIVEN the reported attack: 4000x4000 grey, its last AC scan 3,000 more times (31 s of libjpeg)
    bomb = crafted.jpeg_repeating_its_last_scan(3000, (4000, 4000))
    assert len(bomb) < 250_000
    # WHEN processed THEN it is a decompression bomb, said so, at once, and nothing was decoded
    rejected = rejected_within_bound(bomb)
    assert (rejected.reason, rejected.detail) == (
        BOMB,
        f"JPEG has more than {MAX_JPEG_SCANS} scans (encoders write at most {ENCODER_MAX_JPEG_SCANS});"
        " each one is decoded again",
    )
    assert pixel_loads == []


def test_jpeg_with_as_many_scans_as_allowed_is_decoded_within_the_bound() -> None:
    # GIVEN a 2000x2000 grey progressive JPEG (6 scans) whose last scan comes back up to the limit
    data = crafted.jpeg_repeating_its_last_scan(MAX_JPEG_SCANS - 6, (2000, 2000))
    assert jpeg.census(data).scans == MAX_JPEG_SCANS
    # WHEN processed THEN it is decoded, in time, into the rendition the box asks for
    assert only(processed_within_bound(data), SPEC.formats[0]).width == 100


def test_one_scan_more_than_allowed_is_rejected() -> None:
    data = crafted.jpeg_repeating_its_last_scan(MAX_JPEG_SCANS - 5)
    assert rejected_within_bound(data).reason is BOMB


@pytest.mark.parametrize(("mode", "scans"), [("L", 6), ("RGB", 10), ("CMYK", 18)])
def test_progressive_jpegs_as_libjpeg_writes_them_are_accepted(mode: str, scans: int) -> None:
    # GIVEN progressive JPEGs from libjpeg's own scan script (the most scans a real encoder writes)
    data = crafted.progressive_jpeg((64, 48), mode)
    # WHEN counted and processed THEN each scan is counted once, and the image passes
    assert jpeg.census(data).scans == scans <= ENCODER_MAX_JPEG_SCANS
    assert process(data, SPEC).renditions


def test_most_scans_an_encoder_writes_is_libjpegs_script_for_four_components() -> None:
    assert jpeg.census(crafted.progressive_jpeg((16, 16), "CMYK")).scans == ENCODER_MAX_JPEG_SCANS < MAX_JPEG_SCANS


def test_restart_markers_and_stuffed_bytes_inside_a_scan_are_not_markers() -> None:
    # GIVEN a noisy JPEG with a restart marker after every block: RSTn and 0xFF00 all through its scan
    data = crafted.jpeg_with_restart_markers()
    restarts = sum(data.count(bytes([0xFF, 0xD0 + n])) for n in range(8))
    assert restarts > 200 and data.count(b"\xff\x00") > 100
    header_segments = _segments_before_first_scan(data)
    # WHEN counted THEN one scan, and the parts are the header's segments, the scan and EOI
    assert jpeg.census(data) == jpeg.JpegCensus(scans=1, parts=header_segments + 2)


def test_scan_markers_inside_a_comment_are_not_scans() -> None:
    # GIVEN a baseline JPEG whose comment holds the bytes of 100 start-of-scan markers
    fake_scans = b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" * 100
    comment = b"\xff\xfe" + (2 + len(fake_scans)).to_bytes(2, "big") + fake_scans
    data = crafted.jpeg_with_segments_before_the_frame(1, comment)
    assert data.count(b"\xff\xda") == 101
    # WHEN counted and processed THEN it has one scan and is processed
    assert jpeg.census(data).scans == 1
    assert process(data, SPEC).renditions


def _segments_before_first_scan(data: bytes) -> int:
    """Marker segments between SOI and the first SOS, each found from the previous one's length."""
    at, count = 2, 0
    while data[at : at + 2] != b"\xff\xda":
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
        count += 1
    return count


# --- container parts: what Pillow's parsers step through in Python ---

# Each file holds far more parts than the limit; the second figure is what it cost without the limit.
PART_FLOODS: dict[str, tuple[Callable[[], bytes], str]] = {
    # 4 MB of empty comments: ~1.8 us each in Pillow's header parser, 1.8 s
    "jpeg-comment-segments": (
        lambda: crafted.jpeg_with_segments_before_the_frame(2_000_000),
        f"JPEG has more than {MAX_PARTS} marker segments and stray bytes",
    ),
    # 0xFF fill bytes before a marker: ~0.4 us each, 4 s
    "jpeg-fill-bytes": (
        lambda: crafted.jpeg_with_segments_before_the_frame(10_000_000, b"\xff"),
        f"JPEG has more than {MAX_PARTS} marker segments and stray bytes",
    ),
    # ~4 us a chunk, wherever it is: 4 s each
    "png-chunks-before-the-image-data": (
        lambda: crafted.png_with_chunks_before_the_image_data(1_000_000),
        f"PNG has more than {MAX_PARTS} chunks",
    ),
    "png-image-data-in-empty-chunks": (
        lambda: crafted.png_with_image_data_split_into(1_000_000),
        f"PNG has more than {MAX_PARTS} chunks",
    ),
    "png-chunks-after-the-image-data": (
        lambda: crafted.png_with_chunks_after_the_image_data(1_000_000),
        f"PNG has more than {MAX_PARTS} chunks",
    ),
    # ~0.4 us a sub-block or stray byte: 5 s and 6 s
    "gif-one-byte-comment-blocks": (
        lambda: crafted.gif_with_a_comment_of_one_byte_blocks(12_000_000),
        f"GIF has more than {MAX_PARTS} blocks and stray bytes before its first image",
    ),
    "gif-stray-bytes": (
        lambda: crafted.gif_with_stray_bytes(20_000_000),
        f"GIF has more than {MAX_PARTS} blocks and stray bytes before its first image",
    ),
    # libwebp's demuxer indexes every frame: memory, not time
    "webp-frames": (lambda: crafted.webp_with_frames(200_000), f"WebP has more than {MAX_PARTS} chunks"),
}


@pytest.mark.parametrize("kind", sorted(PART_FLOODS))
def test_file_of_more_parts_than_allowed_is_a_bomb_rejected_at_once(
    kind: str, pixel_loads: list[tuple[int, int]]
) -> None:
    # GIVEN a small image drowned in parts a parser steps through one at a time
    make, detail = PART_FLOODS[kind]
    # WHEN processed THEN a decompression bomb naming the limit, in time, with nothing decoded
    rejected = rejected_within_bound(make(), FLOOD_LIMITS)
    assert (rejected.reason, rejected.detail) == (BOMB, detail)
    assert pixel_loads == []


AT_THE_LIMIT: dict[str, Callable[[], bytes]] = {
    "jpeg-comment-segments": lambda: crafted.jpeg_with_segments_before_the_frame(MAX_PARTS - 20),
    "png-chunks-before-the-image-data": lambda: crafted.png_with_chunks_before_the_image_data(MAX_PARTS - 5),
    "gif-one-byte-comment-blocks": lambda: crafted.gif_with_a_comment_of_one_byte_blocks(MAX_PARTS - 10),
    "webp-frames": lambda: crafted.webp_with_frames(MAX_PARTS - 10),
}


@pytest.mark.parametrize("kind", sorted(AT_THE_LIMIT))
def test_file_of_as_many_parts_as_allowed_is_processed_within_the_bound(kind: str) -> None:
    # GIVEN the same kinds of file, a few parts under the limit WHEN processed THEN renditions, in time
    assert processed_within_bound(AT_THE_LIMIT[kind]()).renditions


# --- PNG chunks Pillow inflates ---


@pytest.mark.parametrize("kind", [b"iCCP", b"zTXt", b"iTXt"])
def test_png_with_more_compressed_chunks_than_allowed_is_a_bomb(kind: bytes) -> None:
    # GIVEN 2,000 chunks of ~1 KB that Pillow would each inflate to 1 MiB without counting them (4.6 s)
    bomb = crafted.png_with_compressed_chunks(2000, kind)
    # WHEN processed THEN a decompression bomb, in time
    rejected = rejected_within_bound(bomb)
    assert (rejected.reason, rejected.detail) == (
        BOMB,
        f"PNG has more than {MAX_PNG_COMPRESSED_CHUNKS} compressed chunks (iCCP, zTXt, iTXt),"
        " each inflated by up to 1 MiB",
    )


def test_png_with_as_many_compressed_chunks_as_allowed_is_processed_within_the_bound() -> None:
    assert processed_within_bound(crafted.png_with_compressed_chunks(MAX_PNG_COMPRESSED_CHUNKS)).renditions


def test_png_icc_profile_inflating_past_pillows_limit_is_a_bomb() -> None:
    # GIVEN an iCCP chunk that inflates to 2 MiB (Pillow stops at 1 MiB)
    body = b"profile\x00\x00" + zlib.compress(b"\x00" * (2 << 20), 9)
    bomb = crafted.png_with_chunks_before_the_image_data(1, b"iCCP", body)
    # WHEN processed THEN a decompression bomb with Pillow's reason
    rejected = rejected_within_bound(bomb)
    assert (rejected.reason, rejected.detail) == (
        BOMB,
        "PNG header: Decompressed data too large for PngImagePlugin.MAX_TEXT_CHUNK",
    )


# --- ICC profiles ---


def test_icc_float_lut_chain_is_ignored_and_the_profiles_matrix_applied_within_the_bound() -> None:
    # GIVEN mid-grey tagged with a linear-light profile that also chains 8,000 float LUT steps
    # (LittleCMS prefers those, and took 7 s to build the transform from them)
    profile = crafted.linear_rgb_profile_with_float_lut(8000)
    data = crafted.png_with_icc_chunk(profile)
    # WHEN processed THEN in time, and the profile's matrix and curves give linear 0.5 as sRGB 188
    image = decode(only(processed_within_bound(data), SPEC.formats[0]))
    assert near(at(image, 0.5, 0.5), (188, 188, 188), tolerance=4)


# --- costs that grow with pixels, which the pixel cap bounds ---

FOUR_MEGAPIXELS_UP_TO_50_MB = Limits(max_bytes=DEFAULT_MAX_OBJECT_BYTES, max_pixels=4_000_000)
PIXEL_HEAVY: dict[str, Callable[[], bytes]] = {
    # 37 bytes: one 1x1 frame on a 2000x2000 screen, filled in full
    "gif-screen": lambda: crafted.gif_with_screen((2000, 2000)),
    # a 2000x2000 frame of one colour: LZW at its best ratio, every pixel decoded
    "gif-lzw-full-frame": lambda: f.save(Image.new("P", (2000, 2000), 1), "GIF"),
    # a few hundred bytes of lossless WebP: one colour, every pixel decoded
    "webp-lossless": lambda: f.save(Image.new("RGBA", (2000, 2000), (10, 20, 30, 128)), "WEBP", lossless=True),
    # Adam7: seven passes over the image
    "png-interlaced": lambda: crafted.interlaced_png((2000, 2000)),
    # only the first frame is decoded, however many follow (Pillow walks 2 million GIF frames in seconds)
    "gif-many-frames": lambda: crafted.gif_with_frames(2_000_000),
    "apng-many-frames": lambda: f.animated("PNG", [f.RED, f.GREEN] * 100, (64, 64)),
}


@pytest.mark.parametrize("kind", sorted(PIXEL_HEAVY))
def test_tiny_file_decoding_to_many_pixels_is_processed_within_the_bound(kind: str) -> None:
    # GIVEN a small file that decodes to the most pixels a 4 MP cap allows (or to many frames)
    data = PIXEL_HEAVY[kind]()
    # WHEN processed THEN renditions come out in time (the benchmark shows 50 MP)
    result = processed_within_bound(data, FOUR_MEGAPIXELS_UP_TO_50_MB)
    assert only(result, SPEC.formats[0]).data
