"""The second consumer, examples/thumbnails: the components with another team's names and settings."""

import json

import pytest

from offline.example_program import EXAMPLE_SNAPSHOT, evaluate_example
from offline.runtime import Evaluation
from offline.snapshots import render_example_snapshot


@pytest.fixture(scope="module")
def example() -> Evaluation:
    return evaluate_example()


def test_example_matches_its_golden_snapshot() -> None:
    assert render_example_snapshot() == EXAMPLE_SNAPSHOT.read_text(), "run `python3 tasks.py snapshots`"


def test_example_names_everything_after_its_project_stack_and_components(example: Evaluation) -> None:
    # The package's default names: `{project}-{stack}-{component name}`, so a second stack never collides.
    names = {r.name for r in example.resources}
    assert {"media", "media-exports", "thumbnails-dev-media-image-processor"} <= names
    assert not any(name.startswith("imagepipe") for name in names)
    functions = {f.inputs["name"] for f in example.of_type("aws:lambda/function:Function")}
    assert functions == {"thumbnails-dev-media-image-processor", "thumbnails-dev-media-image-reprocess"}
    topics = {t.inputs["name"] for t in example.of_type("aws:sns/topic:Topic")}
    assert topics == {f"thumbnails-dev-media-alerts-{tier}" for tier in ("critical", "performance", "log-alerts")}


def test_example_makes_one_webp_thumbnail_with_its_own_function_settings(example: Evaluation) -> None:
    function = example.one("aws:lambda/function:Function", "thumbnails-dev-media-image-processor").inputs
    assert (function["memorySize"], function["timeout"], function["architectures"]) == (512, 30, ["x86_64"])
    variables = function["environment"]["variables"]
    assert json.loads(variables["RENDITIONS"]) == [
        {"name": "thumb", "width": 200, "height": 200, "formats": ["webp"], "alpha_formats": []}
    ]
    assert variables["MAX_OBJECT_BYTES"] == str(10 * 1024 * 1024)


def test_example_alerts_one_email_on_every_tier_and_no_sms(example: Evaluation) -> None:
    subscriptions = [r.inputs for r in example.of_type("aws:sns/topicSubscription:TopicSubscription")]
    assert sorted((s["protocol"], s["endpoint"]) for s in subscriptions) == [("email", "media-team@example.com")] * 3


def test_example_monitoring_uses_its_threshold_and_namespace(example: Evaluation) -> None:
    alarm = example.one(
        "aws:cloudwatch/metricAlarm:MetricAlarm", "thumbnails-dev-media-rejected-uploads-log-alerts"
    ).inputs
    assert (alarm["namespace"], alarm["threshold"]) == ("imagepipe/thumbnails-dev-media", 25)
    (dashboard,) = example.of_type("aws:cloudwatch/dashboard:Dashboard")
    assert dashboard.inputs["dashboardName"] == "thumbnails-dev-media"


def test_example_exports_bucket_never_moves_objects_to_infrequent_access(example: Evaluation) -> None:
    (lifecycle,) = [
        r
        for r in example.of_type("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
        if r.name == "media-exports-lifecycle"
    ]
    assert "transition-to-standard-ia" not in {rule["id"] for rule in lifecycle.inputs["rules"]}


def test_example_exports_only_its_own_outputs(dev: Evaluation, example: Evaluation) -> None:
    # Evaluated after the program in the same process: nothing of the program's stack leaks in.
    assert set(example.exports) == {"upload_bucket", "exports_bucket", "dashboard_url"}
