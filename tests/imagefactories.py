"""Image files built in memory with Pillow, for any test that needs an upload.

Every factory returns the bytes of a file (or a Pillow image where noted) so tests state the
input they feed to the handler. Nothing is read from disk.
"""

import io
import struct
import zlib
from collections.abc import Sequence
from typing import Final

from PIL import ExifTags, Image

RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]

RED: Final = (255, 0, 0)
GREEN: Final = (0, 255, 0)
BLUE: Final = (0, 0, 255)
YELLOW: Final = (255, 255, 0)
MAGENTA: Final = (255, 0, 255)
WHITE: Final = (255, 255, 255)
MID_GREY: Final = (128, 128, 128)

ORIENTATION_TAG: Final = ExifTags.Base.Orientation
GPS_IFD_TAG: Final = ExifTags.IFD.GPSInfo
GPS_LATITUDE_REF_TAG: Final = 1

# sRGB's primaries as ICC colorants (chromatically adapted to D50, as ICC requires).
SRGB_COLORANTS: Final = ((0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141))
D50_WHITE: Final = (0.9642, 1.0, 0.8249)


def save(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def solid(size: tuple[int, int], colour: RGB | RGBA | int = RED, mode: str = "RGB") -> Image.Image:
    return Image.new(mode, size, colour)


def jpeg(size: tuple[int, int] = (64, 48), colour: RGB = RED, **params: object) -> bytes:
    return save(solid(size, colour), "JPEG", quality=95, **params)


def png(image: Image.Image, **params: object) -> bytes:
    return save(image, "PNG", **params)


def quadrants(size: tuple[int, int], colours: Sequence[RGB] = (RED, GREEN, BLUE, YELLOW)) -> Image.Image:
    """Four solid quadrants: top-left, top-right, bottom-left, bottom-right."""
    width, height = size
    image = Image.new("RGB", size)
    boxes = (
        (0, 0, width // 2, height // 2),
        (width // 2, 0, width, height // 2),
        (0, height // 2, width // 2, height),
        (width // 2, height // 2, width, height),
    )
    for box, colour in zip(boxes, colours, strict=True):
        image.paste(colour, box)
    return image


def exif_block(orientation: int | None = None, *, gps: bool = False) -> bytes:
    exif = Image.Exif()
    if orientation is not None:
        exif[ORIENTATION_TAG] = orientation
    if gps:
        exif.get_ifd(GPS_IFD_TAG)[GPS_LATITUDE_REF_TAG] = "N"
    return exif.tobytes()


def oriented_jpeg(stored: Image.Image, orientation: int) -> bytes:
    """A JPEG holding ``stored`` pixels and an EXIF orientation tag, as a phone writes it."""
    return save(stored, "JPEG", quality=95, exif=exif_block(orientation))


def with_header_size(data: bytes, width: int, height: int) -> bytes:
    """A JPEG or PNG whose header claims another size; the compressed data stays tiny."""
    if data.startswith(b"\x89PNG"):
        ihdr = bytearray(data[12:29])  # chunk type + 13 data bytes
        ihdr[4:12] = struct.pack(">II", width, height)
        return data[:12] + bytes(ihdr) + struct.pack(">I", zlib.crc32(bytes(ihdr))) + data[33:]
    sof = data.index(b"\xff\xc0")  # baseline start-of-frame: length, precision, height, width
    return data[: sof + 5] + struct.pack(">HH", height, width) + data[sof + 9 :]


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, body) of every chunk of a PNG file."""
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        chunks.append((data[at + 4 : at + 8], data[at + 8 : at + 8 + length]))
        at += 12 + length
    return chunks


def assemble_png(chunks: Sequence[tuple[bytes, bytes]]) -> bytes:
    """A PNG file from (type, body) chunks, with correct lengths and CRCs."""
    out = b"\x89PNG\r\n\x1a\n"
    for kind, body in chunks:
        out += struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return out


def png_with_broken_chunk_inside_the_image_data() -> bytes:
    """A PNG whose image data continues in a chunk with an invalid type (not letters)."""
    chunks = png_chunks(png(quadrants((64, 64)), compress_level=0))
    [(_, idat)] = [chunk for chunk in chunks if chunk[0] == b"IDAT"]
    header = [chunk for chunk in chunks if chunk[0] == b"IHDR"]
    half = len(idat) // 2
    return assemble_png([*header, (b"IDAT", idat[:half]), (b"ID\x00T", idat[half:]), (b"IEND", b"")])


def png_with_bad_crc(kind: bytes = b"IHDR") -> bytes:
    """A PNG whose ``kind`` chunk has a checksum that does not match its contents."""
    data = bytearray(png(quadrants((64, 64))))
    at = data.index(kind)  # the chunk's type; its CRC follows the body
    (length,) = struct.unpack(">I", data[at - 4 : at])
    data[at + 4 + length] ^= 0x01
    return bytes(data)


def png_with_short_header() -> bytes:
    """A PNG whose IHDR chunk is one byte short of the 13 it must have."""
    chunks = png_chunks(png(solid((8, 8))))
    return assemble_png([(kind, body[:12] if kind == b"IHDR" else body) for kind, body in chunks])


def gif_with_zero_height_frame() -> bytes:
    """A GIF whose first image descriptor says the frame is 0 pixels high."""
    data = bytearray(save(solid((16, 16)), "GIF"))
    descriptor = data.index(b"\x2c\x00\x00\x00\x00")  # image separator at left 0, top 0
    data[descriptor + 7 : descriptor + 9] = b"\x00\x00"
    return bytes(data)


def png_with_text_bomb(megabytes: int = 32) -> bytes:
    """A PNG with a zTXt chunk that inflates to ``megabytes`` of zeros (a few KB on disk)."""
    text = b"Comment\x00\x00" + zlib.compress(b"\x00" * (megabytes << 20), 9)
    chunk = b"zTXt" + text
    body = struct.pack(">I", len(text)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    data = png(solid((8, 8)))
    return data[:33] + body + data[33:]  # right after IHDR


def animated(fmt: str, colours: Sequence[RGB], size: tuple[int, int] = (32, 32)) -> bytes:
    """An animated GIF or WebP, one solid frame per colour."""
    frames = [solid(size, colour) for colour in colours]
    return save(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)


def palette_with_transparency(size: tuple[int, int] = (40, 20)) -> Image.Image:
    """P mode: left half transparent (its palette entry is magenta), right half blue."""
    image = Image.new("P", size, 0)
    image.putpalette([*MAGENTA, *BLUE])
    image.paste(1, (size[0] // 2, 0, size[0], size[1]))
    image.info["transparency"] = 0
    return image


def half_transparent_rgba(size: tuple[int, int] = (40, 20), colour: RGB = BLUE) -> Image.Image:
    """RGBA: left half fully transparent red (the colour a naive flatten would show), right half opaque."""
    image = Image.new("RGBA", size, (*RED, 0))
    image.paste((*colour, 255), (size[0] // 2, 0, size[0], size[1]))
    return image


def halves(mode: str, left: int | RGB, right: int | RGB, size: tuple[int, int] = (40, 20)) -> Image.Image:
    """Any mode: the left half one value (a colour, grey level or palette index), the right half another."""
    return stripes(mode, [left, right], (size[0] // 2, size[1]))


def stripes(mode: str, values: Sequence[int | RGB], stripe: tuple[int, int] = (10, 10)) -> Image.Image:
    """Vertical stripes of ``stripe`` size, one per value, left to right."""
    width, height = stripe
    image = Image.new(mode, (width * len(values), height))
    for index, value in enumerate(values):
        # Pasting a plain int into I;16 repeats its low byte (1000 becomes 0xE8E8): paste an image.
        image.paste(Image.new(mode, stripe, value), (index * width, 0))
    return image


def grey16_gradient(width: int = 256, height: int = 4) -> Image.Image:
    """I;16 where column x holds x * 257: 0 at the left, 65535 at the right edge of 256 columns."""
    image = Image.new("I;16", (width, height))
    for x in range(width):
        image.paste(min(65535, x * 257), (x, 0, x + 1, height))
    return image


def _s15f16(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(values: Sequence[float]) -> bytes:
    return b"XYZ \x00\x00\x00\x00" + b"".join(_s15f16(v) for v in values)


def _gamma_curve(gamma: float) -> bytes:
    return b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, round(gamma * 256)) + b"\x00\x00"


def _description(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\x00"
    return (
        b"desc\x00\x00\x00\x00"
        + struct.pack(">I", len(ascii_text))
        + ascii_text
        + struct.pack(">II", 0, 0)  # no Unicode description
        + struct.pack(">HB", 0, 0)
        + b"\x00" * 67  # no ScriptCode description
    )


def icc_profile(colour_space: str, gamma: float, name: str) -> bytes:
    """An ICC v2 display profile: sRGB primaries ("RGB ") or grey ("GRAY"), with a pure gamma curve.

    Pillow can only create sRGB, LAB and XYZ profiles, so tests that need a real non-sRGB
    source profile build one here (gamma 1.0: linear light, mid-grey 128 means ~188 in sRGB).
    """
    curve = _gamma_curve(gamma)
    tags: list[tuple[bytes, bytes]] = [(b"desc", _description(name)), (b"wtpt", _xyz(D50_WHITE))]
    if colour_space == "RGB ":
        for tag, colorant in zip((b"rXYZ", b"gXYZ", b"bXYZ"), SRGB_COLORANTS, strict=True):
            tags.append((tag, _xyz(colorant)))
        tags += [(b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    else:
        tags.append((b"kTRC", curve))
    return _assemble_profile(b"mntr", colour_space.encode("ascii"), b"XYZ ", tags)


def cmyk_profile_black_ink_only() -> bytes:
    """An ICC v2 CMYK output profile under which only the black ink shows, as neutral grey.

    Cyan, magenta and yellow leave the paper white: absurd as a printer, unmistakable in a test.
    CMYK (0, 255, 255, 128) is then mid-grey (L* 50, sRGB ~119), where Pillow's profile-less
    conversion gives dark red (127, 0, 0).
    """
    grid = 2  # CLUT points per input channel; the last input (K) varies fastest
    ramp = bytes(range(256))
    paper, full_black = bytes([255, 128, 128]), bytes([0, 128, 128])  # lut8 Lab: L* 100 and 0, a* = b* = 0
    lut = (
        b"mft1\x00\x00\x00\x00"
        + bytes([4, 3, grid, 0])
        + b"".join(_s15f16(1.0 if row == col else 0.0) for row in range(3) for col in range(3))
        + ramp * 4  # input curves: identity
        + (paper + full_black) * grid**3  # for every C, M, Y corner: K=0 -> paper, K=1 -> black
        + ramp * 3  # output curves: identity
    )
    tags = [(b"desc", _description("black ink only")), (b"wtpt", _xyz(D50_WHITE)), (b"A2B0", lut)]
    return _assemble_profile(b"prtr", b"CMYK", b"Lab ", tags)


def _assemble_profile(device_class: bytes, colour_space: bytes, pcs: bytes, tags: list[tuple[bytes, bytes]]) -> bytes:
    offset = 128 + 4 + 12 * len(tags)
    table, payload = struct.pack(">I", len(tags)), b""
    for signature, body in tags:
        table += signature + struct.pack(">II", offset + len(payload), len(body))
        payload += body + b"\x00" * (-len(body) % 4)
    header = (
        struct.pack(">I", offset + len(payload))
        + b"\x00\x00\x00\x00"  # preferred CMM
        + bytes([2, 0x10, 0, 0])  # version 2.1
        + device_class
        + colour_space
        + pcs
        + b"\x00" * 12  # date
        + b"acsp"
        + b"\x00" * 24  # platform, flags, manufacturer, model, attributes
        + b"\x00\x00\x00\x00"  # perceptual intent
        + b"".join(_s15f16(v) for v in D50_WHITE)
        + b"\x00" * 48  # creator, ID, reserved
    )
    return header + table + payload


# Files of formats the handler must refuse, as their own tools write them.
SVG: Final = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>\n'
EPS: Final = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nnewpath 0 0 moveto 10 10 lineto stroke\n%%EOF\n"
TEXT: Final = b"name,width,height\nholiday.jpg,4000,3000\n"


def tiff() -> bytes:
    return save(solid((8, 8)), "TIFF")


def bmp() -> bytes:
    return save(solid((8, 8)), "BMP")
