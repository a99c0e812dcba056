"""The local demo runs the dev stack's pipeline end to end and leaves nothing behind."""

import contextlib
import html
import io
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest
from PIL import Image

from components.monitoring.catalogue import LOG_METRICS
from handlers.contract import UPLOAD_PREFIX, ImageStatus
from handlers.key_layout import image_id_for
from localrun.demo import DEMO_USER, main
from localrun.output_folder import MARKER
from localrun.samples import Sample, samples
from tests.localrun.page import Page, read_page
from tests.localrun.scene import is_grass, is_sky, read_scene

# The image the API tour takes through the pipeline besides the samples.
API_TOUR_IMAGES = 1
# The photo uploaded after the renditions change, rendered by the image processor with the new set.
AFTER_CHANGE_IMAGES = 1
# The renditions after the demo's change (localrun/reprocess_tour.py): `small` dropped, `avatar` (WebP) added.
RENDITIONS_AFTER_THE_JOB = ("thumbnail", "preview", "avatar")
# What an earlier run left in the output folder; this run must not show or keep any of it.
STALE = ("renditions/demo-user/0ld-image/0ld-version/preview.jpg", "notes-from-an-earlier-run.txt")


@dataclass(frozen=True)
class DemoRun:
    code: int
    output: str
    out: Path
    environment_before: dict[str, str]
    environment_after: dict[str, str]
    threads_before: int
    threads_after: int
    samples: tuple[Sample, ...]
    """The samples the demo uploads (drawing them takes a second, so once per module)."""

    @property
    def page_source(self) -> str:
        return (self.out / "index.html").read_text(encoding="utf-8")

    @property
    def page(self) -> Page:
        return read_page(self.page_source)

    def summary_line(self, file_name: str) -> str:
        """The line of the printed summary that gives the sample's status."""
        summary = self.output.split("\nsummary:\n", 1)[1].splitlines()
        (line,) = [line for line in summary if line[11:].startswith(f"{file_name}  (")]
        return line

    def printed_metric(self, name: str) -> str:
        """What the printed metrics section says the metric recorded."""
        metrics = self.output.split("metrics the CloudWatch filters would record", 1)[1].splitlines()
        (line,) = [line for line in metrics if line.split()[:1] == [name]]
        return line.split(None, 2)[2]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """One run of ``python -m localrun.demo --stack dev`` (it takes a few seconds), observed from outside.

    Its output folder is one an earlier run wrote: it has the demo's marker and stale files.
    """
    out = tmp_path_factory.mktemp("demo")
    (out / MARKER).write_text("written by an earlier run")
    for stale in STALE:
        (out / stale).parent.mkdir(parents=True, exist_ok=True)
        (out / stale).write_bytes(b"stale")
    environment_before, threads_before = dict(os.environ), threading.active_count()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["--stack", "dev", "--out", str(out)])
    threads_after = threading.active_count()
    return DemoRun(
        code, printed.getvalue(), out, environment_before, dict(os.environ), threads_before, threads_after,
        tuple(samples()),
    )  # fmt: skip


def test_demo_reports_each_sample_with_its_expected_status(demo: DemoRun) -> None:
    # WHEN the demo has run on the dev stack
    # THEN it succeeded and the summary gives each sample the status it should have
    assert demo.code == 0
    for sample in demo.samples:
        assert demo.summary_line(sample.file_name).startswith(f"{sample.expected:<9}  {sample.file_name}  (")


def test_demo_shows_a_redelivered_event_changes_nothing(demo: DemoRun) -> None:
    assert "redelivered the first event (S3 delivers at least once): item unchanged" in demo.output


def test_demo_copies_the_renditions_of_every_completed_sample_as_the_job_left_them(demo: DemoRun) -> None:
    # THEN each completed sample has one folder of renditions under renditions/demo-user/, readable images,
    # the set the stack makes after the renditions change: no `small`, an `avatar`
    copied = sorted((demo.out / "renditions" / DEMO_USER).rglob("*.*"))
    completed = [s for s in demo.samples if s.expected == ImageStatus.COMPLETED]
    assert len({path.parent for path in copied}) == len(completed)
    assert {path.name for path in copied} >= {"thumbnail.jpg", "avatar.webp", "preview.jpg", "preview.png"}
    assert not [path for path in copied if path.name.startswith("small.")]
    for path in copied:
        with Image.open(path) as image:
            assert max(image.size) <= 800


def test_demo_leaves_environment_as_it_found_it(demo: DemoRun) -> None:
    assert demo.environment_after == demo.environment_before


def test_demo_leaves_no_server_thread_running(demo: DemoRun) -> None:
    assert demo.threads_after == demo.threads_before


def test_unknown_stack_is_an_error_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--stack", "nope", "--out", str(tmp_path)]) == 2
    assert "Pulumi.nope.yaml does not exist" in capsys.readouterr().err


def test_demo_prints_the_metrics_the_filters_would_record_from_its_log_lines(demo: DemoRun) -> None:
    # WHEN the demo has run, THEN its metrics section counts what the summary shows happened, from the image
    # processor's lines only (the reprocessing function's lines go to a log group of their own)
    # (and the image the API tour uploads, processes and deletes, and the one uploaded after the change)
    completed = (
        sum(1 for s in demo.samples if s.expected == ImageStatus.COMPLETED) + API_TOUR_IMAGES + AFTER_CHANGE_IMAGES
    )
    rejected = sum(1 for s in demo.samples if s.expected == ImageStatus.REJECTED)
    assert demo.printed_metric("SuccessfulProcesses") == str(completed)
    assert demo.printed_metric("RejectedUploads") == str(rejected)
    assert demo.printed_metric("LambdaErrors") == "0 (default: no line matched)"
    assert demo.printed_metric("ImageProcessingTime").startswith(f"{completed} datapoints")


def test_demo_empties_its_output_folder_of_an_earlier_runs_files(demo: DemoRun) -> None:
    # GIVEN the output folder held an earlier run's files, WHEN the demo has run, THEN they are gone
    assert [stale for stale in STALE if (demo.out / stale).exists()] == []
    # AND the folder stays marked as the demo's, so the next run may empty it again
    assert (demo.out / MARKER).is_file()
    assert {path.name for path in demo.out.iterdir()} == {MARKER, "index.html", "renditions", "alerts"}


def test_demo_refuses_an_output_folder_it_did_not_make_and_leaves_it_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a folder of someone's files, as --out ~ or --out . would name
    (tmp_path / "thesis.tex").write_text("years of work")
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "holiday.jpg").write_bytes(b"jpeg")
    before = sorted((p.relative_to(tmp_path), p.is_file() and p.read_bytes()) for p in tmp_path.rglob("*"))
    # WHEN the demo is pointed at it
    code = main(["--stack", "dev", "--out", str(tmp_path)])
    # THEN it stops with an error naming the folder, before doing anything, and the folder is as it was
    assert code == 2
    captured = capsys.readouterr()
    assert f"error: refusing to empty {tmp_path}: it is not empty and has no {MARKER} file" in captured.err
    assert captured.out == ""
    assert sorted((p.relative_to(tmp_path), p.is_file() and p.read_bytes()) for p in tmp_path.rglob("*")) == before


def test_phone_portrait_renditions_come_out_upright(demo: DemoRun) -> None:
    # GIVEN the phone photo, stored sideways with EXIF Orientation 6
    folder = demo.out / "renditions" / DEMO_USER / image_id_for(f"{UPLOAD_PREFIX}{DEMO_USER}/phone-portrait.jpg")
    renditions = sorted(path for path in folder.rglob("*") if path.is_file())
    names = {f"{name}.{ext}" for name in ("thumbnail", "preview") for ext in ("jpg", "webp")} | {"avatar.webp"}
    assert {path.name for path in renditions} == names
    for path in renditions:
        with Image.open(path) as image:
            # THEN every rendition is a 2:3 portrait, taller than wide
            width, height = image.size
            assert height > width and abs(width / height - 2 / 3) < 0.01, (path.name, image.size)
            # AND the right way up: sky along the top, grass along the bottom, the lighthouse left of centre
            scene = read_scene(image)
        assert is_sky(scene.top), (path.name, scene)
        assert is_grass(scene.bottom), (path.name, scene)
        assert scene.red_left > 0 and scene.red_right == 0, (path.name, scene)


def test_contact_sheet_lists_each_sample_with_its_status(demo: DemoRun) -> None:
    # WHEN the demo has run, THEN its page has one card per sample, headed by its status and escaped file name
    page, source = demo.page, demo.page_source
    headings = [section.heading for section in page.sections[: len(demo.samples)]]
    assert headings == [f"{sample.expected} {sample.file_name}" for sample in demo.samples]
    for sample in demo.samples:
        assert f"<code>{html.escape(sample.file_name)}</code>" in source
        assert sample.description in page.sections[headings.index(f"{sample.expected} {sample.file_name}")].text


def test_contact_sheet_shows_every_copied_rendition_with_its_size(demo: DemoRun) -> None:
    # WHEN the demo has run
    root = demo.out.resolve()
    copied = sorted(path for path in (root / "renditions").rglob("*") if path.is_file())
    figures = [
        (image, caption)
        for section in demo.page.sections
        for image, caption in zip(section.images, section.captions, strict=True)
    ]
    # THEN each copied rendition is one <img> whose src resolves to it, inside the out folder
    shown = [(root / unquote(image["src"])).resolve() for image, _ in figures]
    assert sorted(shown) == copied
    assert all(path.is_relative_to(root) for path in shown)
    # AND its declared widthxheight are the file's pixels, its caption the file's real size and bytes
    for (image, caption), path in zip(figures, shown, strict=True):
        with Image.open(path) as rendition:
            assert (int(image["width"]), int(image["height"])) == rendition.size
            assert f"{rendition.width}x{rendition.height}, {path.stat().st_size:,} bytes" in caption


def test_contact_sheet_gives_the_rejection_reason_the_summary_prints(demo: DemoRun) -> None:
    # GIVEN the summary's reason and detail for the cut-short JPEG
    match = re.search(r"\(reason: (\w+); (.+)\)$", demo.summary_line("cut-short.jpg"))
    assert match and match[1] == "corrupt" and "truncated" in match[2]
    # THEN its card on the page says the same, and shows no renditions
    (card,) = [section for section in demo.page.sections if section.heading == "rejected cut-short.jpg"]
    assert f"reason {match[1]} {match[2]}" in " ".join(card.text.split())
    assert card.images == []


def test_contact_sheet_holds_the_metrics_table_the_terminal_prints(demo: DemoRun) -> None:
    # WHEN the demo has run, THEN the page ends with the metrics table and the alert emails
    metrics = demo.page.sections[-2]
    assert metrics.heading == "Metrics the CloudWatch filters would record from this run's log lines"
    header, *rows = metrics.rows
    assert header == ["metric", "unit", "recorded", "filter pattern"]
    # THEN it has a row per log metric, recording what the terminal printed for it
    assert [row[0] for row in rows] == [metric.name for metric in LOG_METRICS]
    for (name, unit, recorded, pattern), metric in zip(rows, LOG_METRICS, strict=True):
        assert (unit, pattern) == (metric.unit.value, metric.filter_pattern)
        assert recorded == demo.printed_metric(name)
    completed = (
        sum(1 for s in demo.samples if s.expected == ImageStatus.COMPLETED) + API_TOUR_IMAGES + AFTER_CHANGE_IMAGES
    )
    assert {row[0]: row[2] for row in rows}["SuccessfulProcesses"] == str(completed)


def test_demo_takes_one_image_through_the_image_api_and_deletes_it(demo: DemoRun) -> None:
    tour = demo.output.split("one image through the image API", 1)[1].splitlines()[1:10]
    answers = [(line[2:24].strip(), line[25:28]) for line in tour[:8]]
    assert answers == [
        ("sign in (Cognito)", "200"),
        ("POST /images", "201"),
        ("POST to S3 (form)", "204"),
        ("GET /images/{id}", "200"),
        ("GET rendition URL", "200"),
        ("GET /images", "200"),
        ("DELETE /images/{id}", "204"),
        ("GET /images/{id}", "404"),
    ]
    assert "signature checked" in tour[0]
    assert tour[8].strip() == "versions of the original left after DELETE: 0"


# --- reprocessing after the renditions change ---


def job_report(demo: DemoRun) -> list[str]:
    """The printed report of the S3 Batch Operations job, up to its metrics."""
    section = demo.output.split("an S3 Batch Operations job after the renditions changed", 1)[1]
    return section.split("metrics the CloudWatch filters would record", 1)[0].splitlines()[1:]


def test_the_job_renders_every_completed_sample_again_and_fails_the_rejected_one_with_its_reason(
    demo: DemoRun,
) -> None:
    report = job_report(demo)
    assert report[0].startswith("renditions changed: dropped small, added avatar (96x96 webp); fingerprint ")
    # one manifest line per image the table records: the samples and the photo uploaded after the change
    assert report[1].endswith(f": {len(demo.samples) + AFTER_CHANGE_IMAGES} lines, delivered 4 at a time")
    completed = [s.file_name for s in demo.samples if s.expected == ImageStatus.COMPLETED]
    assert report[2] == f"report: {len(completed)} rendered again, 1 already current, 1 failed"
    results = {line[19:].split(": ", 1)[0]: (line[2:18].strip(), line[19:].split(": ", 1)[1]) for line in report[3:]}
    for name in completed:
        code, text = results[name]
        assert code == "Succeeded" and text.startswith("rendered ") and "removed " in text, name
    assert results["cut-short.jpg"][0] == "PermanentFailure"
    assert results["cut-short.jpg"][1].startswith("corrupt: JPEG data unreadable")
    assert results["after-the-change.jpg"] == ("Succeeded", "already_current")


def test_the_jobs_task_results_are_the_reprocessing_metrics_the_dashboard_graphs(demo: DemoRun) -> None:
    section = demo.output.split("from the reprocessing function's log lines", 1)[1].splitlines()
    recorded = {line.split()[0]: line.split(None, 2)[2] for line in section if line.startswith("  Reprocess")}
    completed = sum(1 for s in demo.samples if s.expected == ImageStatus.COMPLETED)
    assert recorded == {
        "ReprocessRendered": str(completed),
        "ReprocessSucceeded": str(completed + AFTER_CHANGE_IMAGES),
        "ReprocessTemporaryFailures": "0 (default: no line matched)",
        "ReprocessPermanentFailures": "1",
    }


def test_contact_sheet_holds_the_jobs_report(demo: DemoRun) -> None:
    (section,) = [s for s in demo.page.sections if s.heading.startswith("Reprocessed by an S3 Batch Operations job")]
    header, *rows = section.rows
    assert header == ["original", "result code", "result string"]
    printed = job_report(demo)[3:]
    assert [f"  {code:<16} {name}: {text}" for name, code, text in rows] == printed


def test_the_alert_formatters_emails_for_one_alarm_of_each_tier_are_written_and_linked(demo: DemoRun) -> None:
    # WHEN the demo has run, THEN a section links one email per tier and the recovery, each on disk
    (alerts,) = [
        s for s in demo.page.sections if s.heading == "Alert emails the formatter composed from this run's log lines"
    ]
    header, *rows = alerts.rows
    assert header == ["tier", "state", "subject"]
    assert [(tier, state) for tier, state, _ in rows] == [
        ("critical", "ALARM"),
        ("performance", "ALARM"),
        ("log-alerts", "ALARM"),
        ("critical", "OK"),
    ]
    # The critical one is a real crossing: two uploads failed on every attempt (1 + 2 retries each).
    assert rows[0][2] == "[CRITICAL] imagepipe-dev: image function errors, 6 in 5 min (threshold 5)"
    assert rows[3][2] == "[RESOLVED] imagepipe-dev: image function errors, lasted 7 min"
    files = sorted(path.name for path in (demo.out / "alerts").iterdir())
    assert files == [
        "critical-function-errors-resolved.txt",
        "critical-function-errors.txt",
        "log-alerts-rejected-uploads.txt",
        "performance-processing-time-p99.txt",
    ]
    assert {f"alerts/{name}" for name in files} <= set(demo.page.links)
    critical = (demo.out / "alerts" / "critical-function-errors.txt").read_text(encoding="utf-8")
    assert critical.startswith(f"Subject: {rows[0][2]}\n\n")
    assert "6 matching log lines" in critical and "key: uploads/demo-user/refused-2.jpg" in critical
    rejected = (demo.out / "alerts" / "log-alerts-rejected-uploads.txt").read_text(encoding="utf-8")
    assert "key: uploads/demo-user/cut-short.jpg" in rejected and "reason: corrupt" in rejected
    for subject in (row[2] for row in rows):
        assert f"  {subject}" in demo.output
