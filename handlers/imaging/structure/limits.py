"""How much structure an upload may have before its parser's own work becomes the attack.

Each figure bounds something that costs time (or memory) out of proportion to the bytes and
pixels the byte and pixel caps already bound. They were measured on this project's machines
(2 cores, Pillow 13.0.0 with libjpeg-turbo 3.2, zlib-ng, libwebp 1.6). Each attack is crafted
in ``tests/imaging/crafted.py``, tested in ``tests/imaging/test_hostile_structure.py`` and
priced by ``benchmarks/hostile.py`` (``python3 tasks.py bench-hostile``).
"""

from typing import Final

from PIL import PngImagePlugin

from handlers.imaging.errors import Rejected, RejectReason

# The most scans any encoder we know of writes into one JPEG:
# - libjpeg's jpeg_simple_progression (libjpeg-turbo src/jcparam.c, used by Pillow, cjpeg
#   -progressive and jpegtran -progressive): 10 scans for YCbCr colour, 6 for grey and
#   2 + 4 x 4 = 18 for a four-component (CMYK, YCCK) image;
# - mozjpeg's scan optimisation (mozilla/mozjpeg jcparam.c jpeg_search_progression, jcmaster.c
#   select_scans) tries 64 candidate scans but writes at most 16 of them (6 for grey);
# - a sequential JPEG has one scan, or one per component.
ENCODER_MAX_JPEG_SCANS: Final = 18
# libjpeg decodes every scan in full, even one repeated or made only of end-of-band runs: an AC
# refinement scan costs ~48 ns per 8x8 block whatever its bytes (4000x4000 grey: 12 ms per scan,
# 3,000 copies in 156 KB took 31 s). libjpeg-turbo added djpeg/jpegtran -maxscans and
# TJPARAM_SCANLIMIT for exactly this (doc/usage.txt: "guard against denial-of-service attacks
# ... numerous scans ... consisting only of EOB runs"; its own fuzzers run with a limit of 100,
# fuzz/decompress.cc). 32 leaves room over the most any encoder writes; the most scan work it
# accepts, 32 refinement scans of a 50-megapixel image, decodes in about 1 s.
MAX_JPEG_SCANS: Final = 32

# Pillow parses JPEG marker segments before the first scan, PNG chunks and GIF blocks before the
# first image in Python, one at a time, and libwebp's demuxer indexes every WebP frame.
# Within the 50 MB byte cap that was 15 s for 4-byte JPEG comment segments, 11 s for empty PNG
# chunks (tiny IDATs alike), 10 s for one-byte GIF comment sub-blocks and +191 MiB for a million
# WebP frames (two copies of the 52 MB file included). A file of real photos or drawings has tens
# to hundreds of parts (a 50 MB PNG in libpng's 8 KiB IDATs: 6,400; an animated WebP or APNG: one
# or two per frame). At this many parts Pillow spends at most ~0.3 s (PNG, ~4 us a chunk).
MAX_PARTS: Final = 65_536

# Pillow inflates each iCCP, zTXt and compressed iTXt chunk up to MAX_TEXT_CHUNK (1 MiB, ~2.3 ms)
# and stops at MAX_TEXT_MEMORY (64 of them) of text, but iCCP, a zTXt with an empty keyword and
# an iTXt that is not UTF-8 are never counted: 1,000 of them in 1 MB took 2.3 s. The same budget
# of 64, applied to every chunk that may be compressed.
MAX_PNG_COMPRESSED_CHUNKS: Final = PngImagePlugin.MAX_TEXT_MEMORY // PngImagePlugin.MAX_TEXT_CHUNK


def too_complex(detail: str) -> Rejected:
    """The rejection for a file whose structure alone would keep the decoder busy: a bomb."""
    return Rejected(RejectReason.DECOMPRESSION_BOMB, detail)
