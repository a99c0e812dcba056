"""The rendition benchmark still runs end to end (on a tiny image; no timing is asserted)."""

import math
from pathlib import Path

import pytest
from PIL import Image

from benchmarks import png_levels, renditions
from benchmarks.baseline import naive_renditions
from benchmarks.graphics import logo_like
from benchmarks.photos import jpeg_bytes, orientation_exif, photo_cut_out, photo_like, png_bytes
from handlers.imaging import DEFAULT_RENDITIONS, OutputFormat, process_image
from handlers.imaging.encode import encode
from tests.imaging.outputs import LIMITS

PNG = OutputFormat.PNG


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


def test_benchmark_reports_png_bytes_and_encoder_settings_for_a_source_with_alpha(tmp_path: Path) -> None:
    # GIVEN a small photo cut-out PNG (the PNG with alpha case, shrunk)
    data = png_bytes(photo_cut_out(96))
    case = renditions.Case("tiny cut-out PNG", lambda: data)
    # WHEN the benchmark runs it
    result = renditions.run_case(case, case.make(), tmp_path, rounds=1)
    report = renditions.format_case(result)
    # THEN it reports the PNG renditions' bytes (as the handler makes them in-process) and both encoders
    ours = sum(len(r.data) for r in process_image(data, DEFAULT_RENDITIONS, LIMITS).renditions if r.format is PNG)
    assert result.handler.format_bytes["png"] == ours
    [png_row] = [line for line in report.splitlines() if line.strip().startswith("of which PNG")]
    assert png_row.split()[3] == f"{ours:,}"
    assert f"PNG encoder: handler {png_levels.HANDLER}, baseline level 9 optimize" in report


def test_png_levels_measures_what_the_handler_encodes() -> None:
    # GIVEN the pixels of a small cut-out's largest rendition
    [largest, *_] = png_levels.rendition_pixels(photo_cut_out(96))
    # WHEN encoded at the setting the PNG level table marks as the handler's
    # THEN the bytes are exactly the handler's PNG encoding
    assert png_levels.HANDLER.encode(largest) == encode(largest, PNG)


def test_png_levels_flag_prints_every_setting_for_every_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN one small RGBA input instead of the two 2000x2000 ones
    logo = logo_like(64, 64, seed=7)
    monkeypatch.setattr(png_levels, "INPUTS", (png_levels.PngInput("tiny logo", lambda: logo),))
    # WHEN the benchmark runs with --png-levels in --quick mode
    assert renditions.main(["--quick", "--png-levels"]) == 0
    out = capsys.readouterr().out
    # THEN there is one row per compress_level 0-9, without and with optimize, each with its
    # bytes: the sum over the input's renditions; the handler's, Pillow's default and the baseline's are marked
    assert "tiny logo: renditions 64x64" in out
    assert "median of 1 round(s)" in out
    pixels = png_levels.rendition_pixels(logo)
    for level in range(10):
        for setting in (png_levels.PngSetting(level), png_levels.PngSetting(level, optimize=True)):
            expected = sum(len(setting.encode(image)) for image in pixels)
            [row] = [line for line in out.splitlines() if line.startswith(f"  {setting!s:18}")]
            assert f"{expected:,}" in row.split()
    [handler_row] = [line for line in out.splitlines() if "<- handler" in line]
    assert handler_row.startswith(f"  {png_levels.HANDLER!s:18}")
    assert "Pillow default" in next(line for line in out.splitlines() if line.startswith("  level 6   "))
    assert "<- baseline" in next(line for line in out.splitlines() if line.startswith("  level 9 optimize"))


def test_alpha_formats_flag_compares_the_renditions_with_and_without_png(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN one small transparent input instead of the two 2000x2000 ones
    cut_out = photo_cut_out(96)
    monkeypatch.setattr(png_levels, "INPUTS", (png_levels.PngInput("tiny cut-out", lambda: cut_out),))
    # WHEN the benchmark runs with --alpha-formats in --quick mode
    assert renditions.main(["--quick", "--alpha-formats"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("  tiny cut-out")]
    # THEN the defaults write PNG besides JPEG and WebP for it, and the other run writes no PNG, fewer bytes
    with_png, without = rows
    assert with_png.split()[-3:] == ["jpeg", "png", "webp"] and " with " in with_png
    assert without.split()[-2:] == ["jpeg", "webp"] and " without " in without
    assert int(without.split()[-3].replace(",", "")) < int(with_png.split()[-4].replace(",", ""))
