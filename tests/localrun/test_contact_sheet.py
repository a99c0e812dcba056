"""The contact sheet shows a run's report as a page, with every piece of text escaped and every path quoted."""

import html
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from handlers.contract import ImageStatus
from localrun.contact_sheet import render_contact_sheet
from localrun.metrics_report import describe, read_metrics
from localrun.results import DemoReport, ImageResult
from localrun.samples import Sample
from tests.localrun.page import Section, read_page

FOLDER = Path("/somewhere/out/demo")
HOSTILE_NAME = 'Tom & Jerry <em>"bold"</em> 100%+ café.png'


def _result(file_name: str, status: str, item: dict[str, Any], files: tuple[Path, ...] = ()) -> ImageResult:
    sample = Sample(file_name, b"", "image/png", f"about {file_name}", ImageStatus.COMPLETED)
    return ImageResult(sample, f"uploads/u/{file_name}", status, item, files)


def _completed(file_name: str, folder: str) -> ImageResult:
    renditions = [
        {"name": "thumbnail", "format": "png", "width": 150, "height": 75, "bytes": 1521},
        {"name": "preview", "format": "webp", "width": 640, "height": 320, "bytes": 2304},
    ]
    files = (FOLDER / folder / "thumbnail.png", FOLDER / folder / "preview.webp")
    item = {
        "format": "PNG",
        "width": 640,
        "height": 320,
        "size_bytes": 2022,
        "renditions": renditions,
        "timings_ms": {"total": 42},
    }
    return _result(file_name, ImageStatus.COMPLETED, item, files)


def _report(*results: ImageResult) -> DemoReport:
    return DemoReport("dev", "uploads/u/", results, True, "imagepipe/dev", tuple(read_metrics([])))


def _section(page_sections: list[Section], file_name: str) -> Section:
    (section,) = [s for s in page_sections if s.heading.endswith(f" {file_name}")]
    return section


def test_file_names_and_reasons_are_escaped_not_markup() -> None:
    # GIVEN a completed upload and a rejected one whose names and detail hold <, &, quotes
    rejected_name = "<script>alert(1)</script>.jpg"
    report = _report(
        _completed(HOSTILE_NAME, "renditions/u/id/v1"),
        _result(rejected_name, ImageStatus.REJECTED, {"reason": "corrupt", "detail": "bad <marker> & more"}),
    )
    # WHEN the page is rendered
    source = render_contact_sheet(report, FOLDER)
    # THEN the source holds them escaped, never as tags
    assert html.escape(HOSTILE_NAME) in source
    assert html.escape(rejected_name) in source
    assert "<em" not in source and "<script" not in source and "<marker>" not in source
    # AND a browser shows them exactly as they are
    page = read_page(source)
    assert _section(page.sections, HOSTILE_NAME).heading == f"completed {HOSTILE_NAME}"
    rejected = _section(page.sections, rejected_name)
    assert rejected.heading == f"rejected {rejected_name}"
    assert "reason corrupt bad <marker> & more" in " ".join(rejected.text.split())


def test_each_rendition_is_an_image_with_a_quoted_relative_src_and_its_size() -> None:
    # GIVEN renditions copied to a folder whose path needs quoting (space, percent, plus, unicode)
    report = _report(_completed("logo.png", "renditions/u/a b%+é"))
    # WHEN the page is rendered
    page = read_page(render_contact_sheet(report, FOLDER))
    section = _section(page.sections, "logo.png")
    # THEN each rendition is an <img> whose src is the file's path relative to the folder, URL-quoted
    assert [image["src"] for image in section.images] == [
        "renditions/u/a%20b%25%2B%C3%A9/thumbnail.png",
        "renditions/u/a%20b%25%2B%C3%A9/preview.webp",
    ]
    assert [FOLDER / unquote(image["src"]) for image in section.images] == list(report.results[0].files)
    # AND the image's declared size and its caption give the rendition's width, height and bytes
    assert [(image["width"], image["height"]) for image in section.images] == [("150", "75"), ("640", "320")]
    assert section.captions == ["thumbnail PNG 150x75, 1,521 bytes", "preview WEBP 640x320, 2,304 bytes"]
    assert "uploaded PNG 640x320, 2,022 bytes; 2 renditions, 3,825 bytes, in 42 ms" in section.text


def test_a_failed_upload_shows_its_error_and_an_unexpected_outcome_is_flagged() -> None:
    report = _report(_result("busy.jpg", "failed", {"error_code": "SlowDown", "error_message": "Reduce <rate>"}))
    section = _section(read_page(render_contact_sheet(report, FOLDER)).sections, "busy.jpg")
    assert section.heading == "failed busy.jpg"
    assert "SlowDown Reduce <rate>" in section.text
    assert "expected completed" in section.text


def test_metrics_table_has_a_row_per_metric_as_the_terminal_describes_it() -> None:
    report = _report(_completed("logo.png", "renditions/u/id/v1"))
    page = read_page(render_contact_sheet(report, FOLDER))
    (metrics,) = [s for s in page.sections if s.heading.startswith("Metrics the CloudWatch filters would record")]
    assert metrics.rows == [
        ["metric", "unit", "recorded", "filter pattern"],
        *([r.metric.name, r.metric.unit.value, describe(r), r.metric.filter_pattern] for r in report.metrics),
    ]
    assert "namespace imagepipe/dev" in metrics.text


def test_page_is_self_contained() -> None:
    # THEN nothing is fetched or run: no scripts or external resources, every link relative to the folder
    page = read_page(render_contact_sheet(_report(_completed("logo.png", "renditions/u/id/v1")), FOLDER))
    assert page.tags.isdisjoint({"script", "link", "iframe", "object", "embed", "base"})
    assert page.links and all(":" not in link and not link.startswith(("/", "..")) for link in page.links)
