"""How much memory one upload can take to decode, and so which pixel cap a function's memory allows.

The peak of ``process_image`` grows with the pixels the header claims and with the upload's bytes.
Each figure below is the worst measured over every path the core takes (each format and mode), in
fresh processes reading VmHWM from /proc/self/status, with Pillow 13.0.0 and libwebp 1.6 on
x86_64. ``python3 tasks.py bench-memory`` measures them again and prints them beside these
constants, so an upgrade that moves them shows.

Lambda's memory setting is in "MB" that are MiB: the REPORT line's Max Memory Used is the
@maxMemoryUsed bytes divided by 1024 twice (https://advancedweb.hu/the-consequences-of-memory-
allocation-size-for-a-lambda-function/), and that is what the setting caps.
"""

import math
from fractions import Fraction
from typing import Final

MIB: Final = 1 << 20

# The worst path is WebP: Pillow decodes every WebP with libwebp's animation decoder, which keeps
# the canvas and a copy of it for frame disposal, then Pillow copies the frame into a bytes object
# and from there into the image: 4 bytes a pixel each, all alive at the peak (measured 16.00 to
# 16.05, lossy and lossless, with the default renditions and with one of 4096x4096). Then a
# progressive JPEG (libjpeg holds every DCT coefficient) or any source made into one rendition as
# large as the config allows (the whole image converted: up to 9.7), PNG and GIF with the default
# renditions at most 3.9 (before strip-by-strip conversion, 16-bit grey with a tRNS key took 12.0).
PEAK_BYTES_PER_PIXEL: Final = Fraction("16.2")
# Copies of the upload alive at once, in bytes per upload byte. While Pillow's WebP plugin opens a
# file: the caller's bytes, the plugin's read of the file and its concatenation, libwebp's copy
# (measured 4.01). At the decode peak: the caller's bytes, libwebp's copy and Pillow's copy of a
# metadata chunk as large as the file (measured 3.01). ICC profiles, capped at
# icc.MAX_ICC_PROFILE_BYTES, are copied twice more only after libwebp's buffers are gone.
UPLOAD_COPIES_OPENING: Final = Fraction("4.1")
UPLOAD_COPIES_DECODING: Final = Fraction("3.1")
# A warm function before any upload: Python, Pillow, boto3 and its two clients, the handler
# (58-61 MiB measured), plus an allowance for Lambda's runtime client and Python 3.12 on arm64.
RUNTIME_MIB: Final = 80
# The figures come from one machine, one libc and one Pillow: room for heap fragmentation,
# another architecture's builds of the same libraries, and what was not measured (a rendition
# of 4096x4096 takes ~110 MiB to resize and encode, after libwebp's buffers are gone).
SAFETY_MARGIN: Final = Fraction("1.1")
# (Fractions, so that the two functions below are exact inverses: no float rounding between them.)


def decode_memory_mib(max_pixels: int, max_object_bytes: int) -> int:
    """Function memory (MiB, Lambda's "MB") that an upload of up to ``max_object_bytes`` bytes whose
    header claims up to ``max_pixels`` pixels may need at its peak, the safety margin included."""
    opening = UPLOAD_COPIES_OPENING * max_object_bytes
    decoding = UPLOAD_COPIES_DECODING * max_object_bytes + PEAK_BYTES_PER_PIXEL * max_pixels
    return math.ceil((RUNTIME_MIB * MIB + max(opening, decoding)) * SAFETY_MARGIN / MIB)


def max_pixels_for_memory(memory_mb: int, max_object_bytes: int) -> int:
    """The largest pixel cap whose worst upload fits ``memory_mb`` (0 if not even the runtime and the
    upload's bytes do). The inverse of ``decode_memory_mib``."""
    budget = memory_mb * MIB / SAFETY_MARGIN - RUNTIME_MIB * MIB
    if budget < UPLOAD_COPIES_OPENING * max_object_bytes:
        return 0
    return max(0, math.floor((budget - UPLOAD_COPIES_DECODING * max_object_bytes) / PEAK_BYTES_PER_PIXEL))
