"""What each crafted attack costs Pillow alone, and what it costs the image core.

    python -m benchmarks.hostile [--quick]        (python3 tasks.py bench-hostile)

Each file is built by ``tests.imaging.crafted`` (the same factories the tests use), at the size
the figures in ``handlers.imaging.structure.limits`` were measured at, or a tenth of it with
--quick. "Pillow alone" opens and loads the file as the core did before its structure checks
(for the ICC case: builds the LittleCMS transform from the profile as it comes); "core" runs
``process_image`` with the default renditions and caps. CPU seconds of this process, so other
load on the machine hardly moves them. The full run takes a few minutes: that is the point.
"""

import argparse
import io
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import PIL
from PIL import Image, ImageCms

from handlers.contract import DEFAULT_MAX_OBJECT_BYTES, DEFAULT_MAX_PIXELS
from handlers.imaging import DEFAULT_RENDITIONS, Limits, Rejected, process_image
from handlers.imaging.structure.limits import MAX_JPEG_SCANS
from tests.imaging import crafted

MIB = 1 << 20


@dataclass(frozen=True)
class Attack:
    name: str  # {n} stands for the scale
    make: Callable[[int], bytes]  # scale -> the file
    full: int
    quick: int


def _pillow_decodes(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        image.load()


def _icc_png(elements: int) -> bytes:
    return crafted.png_with_icc_chunk(crafted.linear_rgb_profile_with_float_lut(elements))


def _lcms_builds_a_transform(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"]))
    ImageCms.buildTransform(profile, ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")), "RGB", "RGB")


ATTACKS: tuple[Attack, ...] = (
    Attack(
        "JPEG 4000x4000, last scan repeated {n} times",
        lambda n: crafted.jpeg_repeating_its_last_scan(n, (4000, 4000)),
        3000,
        300,
    ),
    Attack("JPEG, {n} empty comment segments", crafted.jpeg_with_segments_before_the_frame, 12_000_000, 1_200_000),
    Attack(
        "JPEG, {n} fill bytes",
        lambda n: crafted.jpeg_with_segments_before_the_frame(n, b"\xff"),
        40_000_000,
        4_000_000,
    ),
    Attack("PNG, {n} empty chunks", crafted.png_with_chunks_before_the_image_data, 4_000_000, 400_000),
    Attack("PNG, image data in {n} chunks", crafted.png_with_image_data_split_into, 4_000_000, 400_000),
    Attack("PNG, {n} iCCP chunks of 1 MiB inflated", crafted.png_with_compressed_chunks, 10_000, 1_000),
    Attack("GIF, comment of {n} one-byte blocks", crafted.gif_with_a_comment_of_one_byte_blocks, 24_000_000, 2_400_000),
    Attack("GIF, {n} stray bytes", crafted.gif_with_stray_bytes, 40_000_000, 4_000_000),
    Attack("WebP, {n} frames (the cost is memory)", crafted.webp_with_frames, 600_000, 60_000),
    Attack("PNG, ICC profile chaining {n} float LUT steps", _icc_png, 8_000, 1_000),
)
_PILLOW_ALONE: dict[str, Callable[[bytes], None]] = {ATTACKS[-1].name: _lcms_builds_a_transform}


@dataclass(frozen=True)
class Cost:
    attack: str
    scale: int
    file_bytes: int
    pillow_seconds: float
    core_seconds: float
    outcome: str


def cpu_seconds(run: Callable[[], object]) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def _core(data: bytes) -> str:
    limits = Limits(max_bytes=DEFAULT_MAX_OBJECT_BYTES, max_pixels=DEFAULT_MAX_PIXELS)
    try:
        process_image(data, DEFAULT_RENDITIONS, limits)
    except Rejected as rejected:
        return str(rejected)
    return "renditions made"


def measure(attack: Attack, scale: int) -> Cost:
    data = attack.make(scale)
    alone = _PILLOW_ALONE.get(attack.name, _pillow_decodes)
    outcome: list[str] = []
    core = cpu_seconds(lambda: outcome.append(_core(data)))
    return Cost(attack.name, scale, len(data), cpu_seconds(lambda: alone(data)), core, outcome[0])


def worst_accepted_jpeg(side: int) -> Cost:
    """A grey JPEG of side x side with as many scans as allowed, all but the first 6 the costliest
    kind (an AC refinement of the whole image): the most scan work the core accepts."""
    data = crafted.jpeg_repeating_its_last_scan(MAX_JPEG_SCANS - 6, (side, side))
    outcome: list[str] = []
    core = cpu_seconds(lambda: outcome.append(_core(data)))
    name = f"JPEG {side}x{side}, {MAX_JPEG_SCANS} scans (accepted)"
    return Cost(name, MAX_JPEG_SCANS, len(data), cpu_seconds(lambda: _pillow_decodes(data)), core, outcome[0])


def format_cost(cost: Cost) -> str:
    return (
        f"  {cost.attack.format(n=f'{cost.scale:,}'):58}{cost.file_bytes / MIB:9.1f} MiB"
        f"{cost.pillow_seconds:11.2f} s{cost.core_seconds:9.2f} s   {cost.outcome[:90]}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a tenth of each attack's size")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}, Pillow {PIL.__version__}; CPU seconds of this process\n")
    print(f"  {'attack':58}{'file':>13}{'Pillow alone':>13}{'core':>11}   outcome", flush=True)
    for attack in ATTACKS:
        print(format_cost(measure(attack, attack.quick if args.quick else attack.full)), flush=True)
    side = 2000 if args.quick else 7071  # 7071 x 7071: just under the 50 MP cap
    print(format_cost(worst_accepted_jpeg(side)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
