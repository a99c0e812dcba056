"""The chain from the handler's real log lines to the metrics the deployed filters would publish.

The handler runs under moto on good, rejected and failing uploads; every line it printed is fed
to the metric filters exactly as the program renders them (read from the program evaluated under
Pulumi's mocks), through the project's evaluator of CloudWatch's filter-pattern syntax.
"""

from typing import Any

import pytest

from components.monitoring.catalogue import LOG_METRICS, REPROCESS_LOG_METRICS
from emulated_aws.s3_events import s3_event
from handlers.contract import ImageStatus
from handlers.edge.errors import TransientError
from handlers.image_processor import aws_clients
from logfilter import MetricResult, evaluate_metric
from offline.runtime import evaluate_program
from tests.handler import images
from tests.handler.deployment import Deployment
from tests.handler.failures import fail_call


@pytest.fixture(scope="module")
def rendered_filters() -> dict[str, dict[str, Any]]:
    """metric name -> the LogMetricFilter inputs of the dev stack."""
    evaluation = evaluate_program("dev")
    filters = evaluation.of_type("aws:cloudwatch/logMetricFilter:LogMetricFilter")
    return {f.inputs["metricTransformation"]["name"]: f.inputs for f in filters}


def publish(rendered: dict[str, dict[str, Any]], metric: str, lines: list[str]) -> MetricResult:
    f = rendered[metric]
    transformation = f["metricTransformation"]
    default = transformation.get("defaultValue")
    return evaluate_metric(f["pattern"], transformation["value"], lines, None if default is None else float(default))


@pytest.fixture
def mixed_run(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[list[str], dict[str, Any]]:
    """Two good photos, two rejected uploads and one upload S3 refuses to read, in two invocations."""
    good = [aws.upload("a.jpg", images.jpeg((1600, 900))), aws.upload("b.png", images.png_with_alpha((500, 400)))]
    rejected = [aws.upload("broken.jpg", images.truncated_jpeg()), aws.upload("drawing.svg", images.svg())]
    aws.invoke(s3_event(*(u.record() for u in good + rejected)))
    denied = aws.upload("secret.jpg", images.jpeg((400, 300)))
    fail_call(monkeypatch, aws_clients().s3, "get_object", "AccessDenied")
    with pytest.raises(TransientError):
        aws.invoke(denied.event())
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    facts = {
        "good_sizes": sorted(float(u.size) for u in good),
        "good_items": [aws.item(u.key) for u in good],
        "rejected_items": [aws.item(u.key) for u in rejected],
    }
    return lines, facts


def test_every_catalogue_metric_has_a_rendered_filter(rendered_filters: dict[str, dict[str, Any]]) -> None:
    assert set(rendered_filters) == {m.name for m in (*LOG_METRICS, *REPROCESS_LOG_METRICS)}


def test_successful_processes_counts_each_completed_upload(
    rendered_filters: dict[str, dict[str, Any]], mixed_run: tuple[list[str], dict[str, Any]]
) -> None:
    lines, facts = mixed_run
    assert all(item["status"] == ImageStatus.COMPLETED for item in facts["good_items"])
    assert publish(rendered_filters, "SuccessfulProcesses", lines).sum == 2


def test_rejected_uploads_counts_each_rejection(
    rendered_filters: dict[str, dict[str, Any]], mixed_run: tuple[list[str], dict[str, Any]]
) -> None:
    lines, facts = mixed_run
    assert [item["status"] for item in facts["rejected_items"]] == [ImageStatus.REJECTED] * 2
    assert publish(rendered_filters, "RejectedUploads", lines).sum == 2


def test_s3_access_denied_counts_the_refused_read(
    rendered_filters: dict[str, dict[str, Any]], mixed_run: tuple[list[str], dict[str, Any]]
) -> None:
    lines, _ = mixed_run
    assert publish(rendered_filters, "S3AccessDenied", lines).sum == 1


def test_lambda_errors_counts_only_error_lines_not_rejections(
    rendered_filters: dict[str, dict[str, Any]], mixed_run: tuple[list[str], dict[str, Any]]
) -> None:
    lines, _ = mixed_run
    assert publish(rendered_filters, "LambdaErrors", lines).sum == 1


def test_image_size_publishes_the_size_of_each_processed_upload(
    rendered_filters: dict[str, dict[str, Any]], mixed_run: tuple[list[str], dict[str, Any]]
) -> None:
    lines, facts = mixed_run
    assert sorted(publish(rendered_filters, "ImageSizeBytes", lines).datapoints) == facts["good_sizes"]


def test_processing_time_publishes_the_time_recorded_for_each_upload(
    rendered_filters: dict[str, dict[str, Any]], mixed_run: tuple[list[str], dict[str, Any]]
) -> None:
    lines, facts = mixed_run
    recorded = sorted(float(item["timings_ms"]["total"]) for item in facts["good_items"])
    assert sorted(publish(rendered_filters, "ImageProcessingTime", lines).datapoints) == recorded


def test_a_period_with_logs_but_no_match_publishes_the_default_zero(
    rendered_filters: dict[str, dict[str, Any]], mixed_run: tuple[list[str], dict[str, Any]]
) -> None:
    lines, _ = mixed_run
    only_rejections = [line for line in lines if '"image.rejected"' in line]
    result = publish(rendered_filters, "SuccessfulProcesses", only_rejections)
    assert (result.datapoints, result.default_applied) == ([0.0], True)


@pytest.mark.parametrize("metric", ["ImageProcessingTime", "ImageSizeBytes"])
def test_a_period_of_only_rejections_publishes_no_value_datapoint(
    rendered_filters: dict[str, dict[str, Any]], mixed_run: tuple[list[str], dict[str, Any]], metric: str
) -> None:
    # GIVEN a period whose only log lines are rejections
    lines, _ = mixed_run
    only_rejections = [line for line in lines if '"image.rejected"' in line]
    assert only_rejections
    # WHEN the value metric's filter sees them
    result = publish(rendered_filters, metric, only_rejections)
    # THEN nothing is published: a 0 ms / 0 byte point would drag p99 and averages down
    assert (result.datapoints, result.default_applied) == ([], False)


@pytest.mark.parametrize("metric", ["ImageProcessingTime", "ImageSizeBytes"])
def test_value_metrics_publish_only_processed_uploads_among_every_other_line(
    rendered_filters: dict[str, dict[str, Any]], mixed_run: tuple[list[str], dict[str, Any]], metric: str
) -> None:
    lines, facts = mixed_run
    # Rejections, the access-denied failure and every other line add nothing: one point per good upload.
    assert publish(rendered_filters, metric, lines).count == len(facts["good_items"])
