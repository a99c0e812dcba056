"""Bad uploads are rejected with the reason a caller can act on, before costly work."""

import pytest
from PIL import Image

from handlers.imaging import Limits, Rejected, RejectReason
from tests import imagefactories as f
from tests.imaging.outputs import LIMITS, OBJECT_ADDRESS, process

PILLOW_WARNS_ABOVE = 89_478_485  # Image.MAX_IMAGE_PIXELS, Pillow's default


def reason_for(data: bytes, limits: Limits = LIMITS) -> RejectReason:
    with pytest.raises(Rejected) as caught:
        process(data, limits=limits)
    return caught.value.reason


def test_empty_object_is_rejected_as_empty() -> None:
    # GIVEN an object with no bytes WHEN processed THEN the reason says so
    assert reason_for(b"") is RejectReason.EMPTY


def test_object_over_the_byte_cap_is_rejected_before_parsing(pixel_loads: list[tuple[int, int]]) -> None:
    # GIVEN a valid JPEG one byte over the cap
    data = f.jpeg()
    # WHEN processed THEN it is too large and nothing was decoded
    assert reason_for(data, Limits(max_bytes=len(data) - 1, max_pixels=10**6)) is RejectReason.TOO_LARGE
    assert pixel_loads == []


def test_jpeg_header_claiming_144_megapixels_is_rejected_without_decoding(
    pixel_loads: list[tuple[int, int]],
) -> None:
    # GIVEN a 700-byte JPEG whose header claims 12000x12000 (Pillow alone would allocate >500 MiB)
    bomb = f.with_header_size(f.jpeg((16, 16)), 12000, 12000)
    assert len(bomb) < 1000
    # WHEN processed THEN it has too many pixels, and no pixel buffer was ever filled
    assert reason_for(bomb) is RejectReason.TOO_MANY_PIXELS
    assert pixel_loads == []


def test_png_header_claiming_more_than_the_pixel_cap_is_rejected_without_decoding(
    pixel_loads: list[tuple[int, int]],
) -> None:
    # GIVEN a PNG claiming 3000x3000 against a 4-megapixel cap
    bomb = f.with_header_size(f.png(f.solid((8, 8))), 3000, 3000)
    # WHEN processed THEN too many pixels, nothing decoded
    assert reason_for(bomb, Limits(max_bytes=10**6, max_pixels=4_000_000)) is RejectReason.TOO_MANY_PIXELS
    assert pixel_loads == []


def test_header_far_beyond_pillows_own_limit_gets_the_same_reason_as_just_over_the_cap() -> None:
    # GIVEN a JPEG claiming 60000x60000: Pillow raises its own bomb error before the header is ours
    bomb = f.with_header_size(f.jpeg((16, 16)), 60000, 60000)
    # WHEN processed under the default cap THEN the reason is still too_many_pixels
    assert reason_for(bomb) is RejectReason.TOO_MANY_PIXELS


def test_pillow_bomb_warning_is_a_rejection_when_the_cap_is_set_above_pillows_limit() -> None:
    # GIVEN a cap above Pillow's warning threshold and a header between the two
    limits = Limits(max_bytes=10**6, max_pixels=4 * PILLOW_WARNS_ABOVE)
    bomb = f.with_header_size(f.jpeg((16, 16)), 10000, 10000)  # 100 MP: Pillow warns
    # WHEN processed THEN Pillow's warning is not ignored: it is a decompression bomb
    assert Image.MAX_IMAGE_PIXELS == PILLOW_WARNS_ABOVE
    assert reason_for(bomb, limits) is RejectReason.DECOMPRESSION_BOMB


def test_png_text_chunk_inflating_to_32_mib_is_a_decompression_bomb() -> None:
    # GIVEN a small PNG with a zTXt chunk that inflates to 32 MiB
    bomb = f.png_with_text_bomb(32)
    assert len(bomb) < 64 * 1024
    # WHEN processed THEN it is a decompression bomb
    assert reason_for(bomb) is RejectReason.DECOMPRESSION_BOMB


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(f.SVG, id="svg"),
        pytest.param(f.EPS, id="eps"),
        pytest.param(f.tiff(), id="tiff"),
        pytest.param(f.bmp(), id="bmp"),
        pytest.param(f.save(f.solid((8, 8)), "AVIF"), id="avif"),
        pytest.param(f.TEXT, id="text"),
    ],
)
def test_other_formats_are_unsupported_even_when_pillow_could_open_them(data: bytes) -> None:
    # GIVEN a file Pillow has a decoder for (EPS would even run Ghostscript) or plain text
    # WHEN processed THEN it is refused as an unsupported format
    assert reason_for(data) is RejectReason.UNSUPPORTED_FORMAT


def test_format_comes_from_the_content_not_a_plausible_prefix() -> None:
    # GIVEN a RIFF container that is not WebP (an AVI header)
    # WHEN processed THEN unsupported
    assert reason_for(b"RIFF\x00\x00\x00\x00AVI LIST") is RejectReason.UNSUPPORTED_FORMAT


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(f.jpeg((64, 64))[:300], id="jpeg-truncated"),
        pytest.param(f.png(f.quadrants((64, 64)))[:-40], id="png-truncated"),
        pytest.param(f.save(f.quadrants((64, 64)), "WEBP")[:60], id="webp-truncated"),
        pytest.param(f.animated("GIF", [f.RED, f.GREEN])[:40], id="gif-truncated"),
        pytest.param(b"\xff\xd8\xff" + b"\x00" * 64, id="jpeg-magic-then-zeros"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"garbage", id="png-magic-then-garbage"),
        # Found by fuzzing: each raised something other than OSError from inside Pillow.
        pytest.param(f.png_with_broken_chunk_inside_the_image_data(), id="png-broken-chunk-in-image-data"),
        pytest.param(f.png_with_short_header(), id="png-short-ihdr"),
        pytest.param(f.gif_with_zero_height_frame(), id="gif-zero-height-frame"),
    ],
)
def test_damaged_files_of_supported_formats_are_corrupt(data: bytes) -> None:
    # GIVEN a JPEG/PNG/WebP/GIF cut short or with a broken body
    # WHEN processed THEN corrupt (not unsupported: the caller may tell the user to upload again)
    assert reason_for(data) is RejectReason.CORRUPT


def test_rejection_carries_a_detail_for_the_log() -> None:
    # GIVEN an object over the byte cap WHEN processed THEN the detail names the sizes
    with pytest.raises(Rejected) as caught:
        process(b"x" * 11, limits=Limits(max_bytes=10, max_pixels=1))
    assert caught.value.detail == "11 bytes exceeds the limit of 10"
    assert str(caught.value) == "too_large: 11 bytes exceeds the limit of 10"


# Bad uploads of every kind the core tells apart: no bytes, not an image, and each supported
# format damaged in its header or in its pixel data.
BAD_UPLOADS = {
    "empty": b"",
    "garbage": b"\x00\x01 not an image at all \xfe\xff" * 4,
    "jpeg-cut-in-header": f.jpeg((64, 64))[:20],
    "jpeg-cut-in-data": f.jpeg((64, 64))[:-200],
    "jpeg-magic-then-zeros": b"\xff\xd8\xff" + b"\x00" * 64,
    "png-cut-in-header": f.png(f.quadrants((64, 64)))[:20],
    "png-cut-in-data": f.png(f.quadrants((64, 64)))[:-40],
    "png-magic-then-garbage": b"\x89PNG\r\n\x1a\n" + b"garbage",
    "png-bad-header-crc": f.png_with_bad_crc(b"IHDR"),
    "png-broken-chunk-in-image-data": f.png_with_broken_chunk_inside_the_image_data(),
    "webp-truncated": f.save(f.quadrants((64, 64)), "WEBP")[:60],
    "gif-cut-in-header": f.animated("GIF", [f.RED, f.GREEN])[:40],
    "gif-zero-height-frame": f.gif_with_zero_height_frame(),
}


def rejection(data: bytes) -> Rejected:
    with pytest.raises(Rejected) as caught:
        process(data)
    return caught.value


@pytest.mark.parametrize("kind", sorted(BAD_UPLOADS))
def test_the_same_bad_bytes_give_the_same_reason_and_detail_every_time(kind: str) -> None:
    # GIVEN a bad upload WHEN it is processed twice
    first, second = rejection(BAD_UPLOADS[kind]), rejection(BAD_UPLOADS[kind])
    # THEN both rejections say exactly the same thing
    assert (first.reason, first.detail) == (second.reason, second.detail)


@pytest.mark.parametrize("kind", sorted(BAD_UPLOADS))
def test_rejection_detail_names_no_python_object_or_memory_address(kind: str) -> None:
    # GIVEN a bad upload WHEN processed THEN the detail is about the file, not the process reading it
    detail = rejection(BAD_UPLOADS[kind]).detail
    assert detail
    assert not OBJECT_ADDRESS.search(detail), detail


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        pytest.param(
            f.png_with_bad_crc(b"IHDR"),
            "PNG header unreadable: broken PNG file (bad header checksum in b'IHDR')",
            id="png-bad-header-crc",
        ),
        pytest.param(
            b"\x89PNG\r\n\x1a\n" + b"garbage", "PNG header unreadable: broken PNG file (chunk b'age')", id="png-garbage"
        ),
        pytest.param(f.jpeg((64, 64))[:20], "JPEG header unreadable: no image size in the header", id="jpeg-cut"),
        pytest.param(
            f.animated("GIF", [f.RED, f.GREEN])[:40],
            "GIF header unreadable: image not found in GIF frame",
            id="gif-cut",
        ),
    ],
)
def test_header_the_format_parser_refuses_is_rejected_with_the_parsers_reason(data: bytes, detail: str) -> None:
    # GIVEN a file with a supported signature whose header Pillow's parser for that format refuses
    # WHEN processed THEN corrupt, with what the parser found wrong
    rejected = rejection(data)
    assert (rejected.reason, rejected.detail) == (RejectReason.CORRUPT, detail)
