"""PNG encoder settings, measured on the pixels the handler actually hands the PNG encoder.

    python -m benchmarks.renditions --png-levels [--quick]

For each RGBA input (the rendition benchmark's photo cut-out, and a logo: PNG renditions exist
only for sources with transparency, mostly graphics) the handler's own colour and resize steps
make the default renditions; each setting (compress_level 0-9, without and with optimize=True)
then encodes all of them. Prints the median wall and CPU ms and the total bytes per setting,
with CPU time and bytes as ratios to level 6, Pillow's default (the encoder is single-threaded:
its CPU time is what it costs, wall time adds whatever else the machine runs). Settings take
turns within each round, so a burst of load hits them alike. Pillow's optimize=True deflates at
level 9 whatever compress_level says, and also tries the Average filter on every row.
"""

import io
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image

from benchmarks.graphics import logo_like
from benchmarks.photos import photo_cut_out
from handlers.imaging import DEFAULT_RENDITIONS
from handlers.imaging.color import to_srgb
from handlers.imaging.encode import PNG_COMPRESS_LEVEL, PNG_OPTIMIZE
from handlers.imaging.resize import cascade, fit_within

FULL_ROUNDS = 5
QUICK_ROUNDS = 1
LEVELS = range(10)


@dataclass(frozen=True)
class PngSetting:
    compress_level: int
    optimize: bool = False

    def encode(self, image: Image.Image) -> bytes:
        buffer = io.BytesIO()
        image.save(buffer, "PNG", compress_level=self.compress_level, optimize=self.optimize)
        return buffer.getvalue()

    def __str__(self) -> str:
        return f"level {self.compress_level}" + (" optimize" if self.optimize else "")


SETTINGS: tuple[PngSetting, ...] = tuple(PngSetting(level, optimize) for optimize in (False, True) for level in LEVELS)
PILLOW_DEFAULT = PngSetting(6)
HANDLER = PngSetting(PNG_COMPRESS_LEVEL, PNG_OPTIMIZE)
BASELINE = PngSetting(9, optimize=True)  # benchmarks.baseline: optimize=True, which deflates at 9
_NAMED_SETTINGS = (("handler", HANDLER), ("Pillow default", PILLOW_DEFAULT), ("baseline", BASELINE))


@dataclass(frozen=True)
class PngInput:
    name: str
    make: Callable[[], Image.Image]  # the upload's pixels, RGBA


INPUTS: tuple[PngInput, ...] = (
    PngInput("photo cut-out 2000x2000 (the PNG with alpha case)", lambda: photo_cut_out(2000)),
    PngInput("logo 2000x2000", lambda: logo_like(2000, 2000, seed=7)),
)


@dataclass(frozen=True)
class SettingResult:
    median_ms: float
    median_cpu_ms: float
    output_bytes: int


def rendition_pixels(source: Image.Image) -> list[Image.Image]:
    """What the handler encodes for DEFAULT_RENDITIONS: sRGB, resized largest first, each from the last."""
    pixels = to_srgb(source)
    sizes = {fit_within(pixels.size, (spec.width, spec.height)) for spec in DEFAULT_RENDITIONS}
    return [image for _, image in cascade(pixels, sorted(sizes, reverse=True))]


def measure(renditions: Sequence[Image.Image], rounds: int) -> dict[PngSetting, SettingResult]:
    """Each setting encodes every rendition once per round, settings taking turns."""
    wall: dict[PngSetting, list[float]] = {setting: [] for setting in SETTINGS}
    cpu: dict[PngSetting, list[float]] = {setting: [] for setting in SETTINGS}
    sizes: dict[PngSetting, int] = {}
    for _ in range(rounds):
        for setting in SETTINGS:
            start, cpu_start = time.perf_counter(), time.process_time()
            sizes[setting] = sum(len(setting.encode(image)) for image in renditions)
            wall[setting].append((time.perf_counter() - start) * 1000)
            cpu[setting].append((time.process_time() - cpu_start) * 1000)
    return {
        setting: SettingResult(statistics.median(wall[setting]), statistics.median(cpu[setting]), sizes[setting])
        for setting in SETTINGS
    }


def format_table(name: str, renditions: Sequence[Image.Image], results: dict[PngSetting, SettingResult]) -> str:
    sizes = ", ".join(f"{image.width}x{image.height}" for image in renditions)
    reference = results[PILLOW_DEFAULT]
    lines = [
        f"{name}: renditions {sizes}",
        f"  {'setting':18}{'ms':>9}{'CPU ms':>9}{'bytes':>12}{'CPU vs 6':>10}{'bytes vs 6':>12}",
    ]
    for setting, result in results.items():
        marks = [label for label, named in _NAMED_SETTINGS if setting == named]
        lines.append(
            f"  {setting!s:18}{result.median_ms:9.1f}{result.median_cpu_ms:9.1f}{result.output_bytes:12,}"
            f"{result.median_cpu_ms / reference.median_cpu_ms:9.2f}x"
            f"{result.output_bytes / reference.output_bytes:11.2f}x" + (f"   <- {', '.join(marks)}" if marks else "")
        )
    return "\n".join(lines)


def report(rounds: int) -> str:
    """A table for each of INPUTS; the caller prints it."""
    tables = [f"PNG encoder settings, median of {rounds} round(s); the handler encodes at {HANDLER}"]
    for source in INPUTS:
        renditions = rendition_pixels(source.make())
        tables.append(format_table(source.name, renditions, measure(renditions, rounds)))
    return "\n\n".join(tables)
