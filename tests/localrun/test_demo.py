"""The local demo runs the dev stack's pipeline end to end and leaves nothing behind."""

import contextlib
import io
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from handlers.contract import ImageStatus
from localrun.demo import DEMO_USER, main
from localrun.samples import samples


@dataclass(frozen=True)
class DemoRun:
    code: int
    output: str
    out: Path
    environment_before: dict[str, str]
    environment_after: dict[str, str]
    threads_before: int
    threads_after: int


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """One run of ``python -m localrun.demo --stack dev`` (it takes a few seconds), observed from outside."""
    out = tmp_path_factory.mktemp("demo")
    environment_before, threads_before = dict(os.environ), threading.active_count()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["--stack", "dev", "--out", str(out)])
    return DemoRun(
        code, printed.getvalue(), out, environment_before, dict(os.environ), threads_before, threading.active_count()
    )


def test_demo_reports_each_sample_with_its_expected_status(demo: DemoRun) -> None:
    # WHEN the demo has run on the dev stack
    summary = demo.output.split("\nsummary:\n", 1)[1].splitlines()
    # THEN it succeeded and the summary gives each sample the status it should have
    assert demo.code == 0
    for sample in samples():
        (line,) = [line for line in summary if line.startswith(f"{sample.expected:<9}  {sample.file_name}  (")]
        assert line


def test_demo_shows_a_redelivered_event_changes_nothing(demo: DemoRun) -> None:
    assert "redelivered the first event (S3 delivers at least once): item unchanged" in demo.output


def test_demo_copies_the_renditions_of_every_completed_sample(demo: DemoRun) -> None:
    # THEN each completed sample has one folder of renditions under renditions/demo-user/, readable images
    copied = sorted((demo.out / "renditions" / DEMO_USER).rglob("*.*"))
    completed = [s for s in samples() if s.expected == ImageStatus.COMPLETED]
    assert len({path.parent for path in copied}) == len(completed)
    assert {path.name for path in copied} >= {"thumbnail.jpg", "small.webp", "preview.jpg", "preview.png"}
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
    # WHEN the demo has run, THEN its metrics section counts what the summary shows happened
    metrics = demo.output.split("metrics the CloudWatch filters would record", 1)[1].splitlines()
    completed = sum(1 for s in samples() if s.expected == ImageStatus.COMPLETED)
    rejected = sum(1 for s in samples() if s.expected == ImageStatus.REJECTED)

    def reading(name: str) -> str:
        (line,) = [line for line in metrics if line.split()[:1] == [name]]
        return line.split(None, 2)[2]

    assert reading("SuccessfulProcesses") == str(completed)
    assert reading("RejectedUploads") == str(rejected)
    assert reading("LambdaErrors") == "0 (default: no line matched)"
    assert reading("ImageProcessingTime").startswith(f"{completed} datapoints")
