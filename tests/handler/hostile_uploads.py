"""Every kind of hostile upload the image function has met or must meet, with the outcome it must get.

Built on the crafted files of ``tests.imaging.crafted`` and the shared ``tests.imagefactories``;
each entry names the file as an uploader would (a polyglot or a TIFF calls itself .jpg), what
the metadata item must say, and for files that are accepted, bytes that must not survive into
any rendition (the part that makes the file a polyglot).
"""

import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from PIL import PngImagePlugin

from handlers.contract import ImageStatus
from handlers.imaging.errors import RejectReason
from handlers.imaging.structure.limits import MAX_JPEG_SCANS, MAX_PARTS, MAX_PNG_COMPRESSED_CHUNKS
from tests import imagefactories as f
from tests.handler import images
from tests.imaging import crafted

HTML_PAYLOAD = b"<html><body><script>alert(document.domain)</script></body></html>"
JS_PAYLOAD = b"*/=1;alert(document.domain);/*"
ZIP_TEXT = b"a file hidden in the image"
JUST_OVER = MAX_PARTS + 10


@dataclass(frozen=True)
class Hostile:
    make: Callable[[], bytes]
    status: ImageStatus
    reason: RejectReason | None = None
    detail: str | None = None  # the item's exact detail, where it is ours (not Pillow's words)
    hidden: tuple[bytes, ...] = ()  # a payload no rendition may carry


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hidden.txt", ZIP_TEXT)
    return buffer.getvalue()


def jpeg_that_is_also_a_zip() -> bytes:
    """A JPEG with a ZIP archive after its end: image viewers read the front, unzip reads the back."""
    return images.jpeg((400, 200)) + _zip()


def jpeg_that_is_also_html() -> bytes:
    """A JPEG carrying a page in a comment segment and again after its end (a browser sniffing HTML runs it)."""
    comment = b"\xff\xfe" + (2 + len(HTML_PAYLOAD)).to_bytes(2, "big") + HTML_PAYLOAD
    data = images.jpeg((400, 200))
    return data[:2] + comment + data[2:] + HTML_PAYLOAD


def png_that_is_also_html() -> bytes:
    """A PNG carrying a page in a text chunk and again after its end."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", HTML_PAYLOAD.decode("ascii"))
    return f.png(f.quadrants((400, 200)), pnginfo=info) + HTML_PAYLOAD


def gif_that_is_also_javascript() -> bytes:
    """A GIF whose first bytes are a JavaScript program: ``GIF89a`` is a name, the screen width's bytes
    open a comment (so the screen is 10799 pixels wide), a comment extension closes it and holds
    the statement, and a comment after the trailer swallows the rest."""
    data = f.save(f.solid((16, 16)), "GIF")
    first_image = data.index(b"\x2c\x00\x00\x00\x00")
    extension = b"\x21\xfe" + bytes([len(JS_PAYLOAD)]) + JS_PAYLOAD + b"\x00"
    return b"GIF89a/*" + data[8:first_image] + extension + data[first_image:] + b"*/"


def gif_cut_in_its_image_data() -> bytes:
    whole = f.save(f.quadrants((400, 200)).convert("P"), "GIF")
    return whole[: len(whole) * 3 // 4]


def webp_claiming(width: int, height: int) -> bytes:
    """A lossless WebP whose header claims ``width`` x ``height`` over a few dozen bytes of data."""
    data = f.save(f.solid((16, 16)), "WEBP", lossless=True)
    at = data.index(b"VP8L") + 9  # chunk header, then the 0x2F signature byte
    bits = int.from_bytes(data[at : at + 4], "little")
    bits = (bits & ~((1 << 28) - 1)) | (width - 1) | ((height - 1) << 14)
    return data[:at] + bits.to_bytes(4, "little") + data[at + 4 :]


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


@cache
def scan_repeating_jpeg() -> bytes:
    """The reported attack: 4000x4000 grey, its last scan 3,000 more times (156 KB, 31 s of libjpeg)."""
    return crafted.jpeg_repeating_its_last_scan(3000, (4000, 4000))


COMPLETED = ImageStatus.COMPLETED
REJECTED = ImageStatus.REJECTED
BOMB = RejectReason.DECOMPRESSION_BOMB
PIXELS = RejectReason.TOO_MANY_PIXELS
CORRUPT = RejectReason.CORRUPT
UNSUPPORTED = RejectReason.UNSUPPORTED_FORMAT
PARTS_DETAIL = {
    "JPEG": f"JPEG has more than {MAX_PARTS} marker segments and stray bytes",
    "PNG": f"PNG has more than {MAX_PARTS} chunks",
    "GIF": f"GIF has more than {MAX_PARTS} blocks and stray bytes before its first image",
    "WEBP": f"WebP has more than {MAX_PARTS} chunks",
}

HOSTILE: dict[str, Hostile] = {
    # structure bombs: rejected before any decoder runs
    "scan-repeat.jpg": Hostile(
        scan_repeating_jpeg,
        REJECTED,
        BOMB,
        f"JPEG has more than {MAX_JPEG_SCANS} scans (encoders write at most 18); each one is decoded again",
    ),
    "comment-flood.jpg": Hostile(
        lambda: crafted.jpeg_with_segments_before_the_frame(JUST_OVER), REJECTED, BOMB, PARTS_DETAIL["JPEG"]
    ),
    "chunk-flood.png": Hostile(
        lambda: crafted.png_with_chunks_before_the_image_data(JUST_OVER), REJECTED, BOMB, PARTS_DETAIL["PNG"]
    ),
    "image-data-flood.png": Hostile(
        lambda: crafted.png_with_image_data_split_into(JUST_OVER), REJECTED, BOMB, PARTS_DETAIL["PNG"]
    ),
    "inflate-flood.png": Hostile(
        lambda: crafted.png_with_compressed_chunks(MAX_PNG_COMPRESSED_CHUNKS + 1, b"zTXt"),
        REJECTED,
        BOMB,
        f"PNG has more than {MAX_PNG_COMPRESSED_CHUNKS} compressed chunks (iCCP, zTXt, iTXt),"
        " each inflated by up to 1 MiB",
    ),
    "comment-blocks.gif": Hostile(
        lambda: crafted.gif_with_a_comment_of_one_byte_blocks(JUST_OVER), REJECTED, BOMB, PARTS_DETAIL["GIF"]
    ),
    "frame-flood.webp": Hostile(lambda: crafted.webp_with_frames(JUST_OVER), REJECTED, BOMB, PARTS_DETAIL["WEBP"]),
    # zlib bombs in the chunks Pillow inflates
    "ztxt-32mib.png": Hostile(lambda: f.png_with_text_bomb(32), REJECTED, BOMB),
    "iccp-2mib.png": Hostile(
        lambda: crafted.png_with_chunks_before_the_image_data(
            1, b"iCCP", b"profile\x00\x00" + zlib.compress(b"\x00" * (2 << 20), 9)
        ),
        REJECTED,
        BOMB,
    ),
    # pixel bombs: the header claims more than the cap, the data is tiny
    "claims-144mp.jpg": Hostile(
        lambda: f.with_header_size(f.jpeg((16, 16)), 12000, 12000),
        REJECTED,
        PIXELS,
        "12000x12000 is 144000000 pixels, the limit is 50000000",
    ),
    "claims-1600mp.png": Hostile(images.bomb_png, REJECTED, PIXELS),
    "claims-60mp.gif": Hostile(
        lambda: crafted.gif_with_screen((10000, 6000)),
        REJECTED,
        PIXELS,
        "10000x6000 is 60000000 pixels, the limit is 50000000",
    ),
    "claims-60mp.webp": Hostile(
        lambda: webp_claiming(10000, 6000), REJECTED, PIXELS, "10000x6000 is 60000000 pixels, the limit is 50000000"
    ),
    # cut short
    "truncated.jpg": Hostile(lambda: _half(images.jpeg((800, 400))), REJECTED, CORRUPT),
    "truncated.png": Hostile(lambda: _half(f.png(f.quadrants((400, 200)))), REJECTED, CORRUPT),
    "truncated.gif": Hostile(gif_cut_in_its_image_data, REJECTED, CORRUPT),
    "truncated.webp": Hostile(lambda: _half(f.save(f.quadrants((400, 200)), "WEBP")), REJECTED, CORRUPT),
    "empty.jpg": Hostile(lambda: b"", REJECTED, RejectReason.EMPTY, "object has no bytes"),
    # not images at all, or not formats the function decodes, whatever their names say
    "drawing.svg": Hostile(images.svg, REJECTED, UNSUPPORTED, "content is not JPEG, PNG, WebP or GIF"),
    "page.html": Hostile(lambda: HTML_PAYLOAD, REJECTED, UNSUPPORTED, "content is not JPEG, PNG, WebP or GIF"),
    "document.pdf": Hostile(
        lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        REJECTED,
        UNSUPPORTED,
        "content is not JPEG, PNG, WebP or GIF",
    ),
    "figure.eps": Hostile(lambda: f.EPS, REJECTED, UNSUPPORTED, "content is not JPEG, PNG, WebP or GIF"),
    "scan-tiff-renamed.jpg": Hostile(f.tiff, REJECTED, UNSUPPORTED, "content is not JPEG, PNG, WebP or GIF"),
    "bitmap-renamed.jpg": Hostile(f.bmp, REJECTED, UNSUPPORTED, "content is not JPEG, PNG, WebP or GIF"),
    # polyglots: valid images, made into renditions that carry nothing but pixels
    "also-a-zip.jpg": Hostile(jpeg_that_is_also_a_zip, COMPLETED, hidden=(b"PK\x03\x04", ZIP_TEXT)),
    "also-html.jpg": Hostile(jpeg_that_is_also_html, COMPLETED, hidden=(b"<script",)),
    "also-html.png": Hostile(png_that_is_also_html, COMPLETED, hidden=(b"<script",)),
    "also-javascript.gif": Hostile(gif_that_is_also_javascript, COMPLETED, hidden=(b"alert(",)),
    # a colour profile LittleCMS would spend seconds on: its float LUT is ignored
    "float-lut-profile.png": Hostile(
        lambda: crafted.png_with_icc_chunk(crafted.linear_rgb_profile_with_float_lut(8000), (400, 200)), COMPLETED
    ),
}
