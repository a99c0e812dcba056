"""The reprocessing function's real log lines, through the filters the dev stack renders, give the
dashboard's reprocessing counts: what the job's completion report will say, as it runs. And none of its
lines reach the image processor's metrics, which the paging alarms watch."""

import json
from typing import Any

import pytest

from components.monitoring.catalogue import LOG_METRICS, REPROCESS_LOG_METRICS
from handlers import contract
from handlers.image_processor import aws_clients
from logfilter import evaluate_metric
from offline.runtime import evaluate_program
from tests.handler import images
from tests.handler.deployment import Deployment
from tests.handler.failures import fail_call
from tests.reprocess.batch import invoke, task


@pytest.fixture(scope="module")
def rendered_filters() -> dict[str, dict[str, Any]]:
    filters = evaluate_program("dev").of_type("aws:cloudwatch/logMetricFilter:LogMetricFilter")
    return {f.inputs["metricTransformation"]["name"]: f.inputs for f in filters}


def published(rendered: dict[str, dict[str, Any]], metric: str, lines: list[str]) -> float:
    f = rendered[metric]
    transformation = f["metricTransformation"]
    return evaluate_metric(f["pattern"], transformation["value"], lines, float(transformation["defaultValue"])).sum


@pytest.fixture
def job_lines(aws: Deployment, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """A job over two rendered photos (renditions changed since), a current one, a corrupt one, a throttled one."""
    photos = [aws.upload(f"{n}.jpg", images.jpeg((800, 400))) for n in ("a", "b", "throttled")]
    broken = aws.upload("broken.jpg", images.truncated_jpeg())
    for upload in (*photos, broken):
        aws.invoke(upload.event())
    monkeypatch.setenv(contract.ENV_RENDITIONS, json.dumps([{"name": "thumbnail", "width": 150, "height": 150}]))
    current = aws.upload("current.jpg", images.jpeg((800, 400)))
    aws.invoke(current.event())
    capsys.readouterr()
    invoke(task(photos[0]), task(photos[1]), task(current), task(broken))
    fail_call(monkeypatch, aws_clients().dynamodb, "get_item", "ThrottlingException")
    invoke(task(photos[2]))
    return [line for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_the_reprocessing_metrics_count_each_kind_of_task_result(
    rendered_filters: dict[str, dict[str, Any]], job_lines: list[str]
) -> None:
    assert {m.name: published(rendered_filters, m.name, job_lines) for m in REPROCESS_LOG_METRICS} == {
        "ReprocessRendered": 2,
        "ReprocessSucceeded": 3,
        "ReprocessTemporaryFailures": 1,
        "ReprocessPermanentFailures": 1,
    }


def test_the_filters_read_the_reprocessing_functions_log_group_and_the_processors_read_its_own(
    rendered_filters: dict[str, dict[str, Any]],
) -> None:
    groups = {name: f["logGroupName"] for name, f in rendered_filters.items()}
    assert {groups[m.name] for m in REPROCESS_LOG_METRICS} == {"/aws/lambda/imagepipe-dev-image-reprocess"}
    assert {groups[m.name] for m in LOG_METRICS} == {"/aws/lambda/imagepipe-dev-image-processor"}
