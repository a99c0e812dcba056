"""Hostile files built byte by byte: structures that cost a decoder time or memory out of proportion
to their bytes and pixels. Each factory returns the bytes of one file; nothing is read from disk.

The framing is found here independently of ``handlers.imaging.structure`` (Pillow's own output
is simple enough: no EXIF, entropy-coded data never holds 0xFF followed by a marker code), so a
bug in the code under test cannot also shape its inputs.
"""

import struct
import zlib
from functools import cache
from typing import Final

from PIL import Image, PngImagePlugin

from tests import imagefactories as f

_SOS: Final = b"\xff\xda"
_DHT: Final = b"\xff\xc4"
_EOI: Final = b"\xff\xd9"
# In a JPEG Pillow writes, these are the only markers that can end a scan's entropy-coded data.
_AFTER_A_SCAN: Final = (_SOS, _DHT, _EOI)
# 1 MiB of zeros deflates to about 1 KB: what Pillow inflates in full for each compressed PNG chunk.
_INFLATES_TO_A_MEBIBYTE: Final = zlib.compress(b"\x00" * PngImagePlugin.MAX_TEXT_CHUNK, 9)


# --- JPEG ---


@cache
def progressive_jpeg(size: tuple[int, int] = (64, 64), mode: str = "L") -> bytes:
    """A progressive JPEG as libjpeg writes it (jpeg_simple_progression): 6 scans for L, 10 for
    RGB, 18 for CMYK."""
    colours: dict[str, int | tuple[int, ...]] = {"L": 128, "RGB": (128, 100, 50), "CMYK": (10, 20, 30, 40)}
    colour = colours[mode]
    return f.save(Image.new(mode, size, colour), "JPEG", progressive=True, quality=90)


def scan_spans(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each scan of a JPEG Pillow wrote: its SOS segment and entropy-coded data."""
    spans, at = [], data.find(_SOS)
    while at != -1:
        end = min(i for i in (data.find(marker, at + 2) for marker in _AFTER_A_SCAN) if i != -1)
        spans.append((at, end))
        at = data.find(_SOS, end)
    return spans


def jpeg_repeating_its_last_scan(copies: int, size: tuple[int, int] = (64, 64)) -> bytes:
    """A grey progressive JPEG whose last scan (an AC refinement, all end-of-band runs for a flat
    image: a few dozen bytes) comes ``copies`` more times, each with its Huffman table, before EOI.

    libjpeg decodes every copy again: 4000x4000 and 3,000 copies is 156 KB and 31 s of CPU.
    """
    data = progressive_jpeg(size, "L")
    start, end = scan_spans(data)[-1]
    table = data.rfind(_DHT, 0, start)  # the scan's own Huffman table, written just before it
    repeated = data[table:end] * copies
    return data[:end] + repeated + data[end:]


def jpeg_with_segments_before_the_frame(count: int, segment: bytes = b"\xff\xfe\x00\x02") -> bytes:
    """A small JPEG with ``count`` copies of ``segment`` (by default an empty comment: 4 bytes)
    right after SOI, where Pillow parses each one in Python."""
    data = f.jpeg((16, 16))
    return data[:2] + segment * count + data[2:]


def jpeg_with_restart_markers(size: tuple[int, int] = (256, 256)) -> bytes:
    """A noisy baseline JPEG with a restart marker after every 8x8 block: RST0-7 and 0xFF00
    stuffing throughout its one scan."""
    noise = Image.effect_noise(size, 120).convert("RGB")
    return f.save(noise, "JPEG", quality=100, restart_marker_blocks=1)


# --- PNG ---


def chunk(kind: bytes, body: bytes = b"") -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _small_png() -> tuple[bytes, bytes, bytes]:
    """A 16x16 PNG as (signature and IHDR, IDAT chunks, IEND)."""
    data = f.png(f.quadrants((16, 16)))
    idat = data.index(b"IDAT") - 4
    iend = data.index(b"IEND") - 4
    return data[:idat], data[idat:iend], data[iend:]


def png_with_chunks_before_the_image_data(count: int, kind: bytes = b"abCd", body: bytes = b"") -> bytes:
    """A small PNG with ``count`` copies of one chunk between IHDR and IDAT (by default an empty
    ancillary, private chunk: 12 bytes that Pillow reads, checks and skips one by one)."""
    head, image_data, end = _small_png()
    return head + chunk(kind, body) * count + image_data + end


def png_with_chunks_after_the_image_data(count: int, kind: bytes = b"abCd") -> bytes:
    head, image_data, end = _small_png()
    return head + image_data + chunk(kind) * count + end


def png_with_image_data_split_into(count: int) -> bytes:
    """A small PNG whose zlib stream is spread over ``count`` IDAT chunks of a byte or none."""
    head, image_data, end = _small_png()
    (length,) = struct.unpack(">I", image_data[:4])
    stream = image_data[8 : 8 + length]
    one_byte_chunks = b"".join(chunk(b"IDAT", stream[i : i + 1]) for i in range(len(stream)))
    return head + one_byte_chunks + chunk(b"IDAT") * max(0, count - len(stream)) + end


def png_with_compressed_chunks(count: int, kind: bytes = b"iCCP") -> bytes:
    """A small PNG with ``count`` chunks that Pillow inflates to 1 MiB each and never counts as text:
    iCCP, zTXt with an empty keyword or iTXt that is not UTF-8 (~1 KB each on disk)."""
    body = {
        b"iCCP": b"profile\x00\x00" + _INFLATES_TO_A_MEBIBYTE,
        b"zTXt": b"\x00\x00" + _INFLATES_TO_A_MEBIBYTE,
        b"iTXt": b"key\x00\x01\x00\x00\x00" + zlib.compress(b"\xff" * PngImagePlugin.MAX_TEXT_CHUNK, 9),
    }[kind]
    return png_with_chunks_before_the_image_data(count, kind, body)


def png_with_icc_chunk(profile: bytes, size: tuple[int, int] = (16, 16), grey: int = 128) -> bytes:
    return f.png(Image.new("RGB", size, (grey, grey, grey)), icc_profile=profile)


# Adam7: each pass's first column and row, and its column and row step.
_ADAM7: Final = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def _adam7_passes(width: int, height: int) -> list[tuple[int, int]]:
    """(width, height) of each non-empty pass."""
    passes = [(-(-(width - x0) // dx), -(-(height - y0) // dy)) for x0, y0, dx, dy in _ADAM7]
    return [(w, h) for w, h in passes if w > 0 and h > 0]


def interlaced_png(size: tuple[int, int], colour: f.RGB = (0, 0, 0)) -> bytes:
    """An Adam7-interlaced 8-bit RGB PNG of one colour (Pillow cannot write interlaced PNGs)."""
    width, height = size
    pixel = bytes(colour)
    compressor = zlib.compressobj(9)
    stream = b""
    for pass_width, pass_height in _adam7_passes(width, height):
        row = b"\x00" + pixel * pass_width
        stream += b"".join(compressor.compress(row) for _ in range(pass_height))
    stream += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 1)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", stream) + chunk(b"IEND")


# --- GIF ---


def _small_gif() -> tuple[bytes, bytes]:
    """A 16x16 GIF as (header up to its first image, the rest)."""
    data = f.save(f.solid((16, 16)), "GIF")
    first_image = data.index(b"\x2c\x00\x00\x00\x00")
    return data[:first_image], data[first_image:]


def gif_with_a_comment_of_one_byte_blocks(count: int) -> bytes:
    """A comment extension of ``count`` one-byte sub-blocks before the first image (2 bytes each)."""
    head, rest = _small_gif()
    return head + b"\x21\xfe" + b"\x01a" * count + b"\x00" + rest


def gif_with_stray_bytes(count: int) -> bytes:
    """``count`` bytes that are no block at all before the first image (Pillow skips them one by one)."""
    head, rest = _small_gif()
    return head + b"\x00" * count + rest


def gif_with_frames(count: int) -> bytes:
    """A 16x16 GIF followed by ``count`` more 1x1 frames of 15 bytes each."""
    data = f.save(f.solid((16, 16)), "GIF")
    frame = b"\x2c" + struct.pack("<HHHH", 0, 0, 1, 1) + b"\x00" + b"\x02\x02\x44\x01\x00"
    return data[:-1] + frame * count + data[-1:]


def gif_with_screen(size: tuple[int, int]) -> bytes:
    """A GIF of one 1x1 frame on a logical screen of ``size``: a few dozen bytes, ``size`` pixels."""
    data = f.save(Image.new("P", (1, 1), 1), "GIF")
    return data[:6] + struct.pack("<HH", *size) + data[10:]


# --- WebP ---


def webp_with_frames(count: int) -> bytes:
    """An animated WebP whose first 16x16 frame (lossless, ~40 bytes) comes ``count`` more times."""
    data = f.animated("WEBP", [f.RED, f.GREEN], (16, 16))
    first_frame = data.index(b"ANMF")
    (length,) = struct.unpack("<I", data[first_frame + 4 : first_frame + 8])
    frame = data[first_frame : first_frame + 8 + length + (length & 1)]
    body = data[8:first_frame] + frame * count + data[first_frame:]
    return b"RIFF" + struct.pack("<I", len(body)) + body


# --- ICC ---


def _matrix_element() -> bytes:
    identity = struct.pack(">9f", 1, 0, 0, 0, 1, 0, 0, 0, 1) + struct.pack(">3f", 0, 0, 0)
    return b"matf" + b"\x00" * 4 + struct.pack(">HH", 3, 3) + identity


def _clut_element() -> bytes:
    """A 2x2x2 identity grid: it keeps LittleCMS from joining the matrices around it into one."""
    grid = bytes([2, 2, 2] + [0] * 13)
    corners = b"".join(struct.pack(">3f", (i >> 2) & 1, (i >> 1) & 1, i & 1) for i in range(8))
    return b"clut" + b"\x00" * 4 + struct.pack(">HH", 3, 3) + grid + corners


def float_lut_chain(elements: int) -> bytes:
    """An ICC multiProcessElements tag (type mpet) chaining ``elements`` identity steps, ~100 bytes each."""
    steps = [_matrix_element() if i % 2 == 0 else _clut_element() for i in range(elements)]
    table, body, offset = b"", b"", 16 + 8 * elements
    for step in steps:
        table += struct.pack(">II", offset + len(body), len(step))
        body += step
    return b"mpet" + b"\x00" * 4 + struct.pack(">HHI", 3, 3, elements) + table + body


def with_tag(profile: bytes, signature: bytes, body: bytes) -> bytes:
    """``profile`` with one more tag, appended; every other tag keeps its data (offsets move by one entry)."""
    (count,) = struct.unpack(">I", profile[128:132])
    entries = [struct.unpack(">4sII", profile[132 + 12 * i : 144 + 12 * i]) for i in range(count)]
    data_start = 132 + 12 * count
    shifted = [(sig, offset + 12, size) for sig, offset, size in entries]
    new_offset = len(profile) + 12 + (-len(profile) % 4)
    table = struct.pack(">I", count + 1) + b"".join(struct.pack(">4sII", *entry) for entry in shifted)
    table += struct.pack(">4sII", signature, new_offset, len(body))
    out = profile[:128] + table + profile[data_start:] + b"\x00" * (-len(profile) % 4) + body
    return struct.pack(">I", len(out)) + out[4:]


def linear_rgb_profile_with_float_lut(elements: int) -> bytes:
    """A linear-light RGB profile (matrix and gamma 1.0 curves, as ``imagefactories.icc_profile``)
    that also carries a D2B0 float LUT of ``elements`` steps, which LittleCMS would prefer."""
    profile = f.icc_profile("RGB ", 1.0, "linear with a float LUT")
    profile = bytes([*profile[:8], 4, 0x30, 0, 0, *profile[12:]])  # version 4.3: float LUTs are v4
    return with_tag(profile, b"D2B0", float_lut_chain(elements))
