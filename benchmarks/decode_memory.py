"""Peak memory of decoding, path by path, measured again and printed beside handlers.imaging.memory.

    python -m benchmarks.decode_memory [--quick]        (python3 tasks.py bench-memory)

Each decoding path (WebP, progressive JPEG, every PNG mode that converts differently, GIF) gets an
image of one colour, so the file is small and the peak is all pixels, at two sizes, and is made
into the default renditions and into one rendition as large as the config allows (the whole
image converted at full size); each run is a fresh interpreter reading VmHWM. The growth between
the two sizes over the pixels added is the path's peak bytes per pixel, free of fixed costs. A WebP
carrying a large metadata chunk, at two sizes, gives the copies of the upload alive at the peak
(of a tiny image: while the file is opened; of a large one: while its pixels are decoded); a warm
handler process (imports, boto3 clients, a few small uploads) the runtime. Then what
``decode_memory_mib`` and ``max_pixels_for_memory`` make of the constants, at the default caps.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import PIL
from PIL import Image

from benchmarks.worker import peak_rss_mib
from handlers.contract import DEFAULT_MAX_OBJECT_BYTES, DEFAULT_MAX_PIXELS
from handlers.imaging import DEFAULT_RENDITIONS, Limits, RenditionSpec, process_image
from handlers.imaging.memory import (
    MIB,
    PEAK_BYTES_PER_PIXEL,
    RUNTIME_MIB,
    SAFETY_MARGIN,
    UPLOAD_COPIES_DECODING,
    UPLOAD_COPIES_OPENING,
    decode_memory_mib,
    max_pixels_for_memory,
)
from handlers.imaging.renditions import MAX_RENDITION_EDGE

ROOT = Path(__file__).resolve().parent.parent
# Square sides: the two sizes each path is measured at, both larger than the large rendition.
FULL_SIDES = (4500, 6500)
QUICK_SIDES = (1500, 2500)
# The large rendition's box: MAX_RENDITION_EDGE, and something smaller than the quick sides.
FULL_LARGE_BOX = MAX_RENDITION_EDGE
QUICK_LARGE_BOX = 1024
# Metadata chunk sizes for the upload-bytes measurement.
FULL_CHUNK_BYTES = (8_000_000, 40_000_000)
QUICK_CHUNK_BYTES = (2_000_000, 8_000_000)
MEMORY_SIZES_MB = (512, 768, 1024, 1280, 1536, 2048, 3008)
_KEY = 7  # the transparency key of the keyed PNGs: every pixel holds it, so alpha is kept


def _save(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


@dataclass(frozen=True)
class DecodePath:
    name: str
    make: Callable[[int], bytes]  # side -> the file


PATHS: tuple[DecodePath, ...] = (
    DecodePath("WebP lossless RGBA", lambda s: _save(Image.new("RGBA", (s, s), (9, 8, 7, 128)), "WEBP", lossless=True)),
    DecodePath("WebP lossy RGB", lambda s: _save(Image.new("RGB", (s, s), (9, 8, 7)), "WEBP", quality=50)),
    DecodePath(
        "JPEG progressive CMYK",
        lambda s: _save(Image.new("CMYK", (s, s), (9, 8, 7, 6)), "JPEG", progressive=True),
    ),
    DecodePath(
        "JPEG progressive YCbCr 4:4:4",
        lambda s: _save(Image.new("RGB", (s, s), (9, 8, 7)), "JPEG", progressive=True, subsampling=0),
    ),
    DecodePath("JPEG baseline 4:2:0", lambda s: _save(Image.new("RGB", (s, s), (9, 8, 7)), "JPEG")),
    DecodePath("PNG RGBA", lambda s: _save(Image.new("RGBA", (s, s), (9, 8, 7, 128)), "PNG")),
    DecodePath(
        "PNG RGB with tRNS",
        lambda s: _save(Image.new("RGB", (s, s), (_KEY,) * 3), "PNG", transparency=(_KEY,) * 3),
    ),
    DecodePath("PNG LA", lambda s: _save(Image.new("LA", (s, s), (9, 128)), "PNG")),
    DecodePath("PNG 16-bit grey with tRNS", lambda s: _save(Image.new("I;16", (s, s), _KEY), "PNG", transparency=_KEY)),
    DecodePath("PNG palette with tRNS", lambda s: _save(Image.new("P", (s, s), _KEY), "PNG", transparency=_KEY)),
    DecodePath("GIF screen, one 1x1 frame", lambda s: _gif_screen(s)),
)


def _gif_screen(side: int) -> bytes:
    data = _save(Image.new("P", (1, 1), 1), "GIF")
    return data[:6] + side.to_bytes(2, "little") * 2 + data[10:]


def _webp_with_chunk(size: int, side: int = 16) -> bytes:
    return _save(Image.new("RGBA", (side, side), (9, 8, 7, 128)), "WEBP", lossless=True, xmp=b"x" * size)


@dataclass(frozen=True)
class Slope:
    name: str
    per_unit: float  # bytes of peak per pixel (or per upload byte)
    largest_mib: float  # the growth at the larger size


def growth_mib(data: bytes, directory: Path, box: int | None = None) -> float:
    """Peak RSS above idle (the file already read) of making the renditions (the default ones, or
    one fitting ``box``), in a fresh interpreter."""
    path = directory / "upload"
    path.write_bytes(data)
    command = [sys.executable, "-m", "benchmarks.decode_memory", "--worker", str(path), str(box or 0)]
    report = json.loads(subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    return float(report["peak_mib"]) - float(report["idle_mib"])


def _worker(path: Path, box: int) -> None:
    data = path.read_bytes()
    specs = (RenditionSpec("large", box, box),) if box else DEFAULT_RENDITIONS
    limits = Limits(max_bytes=DEFAULT_MAX_OBJECT_BYTES, max_pixels=DEFAULT_MAX_PIXELS)
    idle = peak_rss_mib()
    process_image(data, specs, limits)
    print(json.dumps({"idle_mib": idle, "peak_mib": peak_rss_mib()}))


def slope(name: str, files: Sequence[tuple[int, bytes]], directory: Path, box: int | None = None) -> Slope:
    """Peak bytes per unit between two (units, file) measurements."""
    (small_units, small), (large_units, large) = files
    small_mib, large_mib = growth_mib(small, directory, box), growth_mib(large, directory, box)
    return Slope(name, (large_mib - small_mib) * MIB / (large_units - small_units), large_mib)


def runtime_mib() -> float:
    """VmHWM of a warm handler process that has made renditions of small uploads, in a fresh interpreter."""
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "eu-west-1")}
    command = [sys.executable, "-m", "benchmarks.decode_memory", "--runtime-worker"]
    return float(subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, env=env).stdout)


def _runtime_worker() -> None:
    from handlers.image_processor import aws_clients

    aws_clients()
    limits = Limits(max_bytes=DEFAULT_MAX_OBJECT_BYTES, max_pixels=DEFAULT_MAX_PIXELS)
    for fmt, mode in (("JPEG", "RGB"), ("PNG", "RGBA"), ("WEBP", "RGB"), ("GIF", "P")):
        process_image(_save(Image.new(mode, (64, 48)), fmt), DEFAULT_RENDITIONS, limits)
    print(f"{peak_rss_mib():.1f}")


@dataclass(frozen=True)
class Measured:
    paths: list[Slope]  # peak bytes per pixel
    opening: Slope  # copies of the upload while a tiny image's file is opened
    decoding: Slope  # copies of the upload while a large image's pixels are decoded
    runtime_mib: float


def measure(sides: Sequence[int], large_box: int, chunk_sizes: Sequence[int]) -> Measured:
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        paths = []
        for path in PATHS:
            files = [(side * side, path.make(side)) for side in sides]
            paths.append(slope(f"{path.name}, default renditions", files, directory))
            paths.append(slope(f"{path.name}, one {large_box}x{large_box}", files, directory, large_box))
            print(f"  measured {path.name}", file=sys.stderr, flush=True)
        tiny = slope("tiny WebP", [(size, _webp_with_chunk(size)) for size in chunk_sizes], directory)
        files = [(size, _webp_with_chunk(size, sides[0])) for size in chunk_sizes]
        large = slope(f"{sides[0]}x{sides[0]} WebP", files, directory)
    # The worker reads the upload before its idle figure: the caller's own copy comes on top.
    return Measured(paths, _plus_one(tiny), _plus_one(large), runtime_mib())


def _plus_one(upload: Slope) -> Slope:
    return Slope(upload.name, upload.per_unit + 1, upload.largest_mib)


def report(measured: Measured, sides: Sequence[int]) -> str:
    paths, runtime = measured.paths, measured.runtime_mib
    opening, decoding = measured.opening, measured.decoding
    worst = max(paths, key=lambda s: s.per_unit)
    lines = [
        f"Peak bytes per pixel, growth between {sides[0]}x{sides[0]} and {sides[1]}x{sides[1]} (fresh process each):",
        *(f"  {s.name:52}{s.per_unit:6.2f}   (+{s.largest_mib:.0f} MiB at the larger)" for s in paths),
        f"worst: {worst.name}, {worst.per_unit:.2f}; PEAK_BYTES_PER_PIXEL = {float(PEAK_BYTES_PER_PIXEL):g}"
        f" {_verdict(worst.per_unit, PEAK_BYTES_PER_PIXEL)}",
        _copies_line("opening", opening, UPLOAD_COPIES_OPENING, "UPLOAD_COPIES_OPENING"),
        _copies_line("decoding", decoding, UPLOAD_COPIES_DECODING, "UPLOAD_COPIES_DECODING"),
        f"warm handler process: {runtime:.0f} MiB; RUNTIME_MIB = {RUNTIME_MIB} {_verdict(runtime, RUNTIME_MIB)}",
        "",
        f"decode_memory_mib({DEFAULT_MAX_PIXELS:,} pixels, {DEFAULT_MAX_OBJECT_BYTES:,} bytes)"
        f" = {decode_memory_mib(DEFAULT_MAX_PIXELS, DEFAULT_MAX_OBJECT_BYTES)} MiB"
        f" (safety margin {float(SAFETY_MARGIN):g})",
        f"largest maxPixels per memoryMb, uploads up to {DEFAULT_MAX_OBJECT_BYTES:,} bytes:",
        *(f"  {mb:6} MB: {max_pixels_for_memory(mb, DEFAULT_MAX_OBJECT_BYTES):>13,}" for mb in MEMORY_SIZES_MB),
    ]
    return "\n".join(lines)


def _copies_line(phase: str, measured: Slope, constant: Fraction, name: str) -> str:
    return (
        f"copies of the upload while {phase} ({measured.name} with a large metadata chunk): {measured.per_unit:.2f};"
        f" {name} = {float(constant):g} {_verdict(measured.per_unit, constant)}"
    )


def _verdict(measured: float, constant: float | Fraction) -> str:
    return "(holds)" if measured <= constant else "(MEASURED ABOVE THE CONSTANT: raise it)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"sides {QUICK_SIDES} instead of {FULL_SIDES}")
    parser.add_argument("--runtime-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", nargs=2, metavar=("PATH", "BOX"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runtime_worker:
        _runtime_worker()
        return 0
    if args.worker:
        _worker(Path(args.worker[0]), int(args.worker[1]))
        return 0
    sides = QUICK_SIDES if args.quick else FULL_SIDES
    large_box = QUICK_LARGE_BOX if args.quick else FULL_LARGE_BOX
    chunks = QUICK_CHUNK_BYTES if args.quick else FULL_CHUNK_BYTES
    print(f"Python {sys.version.split()[0]}, Pillow {PIL.__version__}, {os.uname().machine}\n", flush=True)
    print(report(measure(sides, large_box, chunks), sides))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
