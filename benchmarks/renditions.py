"""Rendition benchmark: the image core against the naive tutorial handler.

    python -m benchmarks.renditions [--quick] [--png-levels | --alpha-formats]

For each generated image (2, 12 and 24 MP photo-like JPEGs, a 2000x2000 PNG with alpha, a
CMYK JPEG, an EXIF-rotated JPEG) both implementations make DEFAULT_RENDITIONS, each in a fresh
interpreter (benchmarks.worker) so peak RSS is that run's own. Prints median time, peak RSS,
output bytes (and the PNG renditions' share, with the encoder settings) and their ratios, the
preview's PSNR against a full-decode LANCZOS reference, the cold import time of
handlers.imaging and of the handler module, and whether the 12 MP targets are met.

``--png-levels`` measures PNG encoder settings instead (benchmarks.png_levels), ``--alpha-formats`` the
default renditions of transparent sources with and without PNG (benchmarks.alpha_formats).
"""

import argparse
import io
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import PIL
from PIL import Image, ImageChops, ImageOps

from benchmarks import alpha_formats, png_levels
from benchmarks.baseline import naive_renditions
from benchmarks.photos import jpeg_bytes, orientation_exif, photo_cut_out, photo_like, png_bytes
from handlers.contract import DEFAULT_MAX_OBJECT_BYTES, DEFAULT_MAX_PIXELS
from handlers.imaging import DEFAULT_RENDITIONS, Limits, OutputFormat, process_image
from handlers.imaging.encode import JPEG_OPTIMIZE, flatten
from handlers.imaging.renditions import JPEG_QUALITY

ROOT = Path(__file__).resolve().parent.parent
PREVIEW = "preview"
# The targets hold for the 12 MP JPEG: the typical phone photo.
TARGET_SPEEDUP = 5.0
TARGET_RSS_RATIO = 0.25
TARGET_PSNR_LOSS_DB = 0.2
IMPLEMENTATIONS = ("handler", "baseline")
FULL_ROUNDS = 7
QUICK_ROUNDS = 1
RUNS_PER_PROCESS = 2
IMPORT_RUNS = 5


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], bytes]
    is_target: bool = False
    note: str = ""


def _cmyk_jpeg(width: int, height: int) -> bytes:
    return jpeg_bytes(photo_like(width, height, seed=4).convert("CMYK"))


CASES: tuple[Case, ...] = (
    Case("2 MP JPEG 1632x1224", lambda: jpeg_bytes(photo_like(1632, 1224, seed=1))),
    Case("12 MP JPEG 4000x3000", lambda: jpeg_bytes(photo_like(4000, 3000, seed=2)), is_target=True),
    Case("24 MP JPEG 6000x4000", lambda: jpeg_bytes(photo_like(6000, 4000, seed=3))),
    Case(
        "PNG with alpha 2000x2000",
        lambda: png_bytes(photo_cut_out(2000)),
        note="the baseline's convert('RGB') shows the colour hidden under transparent pixels: hence its PSNR",
    ),
    Case("CMYK JPEG 4000x3000", lambda: _cmyk_jpeg(4000, 3000)),
    Case(
        "EXIF-rotated JPEG 4000x3000 (orientation 6)",
        lambda: jpeg_bytes(photo_like(4000, 3000, seed=6), exif=orientation_exif(6)),
    ),
)


@dataclass(frozen=True)
class Measurement:
    first_ms: float
    median_ms: float
    median_cpu_ms: float
    idle_rss_mib: float
    peak_rss_mib: float
    output_bytes: int
    format_bytes: dict[str, int]


@dataclass(frozen=True)
class PreviewQuality:
    """PSNR (dB) of each preview JPEG against the unencoded full-decode LANCZOS downscale."""

    handler: float
    baseline: float
    reference: float  # the same downscale, encoded as the handler encodes: the best achievable


def measure(path: Path, rounds: int) -> dict[str, Measurement]:
    """Each implementation in ``rounds`` fresh interpreters, alternating, so a burst of load on a
    shared machine hits both alike. Medians are over every timed run of every round."""
    reports: dict[str, list[dict[str, Any]]] = {name: [] for name in IMPLEMENTATIONS}
    for _ in range(rounds):
        for name in IMPLEMENTATIONS:
            command = [sys.executable, "-m", "benchmarks.worker", name, str(path), str(RUNS_PER_PROCESS)]
            completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
            reports[name].append(json.loads(completed.stdout))
    return {name: _summary(runs) for name, runs in reports.items()}


def _summary(reports: list[dict[str, Any]]) -> Measurement:
    return Measurement(
        first_ms=statistics.median(r["first_ms"] for r in reports),
        median_ms=statistics.median(t for r in reports for t in r["times_ms"]),
        median_cpu_ms=statistics.median(t for r in reports for t in r["cpu_times_ms"]),
        idle_rss_mib=max(r["idle_rss_mib"] for r in reports),
        peak_rss_mib=max(r["peak_rss_mib"] for r in reports),
        output_bytes=reports[0]["output_bytes"],
        format_bytes=reports[0]["format_bytes"],
    )


def psnr(image: Image.Image, reference: Image.Image) -> float:
    """Peak signal-to-noise ratio in dB over the RGB bands (inf if identical)."""
    difference = ImageChops.difference(image.convert("RGB"), reference.convert("RGB"))
    histogram = difference.histogram()  # 256 bins per band
    squared_error = sum(count * (index % 256) ** 2 for index, count in enumerate(histogram))
    mean = squared_error / (difference.width * difference.height * 3)
    return math.inf if mean == 0 else 10 * math.log10(255**2 / mean)


def full_decode_reference(data: bytes, size: tuple[int, int]) -> Image.Image:
    """Full decode, upright, flattened onto white, one LANCZOS resize: the quality yardstick."""
    with Image.open(io.BytesIO(data)) as original:
        upright = ImageOps.exif_transpose(original)
    rgb = flatten(upright.convert("RGBA")) if "A" in upright.getbands() else upright.convert("RGB")
    return rgb.resize(size, Image.Resampling.LANCZOS)


def preview_quality(data: bytes) -> PreviewQuality:
    limits = Limits(max_bytes=DEFAULT_MAX_OBJECT_BYTES, max_pixels=DEFAULT_MAX_PIXELS)
    ours = next(
        r.data
        for r in process_image(data, DEFAULT_RENDITIONS, limits).renditions
        if r.name == PREVIEW and r.format is OutputFormat.JPEG
    )
    theirs = next(
        out
        for name, fmt, out in naive_renditions(data, DEFAULT_RENDITIONS)
        if name == PREVIEW and fmt is OutputFormat.JPEG
    )
    references: dict[tuple[int, int], Image.Image] = {}

    def reference(size: tuple[int, int]) -> Image.Image:
        if size not in references:
            references[size] = full_decode_reference(data, size)
        return references[size]

    ours_decoded, theirs_decoded = _decode(ours), _decode(theirs)
    best = reference(ours_decoded.size)
    return PreviewQuality(
        handler=psnr(ours_decoded, best),
        baseline=psnr(theirs_decoded, reference(theirs_decoded.size)),
        reference=psnr(_decode(_encode_like_handler(best)), best),
    )


def _decode(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def _encode_like_handler(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=JPEG_OPTIMIZE)
    return buffer.getvalue()


def import_time_ms(runs: int = IMPORT_RUNS, module: str = "handlers.imaging.process") -> float:
    """Median wall time of ``import module`` in fresh interpreters (includes Pillow)."""
    code = f"import time; start = time.perf_counter(); import {module}; print((time.perf_counter() - start) * 1000)"
    samples = [
        float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout)
        for _ in range(runs)
    ]
    return statistics.median(samples)


@dataclass(frozen=True)
class CaseResult:
    case: Case
    size_bytes: int
    handler: Measurement
    baseline: Measurement
    quality: PreviewQuality

    @property
    def speedup(self) -> float:
        """Baseline over handler median wall time (what Lambda bills)."""
        return self.baseline.median_ms / self.handler.median_ms

    @property
    def cpu_speedup(self) -> float:
        return self.baseline.median_cpu_ms / self.handler.median_cpu_ms

    @property
    def rss_ratio(self) -> float:
        """Handler peak RSS over baseline peak RSS (whole process)."""
        return self.handler.peak_rss_mib / self.baseline.peak_rss_mib

    @property
    def psnr_loss_db(self) -> float:
        """How far the handler's preview falls short of the encoded reference (negative: better)."""
        return self.quality.reference - self.quality.handler


def run_case(case: Case, data: bytes, directory: Path, rounds: int) -> CaseResult:
    path = directory / "source.bin"
    path.write_bytes(data)
    measured = measure(path, rounds)
    return CaseResult(
        case=case,
        size_bytes=len(data),
        handler=measured["handler"],
        baseline=measured["baseline"],
        quality=preview_quality(data),
    )


def format_case(result: CaseResult) -> str:
    h, b, q = result.handler, result.baseline, result.quality
    h_growth, b_growth = h.peak_rss_mib - h.idle_rss_mib, b.peak_rss_mib - b.idle_rss_mib
    return "\n".join(
        [
            f"{result.case.name} ({result.size_bytes / 2**20:.1f} MiB)",
            _row("", "handler", "baseline", "baseline/handler"),
            _row("median ms", f"{h.median_ms:.1f}", f"{b.median_ms:.1f}", _ratio(b.median_ms, h.median_ms)),
            _row(
                "median CPU ms",
                f"{h.median_cpu_ms:.1f}",
                f"{b.median_cpu_ms:.1f}",
                _ratio(b.median_cpu_ms, h.median_cpu_ms),
            ),
            _row("first call ms", f"{h.first_ms:.1f}", f"{b.first_ms:.1f}", ""),
            _row(
                "peak RSS MiB",
                f"{h.peak_rss_mib:.1f}",
                f"{b.peak_rss_mib:.1f}",
                _ratio(b.peak_rss_mib, h.peak_rss_mib),
            ),
            _row("RSS above idle MiB", f"{h_growth:.1f}", f"{b_growth:.1f}", _ratio(b_growth, h_growth)),
            _row(
                "output bytes",
                f"{h.output_bytes:,}",
                f"{b.output_bytes:,}",
                _ratio(b.output_bytes, h.output_bytes),
            ),
            *_png_rows(h, b),
            _row(
                "preview PSNR dB",
                f"{q.handler:.2f}",
                f"{q.baseline:.2f}",
                f"reference {q.reference:.2f}; handler {-result.psnr_loss_db:+.2f} dB",
            ),
            *([f"  note: {result.case.note}"] if result.case.note else []),
        ]
    )


def _png_rows(handler: Measurement, baseline: Measurement) -> list[str]:
    """The PNG renditions' bytes, when the source has alpha, and how each side encodes them."""
    png = OutputFormat.PNG.value
    if png not in handler.format_bytes:
        return []
    ours, theirs = handler.format_bytes[png], baseline.format_bytes.get(png, 0)
    return [
        _row("  of which PNG", f"{ours:,}", f"{theirs:,}", _ratio(theirs, ours)),
        f"  PNG encoder: handler {png_levels.HANDLER}, baseline {png_levels.BASELINE}"
        " (compare every setting: --png-levels)",
    ]


def _row(label: str, handler: str, baseline: str, ratio: str) -> str:
    return f"  {label:20}{handler:>12}{baseline:>12}   {ratio}"


def _ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.2f}x" if denominator > 0 else "n/a"


def format_targets(result: CaseResult) -> str:
    checks = [
        (
            f"speed {result.speedup:.2f}x (CPU time {result.cpu_speedup:.2f}x) >= {TARGET_SPEEDUP:g}x",
            result.speedup >= TARGET_SPEEDUP,
        ),
        (
            f"peak RSS {result.rss_ratio:.2f} of baseline <= {TARGET_RSS_RATIO:g}",
            result.rss_ratio <= TARGET_RSS_RATIO,
        ),
        (
            f"preview PSNR {-result.psnr_loss_db:+.2f} dB vs reference, within {TARGET_PSNR_LOSS_DB:g} dB",
            result.psnr_loss_db <= TARGET_PSNR_LOSS_DB,
        ),
    ]
    lines = [f"Targets on {result.case.name}:"]
    lines += [f"  {'MET    ' if met else 'NOT MET'} {text}" for text, met in checks]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROUNDS} round instead of {FULL_ROUNDS}")
    parser.add_argument(
        "--png-levels",
        action="store_true",
        help="time every PNG compress_level, with and without optimize, on the RGBA inputs instead",
    )
    parser.add_argument(
        "--alpha-formats",
        action="store_true",
        help="the default renditions of transparent inputs with PNG and without it (WebP keeps the alpha) instead",
    )
    args = parser.parse_args(argv)
    if args.png_levels:
        print(png_levels.report(png_levels.QUICK_ROUNDS if args.quick else png_levels.FULL_ROUNDS))
        return 0
    if args.alpha_formats:
        print(alpha_formats.report(alpha_formats.QUICK_ROUNDS if args.quick else alpha_formats.FULL_ROUNDS))
        return 0
    rounds = QUICK_ROUNDS if args.quick else FULL_ROUNDS
    sizes = ", ".join(f"{spec.name} {spec.width}x{spec.height}" for spec in DEFAULT_RENDITIONS)
    print(
        f"Python {platform.python_version()}, Pillow {PIL.__version__}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} (other load skews times: rerun if it is high)\n"
        f"renditions: {sizes}\n{rounds} round(s) of fresh processes, handler and baseline alternating; "
        f"medians of {RUNS_PER_PROCESS} runs per process after a first call\n"
    )
    results: list[CaseResult] = []
    with tempfile.TemporaryDirectory() as directory:
        for case in CASES:
            result = run_case(case, case.make(), Path(directory), rounds)
            results.append(result)
            print(format_case(result) + "\n", flush=True)
    for module in ("handlers.imaging.process", "handlers.image_processor"):
        imported = import_time_ms(module=module)
        print(f"cold import of {module}: {imported:.1f} ms (median of {IMPORT_RUNS} fresh processes)")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}\n")
    for result in results:
        if result.case.is_target:
            print(format_targets(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
