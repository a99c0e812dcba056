"""The rendition benchmark still runs end to end (on a tiny image; no timing is asserted)."""

import math
from pathlib import Path

from PIL import Image

from benchmarks import renditions
from benchmarks.baseline import naive_renditions
from benchmarks.photos import jpeg_bytes, orientation_exif, photo_like
from handlers.imaging import DEFAULT_RENDITIONS, OutputFormat, process_image
from tests.imaging.outputs import LIMITS


def test_benchmark_case_measures_both_implementations_and_reports_them(tmp_path: Path) -> None:
    # GIVEN a small EXIF-rotated photo-like JPEG
    data = jpeg_bytes(photo_like(320, 240, seed=1), exif=orientation_exif(6))
    case = renditions.Case("tiny rotated JPEG", lambda: data, is_target=True)
    # WHEN the benchmark runs it once per implementation, each in a fresh interpreter
    result = renditions.run_case(case, case.make(), tmp_path, rounds=1)
    # THEN both measurements are complete and the handler's output size is what it returns in-process
    expected_bytes = sum(len(r.data) for r in process_image(data, DEFAULT_RENDITIONS, LIMITS).renditions)
    assert result.handler.output_bytes == expected_bytes
    assert result.baseline.output_bytes == sum(len(out[2]) for out in naive_renditions(data, DEFAULT_RENDITIONS))
    for measurement in (result.handler, result.baseline):
        assert measurement.median_ms > 0 and measurement.median_cpu_ms > 0
        assert measurement.peak_rss_mib >= measurement.idle_rss_mib > 0
    assert 0 < result.quality.handler < math.inf
    report = renditions.format_case(result) + "\n" + renditions.format_targets(result)
    assert "tiny rotated JPEG" in report
    assert "baseline/handler" in report
    assert "Targets on tiny rotated JPEG" in report


def test_psnr_is_infinite_for_identical_images_and_drops_with_error() -> None:
    image = Image.new("RGB", (10, 10), (100, 100, 100))
    slightly_off = Image.new("RGB", (10, 10), (101, 100, 100))
    far_off = Image.new("RGB", (10, 10), (150, 100, 100))
    assert renditions.psnr(image, image) == math.inf
    assert renditions.psnr(slightly_off, image) > renditions.psnr(far_off, image)
    # one level off in one band of three: MSE 1/3
    assert math.isclose(renditions.psnr(slightly_off, image), 10 * math.log10(255**2 * 3))


def test_baseline_makes_the_same_renditions_as_the_handler() -> None:
    # The comparison is only fair if both produce the same set of outputs.
    data = jpeg_bytes(photo_like(200, 150, seed=2))
    theirs = [(name, fmt) for name, fmt, _ in naive_renditions(data, DEFAULT_RENDITIONS)]
    ours = [(r.name, r.format) for r in process_image(data, DEFAULT_RENDITIONS, LIMITS).renditions]
    assert sorted(theirs) == sorted(ours)
    assert {fmt for _, fmt in ours} == {OutputFormat.JPEG, OutputFormat.WEBP}


def test_import_time_is_measured_in_a_fresh_interpreter() -> None:
    assert renditions.import_time_ms(runs=1) > 0
