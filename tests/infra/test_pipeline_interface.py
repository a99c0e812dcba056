"""The interface fixes of 0.2.0: a layer of one's own, the layer cache input, expiry per rendition, PNG only
where a rendition asks for it, namespaces and runbook links from other resources and places."""

import json
from pathlib import Path

import pulumi
import pytest

from components.image_pipeline import ImagePipeline, ImagePipelineArgs, RenditionArgs
from components.monitoring.alarms import Alarms, AlarmsArgs
from components.monitoring.dashboard import Dashboard, DashboardArgs
from handlers.imaging.renditions import OutputFormat, parse_renditions
from offline.runtime import Evaluation, RecordedResource, run_under_mocks
from tests.infra.sample_inputs import watched_less
from tests.layers.fake_pip import FakePip

WATCHED = watched_less("log_group_name", "upload_bucket_name")

LAYER = "arn:aws:lambda:eu-west-1:123456789012:layer:pillow-13:4"


def pipeline(args: ImagePipelineArgs) -> Evaluation:
    return run_under_mocks(lambda: ImagePipeline("media", args))


def lifecycle_expiries(ev: Evaluation) -> dict[str, int]:
    """Processed bucket: Type tag value -> days."""
    config = ev.one(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "imagepipe-dev-media-processed-lifecycle"
    )
    return {
        rule["filter"]["tag"]["value"]: rule["expiration"]["days"]
        for rule in config.inputs["rules"]
        if "expiration" in rule
    }


def processor(ev: Evaluation) -> RecordedResource:
    (function,) = [f for f in ev.of_type("aws:lambda/function:Function") if f.name.endswith("-image-processor")]
    return function


def test_a_layer_of_ones_own_is_used_and_none_is_built() -> None:
    ev = pipeline(ImagePipelineArgs(layer_arn=LAYER))
    assert ev.of_type("aws:lambda/layerVersion:LayerVersion") == []
    # by the image processor and the reprocessing function alike
    assert [f.inputs["layers"] for f in ev.of_type("aws:lambda/function:Function")] == [[LAYER], [LAYER]]


def test_the_layer_cache_input_is_where_the_layer_is_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pip = FakePip(tmp_path / "pip-calls.jsonl")
    monkeypatch.setattr("layers.build.default_pip", pip.command)
    cache = tmp_path / "team-cache"
    ev = run_under_mocks(
        lambda: ImagePipeline("media", ImagePipelineArgs(layer_cache_dir=str(cache))), skip_layer_build=False
    )
    [zip_path] = cache.glob("pillow-3.12-arm64-*.zip")
    assert ev.one("aws:lambda/layerVersion:LayerVersion").inputs["code"].path == str(zip_path)


def test_each_rendition_expires_after_its_own_days() -> None:
    ev = pipeline(
        ImagePipelineArgs(
            renditions=[
                RenditionArgs(name="avatar", width=64, height=64, expiration_days=14),
                RenditionArgs(name="hero", width=1200, height=800),
            ]
        )
    )
    assert lifecycle_expiries(ev) == {"avatar": 14}


def test_the_old_thumbnail_expiry_still_applies_to_a_rendition_named_thumbnail() -> None:
    ev = pipeline(
        ImagePipelineArgs(
            thumbnail_expiration_days=45, renditions=[RenditionArgs(name="thumbnail", width=150, height=150)]
        )
    )
    assert lifecycle_expiries(ev) == {"thumbnail": 45}


def test_a_thumbnails_own_expiry_wins_over_the_old_input() -> None:
    ev = pipeline(
        ImagePipelineArgs(
            thumbnail_expiration_days=45,
            renditions=[RenditionArgs(name="thumbnail", width=150, height=150, expiration_days=7)],
        )
    )
    assert lifecycle_expiries(ev) == {"thumbnail": 7}


def test_by_default_thumbnails_expire_after_90_days_as_before() -> None:
    assert lifecycle_expiries(pipeline(ImagePipelineArgs())) == {"thumbnail": 90}


def test_expiry_is_not_in_the_functions_environment() -> None:
    ev = pipeline(ImagePipelineArgs(renditions=[RenditionArgs(name="a", width=64, height=64, expiration_days=3)]))
    variables = processor(ev).inputs["environment"]["variables"]
    assert "expiration_days" not in variables["RENDITIONS"]


@pytest.mark.parametrize(
    ("formats", "alpha"),
    [
        (["webp"], ()),
        (["jpeg", "webp"], ()),
        (["png"], ()),
        (["jpeg"], (OutputFormat.PNG,)),
    ],
)
def test_png_is_added_for_transparent_sources_only_where_no_format_keeps_alpha(
    formats: list[str], alpha: tuple[OutputFormat, ...]
) -> None:
    [spec] = parse_renditions([{"name": "r", "width": 10, "height": 10, "formats": formats}])
    assert spec.alpha_formats == alpha


def test_a_rendition_may_still_ask_for_png_besides_webp() -> None:
    [spec] = parse_renditions([{"name": "r", "width": 1, "height": 1, "formats": ["webp"], "alpha_formats": ["png"]}])
    assert spec.formats_for(has_alpha=True) == (OutputFormat.WEBP, OutputFormat.PNG)


def test_the_default_renditions_keep_writing_png_for_transparent_sources() -> None:
    ev = pipeline(ImagePipelineArgs())
    variables = processor(ev).inputs["environment"]["variables"]
    assert {r["name"]: r["alpha_formats"] for r in json.loads(variables["RENDITIONS"])} == {
        "thumbnail": ["png"],
        "small": ["png"],
        "preview": ["png"],
    }


def test_alarms_and_dashboard_take_a_namespace_that_is_still_an_output() -> None:
    namespace = pulumi.Output.from_input("web/prod")

    def create() -> None:
        Alarms("al", AlarmsArgs(namespace=namespace, **WATCHED))  # type: ignore[typeddict-item]
        Dashboard(
            "db",
            DashboardArgs(
                namespace=namespace,
                function_name="fn",
                failure_queue_name="fn-failures",
                log_group_name="/aws/lambda/fn",
            ),
        )

    ev = run_under_mocks(create)
    alarm = ev.one("aws:cloudwatch/metricAlarm:MetricAlarm", "imagepipe-dev-al-rejected-uploads-log-alerts")
    assert alarm.inputs["namespace"] == "web/prod"
    assert '"web/prod"' in ev.one("aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"]


def test_every_alarm_links_its_section_of_the_runbook_where_it_is_published() -> None:
    url = "https://github.com/acme/imagepipe/blob/v0.2.0/docs/alerts.md"
    ev = run_under_mocks(lambda: Alarms("al", AlarmsArgs(namespace="web/prod", runbook_url=url, **WATCHED)))  # type: ignore[typeddict-item]
    for alarm in ev.of_type("aws:cloudwatch/metricAlarm:MetricAlarm"):
        name = alarm.inputs["name"].removeprefix("imagepipe-dev-al-")
        alarm_id = name.rsplit("-", 2 if name.endswith("log-alerts") else 1)[0]
        assert alarm.inputs["alarmDescription"].endswith(f"\nRunbook: {url}#{alarm_id}")


def test_without_a_runbook_url_no_alarm_links_a_path_of_this_repository() -> None:
    ev = run_under_mocks(lambda: Alarms("al", AlarmsArgs(namespace="web/prod", **WATCHED)))  # type: ignore[typeddict-item]
    descriptions = [a.inputs["alarmDescription"] for a in ev.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")]
    assert descriptions
    assert not any("docs/alerts.md" in d or "Runbook:" in d for d in descriptions)


def test_the_pipeline_outputs_its_role_layer_and_upload_prefix() -> None:
    outputs: dict[str, object] = {}

    def create() -> None:
        p = ImagePipeline("media", ImagePipelineArgs(layer_arn=LAYER))
        pulumi.Output.all(p.role_name, p.role_arn, p.layer_arn, p.upload_prefix).apply(
            lambda v: outputs.update(role_name=v[0], role_arn=v[1], layer_arn=v[2], upload_prefix=v[3])
        )

    run_under_mocks(create)
    assert outputs["layer_arn"] == LAYER
    assert outputs["upload_prefix"] == "uploads/"
    assert str(outputs["role_arn"]).endswith(f":role/{outputs['role_name']}")
    assert str(outputs["role_name"]).startswith("imagepipe-dev-media-image-processor-role")
