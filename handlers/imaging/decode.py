"""Open an upload safely: size caps, content sniffing, structure limits and Pillow's bomb checks,
before any pixels.

``open_image`` reads only the header (and the container's framing, see ``structure``).
``decoding`` wraps everything that touches pixel data and turns Pillow's many exception types
for bad data into one ``Rejected``.
"""

import io
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from PIL import (
    GifImagePlugin,
    Image,
    ImageFile,
    JpegImagePlugin,
    PngImagePlugin,
    UnidentifiedImageError,
    WebPImagePlugin,
)

from handlers.imaging.errors import Rejected, RejectReason
from handlers.imaging.structure import check_structure
from handlers.imaging.types import Limits

# Only these decoders ever run: EPS would shell out to Ghostscript, and every extra format is
# attack surface nobody asked for. Importing their plugins registers them, so Image.open never
# falls back to Image.init(), which imports all ~45 plugins (tens of ms of cold start).
ALLOWED_FORMATS: Final = ("JPEG", "PNG", "WEBP", "GIF")
_PLUGINS: Final = (JpegImagePlugin, PngImagePlugin, WebPImagePlugin, GifImagePlugin)

# The same magic numbers Pillow's own accept() functions test; used only to tell a damaged
# JPEG/PNG/WebP/GIF (corrupt) from a file of another kind (unsupported).
_SIGNATURES: Final = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)

# What Pillow raises for malformed data while parsing or decoding. Its C decoders raise OSError;
# SyntaxError (a PNG chunk type that is not letters) and ValueError (a short PNG header, a GIF
# frame 0 pixels high) were found by fuzzing, see tests/imaging; EOFError, IndexError and
# struct.error are what Pillow's own open() and seek() treat as malformed data.
DATA_ERRORS: Final = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)

# Pillow's PNG plugin guards text and ICC chunks with these messages; they are zlib bombs.
_BOMB_MESSAGES: Final = ("Decompressed data too large", "Too much memory used in text chunks")

# Pillow's words for "the parser found no image size or mode", said plainly.
_PLAIN_FAULTS: Final = {"not identified by this driver": "no image size in the header"}


def sniff_format(data: bytes) -> str | None:
    """The allowed format the content claims to be (by magic number), or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    for magic, name in _SIGNATURES:
        if data.startswith(magic):
            return name
    return None


def open_image(data: bytes, limits: Limits) -> ImageFile.ImageFile:
    """Parse the header only. Raises Rejected before any pixel buffer is allocated."""
    if not data:
        raise Rejected(RejectReason.EMPTY, "object has no bytes")
    if len(data) > limits.max_bytes:
        raise Rejected(RejectReason.TOO_LARGE, f"{len(data)} bytes exceeds the limit of {limits.max_bytes}")
    claimed = sniff_format(data)
    if claimed is None:
        raise Rejected(RejectReason.UNSUPPORTED_FORMAT, "content is not JPEG, PNG, WebP or GIF")
    check_structure(data, claimed)  # before Pillow: its header parsers are part of the cost
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore")  # see decoding()
        warnings.simplefilter("always", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        except Image.DecompressionBombError as exc:
            raise _pillow_bomb(exc, limits) from None
        except UnidentifiedImageError:
            detail = f"{claimed} header unreadable: {_refusal(data, claimed)}"
            raise Rejected(RejectReason.CORRUPT, detail) from None
        except DATA_ERRORS as exc:
            raise data_error(exc, f"{claimed} header") from None
    width, height = image.size
    if width < 1 or height < 1:
        raise Rejected(RejectReason.CORRUPT, f"{claimed} header claims {width}x{height}")
    if width * height > limits.max_pixels:
        raise Rejected(
            RejectReason.TOO_MANY_PIXELS,
            f"{width}x{height} is {width * height} pixels, the limit is {limits.max_pixels}",
        )
    bomb = next((w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)), None)
    if bomb is not None:
        raise Rejected(RejectReason.DECOMPRESSION_BOMB, str(bomb.message))
    return image


def without_decoder(image: ImageFile.ImageFile) -> Image.Image:
    """The decoded pixels of ``image``, without what its decoder still holds.

    Pillow's WebP plugin keeps libwebp's animation decoder, with the canvas and its copy for frame
    disposal (8 bytes a pixel), for as long as the image lives. A copy of the pixels (4) lets the
    image and its decoder go, and costs no more than the decode's own peak (which also held the
    frame's bytes). Other formats' decoders hold nothing after ``load()``.
    """
    if isinstance(image, WebPImagePlugin.WebPImageFile):
        return image.copy()
    return image


def _refusal(data: bytes, format_name: str) -> str:
    """Why the parser for ``format_name`` refuses ``data``, which Image.open does not say.

    Image.open catches the parser's error and raises UnidentifiedImageError, whose message names
    the file object (a BytesIO and its memory address). Runs the parser again, on the failure path
    only, over the header Image.open just parsed.
    """
    parser, _ = Image.OPEN[format_name]
    try:
        parser(io.BytesIO(data), "")
    except Exception as exc:  # on the rejection path already: whatever it raises is the reason
        return _fault(exc)
    return f"not recognised as {format_name}"  # the parser's signature check said no


def _pillow_bomb(exc: Image.DecompressionBombError, limits: Limits) -> Rejected:
    # Pillow raises before handing back the image, so the size is unknown here. Its error means
    # more than 2 x MAX_IMAGE_PIXELS: when that is above our own cap, the header surely claims
    # too many pixels, and callers see the same reason however far over the cap it is.
    pillow_cap = Image.MAX_IMAGE_PIXELS
    if pillow_cap is not None and 2 * pillow_cap >= limits.max_pixels:
        return Rejected(RejectReason.TOO_MANY_PIXELS, str(exc))
    return Rejected(RejectReason.DECOMPRESSION_BOMB, str(exc))


@contextmanager
def decoding(format_name: str) -> Iterator[None]:
    """Map what Pillow raises on bad pixel data to Rejected (corrupt, or a bomb).

    Pillow's other warnings about the data (a damaged EXIF block and the like) are dropped: the
    image is either rejected or usable, and the warning text would only clutter the log.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise Rejected(RejectReason.DECOMPRESSION_BOMB, str(exc)) from None
        except DATA_ERRORS as exc:
            raise data_error(exc, f"{format_name} data") from None


def data_error(exc: BaseException, what: str) -> Rejected:
    """The rejection for one of DATA_ERRORS: a zlib bomb in a PNG chunk, otherwise corrupt."""
    if isinstance(exc, ValueError) and str(exc).startswith(_BOMB_MESSAGES):
        return Rejected(RejectReason.DECOMPRESSION_BOMB, f"{what}: {exc}")
    return Rejected(RejectReason.CORRUPT, f"{what} unreadable: {_fault(exc)}")


def _fault(exc: BaseException) -> str:
    """What Pillow found wrong with the data, as the same words on every run."""
    message = str(exc)
    return _PLAIN_FAULTS.get(message, message) or type(exc).__name__  # a bare EOFError says nothing
