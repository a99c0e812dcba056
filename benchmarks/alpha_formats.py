"""PNG for transparent sources: what the renditions cost with it and without it.

    python -m benchmarks.renditions --alpha-formats [--quick]

0.1.0 added PNG to every rendition of a transparent source; since 0.2.0 a rendition gets PNG only where
it asks for it (``alpha_formats``) or none of its formats keeps alpha (WebP does). The default
renditions still ask for it (seed 002's outputs), so this repository's stacks write what they did.
For each RGBA input, the whole image core (``process_image``) makes the default renditions twice, taking
turns: as configured (JPEG, WebP and PNG) and without PNG (JPEG and WebP, the WebP keeping the alpha).
Prints the median wall and CPU ms and the bytes stored per upload, and the ratios of "without" to "with".
"""

import statistics
import time
from dataclasses import dataclass, replace

from benchmarks import png_levels
from benchmarks.photos import png_bytes
from handlers.contract import DEFAULT_MAX_OBJECT_BYTES, DEFAULT_MAX_PIXELS
from handlers.imaging import DEFAULT_RENDITIONS, Limits, OutputFormat, RenditionSpec, process_image

FULL_ROUNDS = 5
QUICK_ROUNDS = 1
WITH_PNG: tuple[RenditionSpec, ...] = DEFAULT_RENDITIONS
WITHOUT_PNG: tuple[RenditionSpec, ...] = tuple(replace(spec, alpha_formats=()) for spec in DEFAULT_RENDITIONS)
LIMITS = Limits(max_bytes=DEFAULT_MAX_OBJECT_BYTES, max_pixels=DEFAULT_MAX_PIXELS)


@dataclass(frozen=True)
class Run:
    median_ms: float
    median_cpu_ms: float
    stored_bytes: int
    formats: tuple[str, ...]


def measure(upload: bytes, specs: tuple[RenditionSpec, ...], rounds: int) -> tuple[list[float], list[float], Run]:
    wall: list[float] = []
    cpu: list[float] = []
    result = None
    for _ in range(rounds):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = process_image(upload, specs, LIMITS)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
    assert result is not None
    formats = tuple(sorted({r.format.value for r in result.renditions}))
    stored = sum(len(r.data) for r in result.renditions)
    return wall, cpu, Run(statistics.median(wall), statistics.median(cpu), stored, formats)


def report(rounds: int) -> str:
    lines = [
        f"PNG for transparent sources, median of {rounds} round(s): the default renditions with PNG (as the",
        "stacks here run) and without it (WebP keeps the alpha); whole image core, per upload",
        f"  {'input':52}{'PNG':>5}{'ms':>9}{'CPU ms':>9}{'bytes':>12}{'formats':>20}",
    ]
    for source in png_levels.INPUTS:  # the rendition benchmark's transparent inputs
        upload = png_bytes(source.make())
        runs = {}
        for label, specs in (("with", WITH_PNG), ("without", WITHOUT_PNG)):
            runs[label] = measure(upload, specs, rounds)[2]
            run = runs[label]
            lines.append(
                f"  {source.name:52}{label:>5}{run.median_ms:9.1f}{run.median_cpu_ms:9.1f}"
                f"{run.stored_bytes:12,}{' '.join(run.formats):>20}"
            )
        with_png, without = runs["with"], runs["without"]
        lines.append(
            f"  {'':52}{'ratio':>5}{without.median_ms / with_png.median_ms:8.2f}x"
            f"{without.median_cpu_ms / with_png.median_cpu_ms:8.2f}x"
            f"{without.stored_bytes / with_png.stored_bytes:11.2f}x   without / with"
        )
    assert all(f is not OutputFormat.PNG for spec in WITHOUT_PNG for f in spec.alpha_formats)
    return "\n".join(lines)
