"""Metric filters, SNS tiers, alarms and dashboard: all derived from the catalogue, wired to the pipeline."""

import json
from typing import Any

import pytest

from components.monitoring.catalogue import ALARMS, LOG_METRICS, REPROCESS_LOG_METRICS, AlarmSpec, Tier
from offline.runbook_file import RUNBOOK, render_stack_runbook
from offline.runtime import Evaluation, RecordedResource
from program.config import STACKS
from tests.infra.policy_reading import statements

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
TOPIC = "aws:sns/topic:Topic"
# Metrics AWS itself publishes for the function and the queue.
LAMBDA_METRICS = {
    "Invocations",
    "Errors",
    "Duration",
    "Throttles",
    "ConcurrentExecutions",
    "RecursiveInvocationsDropped",
}
SQS_METRICS = {"ApproximateNumberOfMessagesVisible"}
# What API Gateway publishes per REST API stage.
API_METRICS = {"Count", "4XXError", "5XXError", "Latency", "IntegrationLatency"}


def alarms(ev: Evaluation) -> dict[str, dict[str, Any]]:
    return {r.inputs["name"]: r.inputs for r in ev.of_type(ALARM)}


def composites(ev: Evaluation) -> dict[str, dict[str, Any]]:
    return {r.inputs["alarmName"]: r.inputs for r in ev.of_type(COMPOSITE)}


def paging_resource(ev: Evaluation, spec: AlarmSpec) -> RecordedResource:
    """The alarm that notifies for a catalogue entry: the metric alarm, or its while-uploading composite."""
    if spec.only_while_uploading:
        return ev.one(COMPOSITE, f"imagepipe-{ev.stack}-{spec.id}-while-uploading-{spec.tier.value}")
    return ev.one(ALARM, f"imagepipe-{ev.stack}-{spec.id}-{spec.tier.value}")


def paging(ev: Evaluation, spec: AlarmSpec) -> dict[str, Any]:
    return paging_resource(ev, spec).inputs


def topic_arn(ev: Evaluation, tier: str) -> str:
    return str(ev.one(TOPIC, f"imagepipe-{ev.stack}-alerts-{tier}").outputs["arn"])


def dashboard_body(ev: Evaluation) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(ev.one("aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"])
    return body


# --- metric filters ---


def test_catalogue_declares_the_seed_metrics_and_rejected_uploads() -> None:
    names = {m.name for m in LOG_METRICS}
    assert names == {
        "LambdaErrors",
        "ImageProcessingTime",
        "SuccessfulProcesses",
        "ImageSizeBytes",
        "S3AccessDenied",
        "RejectedUploads",
    }


def test_filter_patterns_are_json_patterns_on_the_handler_fields() -> None:
    patterns = {m.name: (m.filter_pattern, m.value, m.unit.value) for m in LOG_METRICS}
    assert patterns == {
        "LambdaErrors": (
            '{ $.level = "ERROR" || $.log_level = "ERROR"'
            ' || ($.type = "platform.report" && $.record.status = "timeout") }',
            "1",
            "Count",
        ),
        "ImageProcessingTime": ('{ $.event = "image.processed" }', "$.processing_time_ms", "Milliseconds"),
        "SuccessfulProcesses": ('{ $.event = "image.processed" }', "1", "Count"),
        "ImageSizeBytes": ('{ $.event = "image.processed" }', "$.image_size_bytes", "Bytes"),
        "S3AccessDenied": ('{ $.event = "image.failed" && $.error_code = "AccessDenied" }', "1", "Count"),
        "RejectedUploads": ('{ $.event = "image.rejected" }', "1", "Count"),
    }


@pytest.mark.parametrize(
    ("function", "metrics"),
    [("image-processor", LOG_METRICS), ("image-reprocess", REPROCESS_LOG_METRICS)],
)
def test_one_metric_filter_per_catalogue_entry_on_its_functions_log_group(
    dev: Evaluation, function: str, metrics: tuple[Any, ...]
) -> None:
    log_group = dev.one("aws:cloudwatch/logGroup:LogGroup", f"imagepipe-dev-{function}-logs").inputs["name"]
    filters = {r.inputs["metricTransformation"]["name"]: r.inputs for r in dev.of_type(FILTER)}
    assert set(filters) == {m.name for m in (*LOG_METRICS, *REPROCESS_LOG_METRICS)}
    for metric in metrics:
        f = filters[metric.name]
        assert f["logGroupName"] == log_group
        assert f["pattern"] == metric.filter_pattern
        assert {k: v for k, v in f["metricTransformation"].items() if k != "defaultValue"} == {
            "name": metric.name,
            "namespace": "imagepipe/dev",
            "value": metric.value,
            "unit": metric.unit.value,
        }


def test_count_metrics_default_to_zero_and_value_metrics_have_no_default(dev: Evaluation) -> None:
    defaults = {
        r.inputs["metricTransformation"]["name"]: r.inputs["metricTransformation"].get("defaultValue")
        for r in dev.of_type(FILTER)
    }
    assert defaults == {
        "LambdaErrors": "0",
        "ImageProcessingTime": None,
        "SuccessfulProcesses": "0",
        "ImageSizeBytes": None,
        "S3AccessDenied": "0",
        "RejectedUploads": "0",
        "ReprocessRendered": "0",
        "ReprocessSucceeded": "0",
        "ReprocessTemporaryFailures": "0",
        "ReprocessPermanentFailures": "0",
    }


def test_metric_namespace_is_per_project_and_stack(prod: Evaluation) -> None:
    assert {r.inputs["metricTransformation"]["namespace"] for r in prod.of_type(FILTER)} == {"imagepipe/prod"}


# --- SNS tiers ---


def test_three_tier_topics_and_the_direct_one_encrypted_with_the_alerting_key(prod: Evaluation) -> None:
    key_arn = prod.one("aws:kms/key:Key", "imagepipe-prod-alerts-key").outputs["arn"]
    topics = {r.inputs["name"]: r.inputs for r in prod.of_type(TOPIC)}
    assert set(topics) == {f"imagepipe-prod-alerts-{t}" for t in ("critical", "performance", "log-alerts", "direct")}
    assert {t["kmsMasterKeyId"] for t in topics.values()} == {key_arn}


def test_alerting_key_rotates_and_lets_cloudwatch_encrypt(prod: Evaluation) -> None:
    key = prod.one("aws:kms/key:Key", "imagepipe-prod-alerts-key").inputs
    assert key["enableKeyRotation"] is True
    cloudwatch = statements(key["policy"])["CloudWatchAlarmsEncrypt"]
    assert cloudwatch["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert cloudwatch["Action"] == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert cloudwatch["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}


def test_topic_policy_lets_only_this_accounts_cloudwatch_alarms_publish(prod: Evaluation) -> None:
    for tier in ("critical", "performance", "log-alerts"):
        policy = prod.one("aws:sns/topicPolicy:TopicPolicy", f"imagepipe-prod-alerts-{tier}-policy").inputs
        assert policy["arn"] == topic_arn(prod, tier)
        (publish,) = statements(policy["policy"]).values()
        assert publish["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
        assert publish["Action"] == ["sns:Publish"]
        assert publish["Resource"] == [topic_arn(prod, tier)]
        assert publish["Condition"] == {
            "ArnLike": {"aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*"},
            "StringEquals": {"aws:SourceAccount": "123456789012"},
        }


def subscriptions(ev: Evaluation) -> set[tuple[str, str, str]]:
    arn_to_tier = {r.outputs["arn"]: r.inputs["name"].split("-alerts-")[1] for r in ev.of_type(TOPIC)}
    return {
        (arn_to_tier[r.inputs["topic"]], r.inputs["protocol"], r.inputs["endpoint"])
        for r in ev.of_type("aws:sns/topicSubscription:TopicSubscription")
    }


def test_prod_subscribers_per_tier_come_from_config(prod: Evaluation) -> None:
    assert subscriptions(prod) == {
        ("critical", "email", "imagepipe-oncall@example.com"),
        ("critical", "email", "imagepipe-pager@example.com"),
        ("critical", "sms", "+15555550100"),
        ("performance", "email", "imagepipe-oncall@example.com"),
        ("performance", "email", "platform-team@example.com"),
        ("log-alerts", "email", "imagepipe-oncall@example.com"),
        # CloudWatch's own text for the formatter's alarms: every email recipient once.
        ("direct", "email", "imagepipe-oncall@example.com"),
        ("direct", "email", "imagepipe-pager@example.com"),
        ("direct", "email", "platform-team@example.com"),
        # The alert formatter, on every tier.
        *(
            (tier, "lambda", "arn:aws:lambda:eu-west-1:123456789012:function:imagepipe-prod-alert-formatter")
            for tier in ("critical", "performance", "log-alerts")
        ),
    }


def test_sms_goes_to_the_critical_tier_only(prod: Evaluation) -> None:
    assert {tier for tier, protocol, _ in subscriptions(prod) if protocol == "sms"} == {"critical"}


# --- alarms ---


# Prod runs no dev cleanup (the program refuses it there), so not its alarm.
PROD_ALARMS = tuple(spec for spec in ALARMS if not spec.needs_cleanup)


def test_every_alarm_is_named_for_project_stack_metric_and_tier(prod: Evaluation) -> None:
    expected = {f"imagepipe-prod-{spec.id}-{spec.tier.value}" for spec in PROD_ALARMS}
    uploads = {"imagepipe-prod-no-invocations-uploads-arriving", "imagepipe-prod-too-few-successes-uploads-arriving"}
    assert set(alarms(prod)) == expected | uploads
    assert set(composites(prod)) == {
        "imagepipe-prod-no-invocations-while-uploading-critical",
        "imagepipe-prod-too-few-successes-while-uploading-critical",
    }


def test_every_alarm_notifies_its_tier_on_alarm_and_on_ok(prod: Evaluation) -> None:
    for spec in PROD_ALARMS:
        alarm = paging(prod, spec)
        # The formatter's own alarms must reach people without it: the direct topic.
        topic = topic_arn(prod, "direct" if spec.needs_formatter else spec.tier.value)
        assert alarm["alarmActions"] == [topic], spec.id
        assert alarm["okActions"] == [topic], spec.id


def test_conditions_behind_a_composite_notify_nobody(prod: Evaluation) -> None:
    conditions = [name for name in alarms(prod) if "no-invocations" in name or "too-few-successes" in name]
    assert len(conditions) == 4
    for name in conditions:
        assert alarms(prod)[name].get("alarmActions", []) == [], name
        assert alarms(prod)[name].get("okActions", []) == [], name


def test_every_metric_alarm_says_how_missing_data_counts(prod: Evaluation) -> None:
    assert {a["treatMissingData"] for a in alarms(prod).values()} <= {"breaching", "notBreaching"}


def test_error_rate_is_errors_over_invocations_not_average_errors(prod: Evaluation) -> None:
    alarm = alarms(prod)["imagepipe-prod-error-rate-critical"]
    queries = {q["id"]: q for q in alarm["metricQueries"]}
    assert queries["result"]["expression"] == "IF(invocations > 0, 100 * errors / invocations, 0)"
    assert queries["result"]["returnData"] is True
    assert queries["errors"]["metric"]["metricName"] == "Errors"
    assert queries["errors"]["metric"]["stat"] == "Sum"
    assert queries["invocations"]["metric"]["metricName"] == "Invocations"
    assert queries["invocations"]["metric"]["dimensions"] == {"FunctionName": "imagepipe-prod-image-processor"}
    assert (alarm["comparisonOperator"], alarm["threshold"]) == ("GreaterThanThreshold", 5)


def test_duration_p99_alarm_fires_at_80_percent_of_the_timeout(prod: Evaluation) -> None:
    alarm = alarms(prod)["imagepipe-prod-duration-p99-performance"]
    assert (alarm["metricName"], alarm["extendedStatistic"], alarm["threshold"]) == ("Duration", "p99", 48000)


def test_concurrency_alarm_fires_at_80_percent_of_reserved_concurrency(prod: Evaluation) -> None:
    assert alarms(prod)["imagepipe-prod-concurrency-performance"]["threshold"] == 40


def test_no_concurrency_alarm_where_nothing_is_reserved(dev: Evaluation) -> None:
    assert "imagepipe-dev-concurrency-performance" not in alarms(dev)


def test_no_invocations_alarm_exists_only_where_traffic_is_expected_and_silence_breaches(
    dev: Evaluation, prod: Evaluation
) -> None:
    alarm = alarms(prod)["imagepipe-prod-no-invocations-critical"]
    assert (alarm["metricName"], alarm["comparisonOperator"], alarm["threshold"]) == (
        "Invocations",
        "LessThanThreshold",
        1,
    )
    assert alarm["treatMissingData"] == "breaching"
    assert alarm["period"] == 3600
    assert "imagepipe-dev-no-invocations-critical" not in alarms(dev)
    assert composites(dev) == {}


@pytest.mark.parametrize(("spec_id", "period"), [("no-invocations", 3600), ("too-few-successes", 3600)])
def test_silence_pages_only_while_uploads_arrive_in_the_same_window(
    prod: Evaluation, spec_id: str, period: int
) -> None:
    # A quiet hour, or the first hour after the first deploy, has no upload requests: the uploads
    # condition stays OK (missing data is not breaching), so the composite never pages.
    uploads = alarms(prod)[f"imagepipe-prod-{spec_id}-uploads-arriving"]
    assert (uploads["namespace"], uploads["metricName"], uploads["statistic"]) == ("AWS/S3", "AllRequests", "Sum")
    assert uploads["dimensions"] == {"BucketName": prod.exports["upload_bucket"], "FilterId": "uploads"}
    assert (uploads["comparisonOperator"], uploads["threshold"], uploads["period"]) == (
        "GreaterThanThreshold",
        0,
        period,
    )
    assert uploads["treatMissingData"] == "notBreaching"
    composite = composites(prod)[f"imagepipe-prod-{spec_id}-while-uploading-critical"]
    assert composite["alarmRule"] == (
        f'ALARM("imagepipe-prod-{spec_id}-critical") AND ALARM("imagepipe-prod-{spec_id}-uploads-arriving")'
    )


def test_upload_request_metrics_cover_only_the_upload_prefix(prod: Evaluation) -> None:
    (metrics,) = prod.of_type("aws:s3/bucketMetric:BucketMetric")
    assert metrics.inputs == {
        "bucket": prod.exports["upload_bucket"],
        "name": "uploads",
        "filter": {"prefix": "uploads/"},
    }


def test_failure_queue_alarm_watches_the_pipelines_queue(prod: Evaluation) -> None:
    alarm = alarms(prod)["imagepipe-prod-failure-queue-messages-critical"]
    assert alarm["namespace"] == "AWS/SQS"
    assert alarm["dimensions"] == {"QueueName": "imagepipe-prod-image-processor-failures"}
    assert (alarm["comparisonOperator"], alarm["threshold"]) == ("GreaterThanThreshold", 0)


def test_log_metric_alarms_use_the_stack_namespace(prod: Evaluation) -> None:
    alarm = alarms(prod)["imagepipe-prod-s3-access-denied-log-alerts"]
    assert (alarm["namespace"], alarm["metricName"], alarm["statistic"]) == ("imagepipe/prod", "S3AccessDenied", "Sum")
    assert alarm.get("dimensions", {}) == {}


def test_thresholds_differ_per_stack_from_config(dev: Evaluation, prod: Evaluation) -> None:
    assert alarms(dev)["imagepipe-dev-rejected-uploads-log-alerts"]["threshold"] == 50
    assert alarms(prod)["imagepipe-prod-rejected-uploads-log-alerts"]["threshold"] == 10


@pytest.mark.parametrize("stack", STACKS)
def test_every_description_says_what_why_three_checks_and_the_dashboard(
    stack: str, request: pytest.FixtureRequest
) -> None:
    ev: Evaluation = request.getfixturevalue(stack)
    url = ev.exports["dashboard_url"]
    for spec in ALARMS:
        if f"imagepipe-{stack}-{spec.id}-{spec.tier.value}" not in alarms(ev):
            continue
        text = paging(ev, spec)["alarmDescription"]
        assert spec.what in text and f"Why it matters: {spec.why}" in text
        assert [line[:3] for line in text.splitlines() if line[:2] in ("1.", "2.", "3.")] == ["1. ", "2. ", "3. "]
        assert f"Dashboard: {url}" in text
        assert len(text) <= 1024


# --- dashboard ---


def widgets(ev: Evaluation) -> dict[str, dict[str, Any]]:
    return {w["properties"]["title"]: w for w in dashboard_body(ev)["widgets"]}


def test_dashboard_has_every_pipeline_health_widget(dev: Evaluation) -> None:
    assert set(widgets(dev)) == {
        "Alarm status",
        "Invocations and errors",
        "Duration (timeout marked)",
        "Concurrency and throttles",
        "Success vs errors",
        "Processing time vs image size",
        "Failure queue depth",
        "API requests and errors",
        "API latency",
        "Reprocessing tasks (S3 Batch Operations)",
        "Reprocessing function",
        "Recent errors (last 20 ERROR lines)",
    }


def test_alarm_status_widget_lists_every_alarm(prod: Evaluation) -> None:
    # The alarms that page: a condition behind a composite would show red in every quiet hour.
    listed = widgets(prod)["Alarm status"]["properties"]["alarms"]
    assert sorted(listed) == sorted(paging_resource(prod, spec).outputs["arn"] for spec in PROD_ALARMS)


def test_duration_widget_marks_the_timeout(prod: Evaluation) -> None:
    properties = widgets(prod)["Duration (timeout marked)"]["properties"]
    assert properties["annotations"]["horizontal"] == [{"label": "Timeout", "value": 60000}]
    assert [row[-1]["stat"] for row in properties["metrics"]] == ["Average", "p99"]


def test_processing_time_widget_plots_p50_p99_against_image_size(prod: Evaluation) -> None:
    rows = widgets(prod)["Processing time vs image size"]["properties"]["metrics"]
    assert [(row[1], row[-1]["stat"]) for row in rows] == [
        ("ImageProcessingTime", "p50"),
        ("ImageProcessingTime", "p99"),
        ("ImageSizeBytes", "Average"),
    ]
    assert rows[2][-1]["yAxis"] == "right"


def test_recent_errors_widget_queries_the_last_20_error_lines(prod: Evaluation) -> None:
    query = widgets(prod)["Recent errors (last 20 ERROR lines)"]["properties"]["query"]
    assert query.startswith("SOURCE '/aws/lambda/imagepipe-prod-image-processor'")
    assert "| filter level = 'ERROR'" in query
    assert query.endswith("| sort @timestamp desc | limit 20")


def metric_rows(ev: Evaluation) -> list[list[Any]]:
    return [row for w in dashboard_body(ev)["widgets"] if w["type"] == "metric" for row in w["properties"]["metrics"]]


@pytest.mark.parametrize("stack", STACKS)
def test_every_widget_metric_is_one_something_emits(stack: str, request: pytest.FixtureRequest) -> None:
    ev: Evaluation = request.getfixturevalue(stack)
    filtered = {
        (r.inputs["metricTransformation"]["namespace"], r.inputs["metricTransformation"]["name"])
        for r in ev.of_type(FILTER)
    }
    for row in metric_rows(ev):
        namespace, name = row[0], row[1]
        if namespace == "AWS/Lambda":
            assert name in LAMBDA_METRICS
            assert row[2] == "FunctionName"
            assert row[3] in (f"imagepipe-{stack}-image-processor", f"imagepipe-{stack}-image-reprocess")
        elif namespace == "AWS/SQS":
            assert name in SQS_METRICS
        elif namespace == "AWS/ApiGateway":
            assert name in API_METRICS
            assert row[2:6] == ["ApiName", f"imagepipe-{stack}-image-api", "Stage", "v1"]
        else:
            assert (namespace, name) in filtered, f"widget plots {namespace}/{name} but no metric filter emits it"


def test_every_alarm_metric_is_one_something_emits(prod: Evaluation) -> None:
    filtered = {r.inputs["metricTransformation"]["name"] for r in prod.of_type(FILTER)}
    for alarm in alarms(prod).values():
        namespace = alarm.get("namespace")
        if namespace == "imagepipe/prod":
            assert alarm["metricName"] in filtered
        elif namespace == "AWS/Lambda":
            assert alarm["metricName"] in LAMBDA_METRICS


# --- runbook and exports ---


def test_runbook_is_generated_from_the_catalogue_and_current() -> None:
    assert RUNBOOK.read_text() == render_stack_runbook(), "run `python3 tasks.py snapshots`"


def test_runbook_lists_each_alarm_with_dev_and_prod_thresholds() -> None:
    text = RUNBOOK.read_text()
    assert "| [rejected-uploads](#rejected-uploads) | log-alerts | 50 rejections | 10 rejections |" in text
    assert "| [no-invocations](#no-invocations) | critical | not created | 1 |" in text


def test_exports_the_dashboard_url_and_the_three_topic_arns(prod: Evaluation) -> None:
    assert prod.exports["dashboard_url"] == (
        "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=imagepipe-prod"
    )
    for tier in Tier:
        assert prod.exports[f"{tier.value.replace('-', '_')}_topic_arn"] == topic_arn(prod, tier.value)


def test_components_have_the_package_type_tokens(prod: Evaluation) -> None:
    tokens = {r.type for r in prod.resources if not r.custom}
    assert tokens == {
        "imagepipe:index:ImagePipeline",
        "imagepipe:index:ImageApi",
        "imagepipe:index:ComplianceKeys",
        "imagepipe:index:PrivateNetwork",
        "imagepipe:index:AccessRoles",
        "imagepipe:index:SecureBucket",
        "imagepipe:index:AlertingSNS",
        "imagepipe:index:PipelineMonitoring",
        "imagepipe:index:MetricFilters",
        "imagepipe:index:Dashboard",
        "imagepipe:index:Alarms",
        "imagepipe:index:AlertFormatter",
    }


def test_monitoring_derives_filters_alarms_and_dashboard_as_its_children(prod: Evaluation) -> None:
    monitoring = prod.one("imagepipe:index:PipelineMonitoring", "imagepipe-prod-monitoring")
    children = {(r.type, r.name) for r in prod.resources if r.parent_urn == monitoring.urn}
    assert children == {
        ("imagepipe:index:MetricFilters", "imagepipe-prod-metric-filters"),
        ("imagepipe:index:Alarms", "imagepipe-prod-alarms"),
        ("imagepipe:index:Dashboard", "imagepipe-prod-dashboard"),
        ("imagepipe:index:AlertFormatter", "imagepipe-prod-alert-formatter"),
    }


def test_prod_has_every_alarm_the_tiers_promise() -> None:
    # Written out, not derived from the catalogue: removing an alarm from it must fail here.
    expected = {
        "critical": {
            "function-errors",
            "error-rate",
            "failure-queue-messages",
            "no-invocations",
            "too-few-successes",
            "recursive-invocations-dropped",
            "api-5xx-rate",
        },
        "performance": {"duration-p99", "throttles", "concurrency", "processing-time-p99", "api-latency-p99"},
        "log-alerts": {
            "lambda-errors",
            "s3-access-denied",
            "rejected-uploads",
            "api-4xx-spike",
            "cleanup-errors",
            "alert-formatter-errors",
            "alert-formatter-failures",
        },
    }
    assert {(spec.tier.value, spec.id) for spec in ALARMS} == {
        (tier, alarm) for tier, alarms_of_tier in expected.items() for alarm in alarms_of_tier
    }


def test_alarm_metrics_are_the_ones_each_condition_names(prod: Evaluation) -> None:
    by_name = alarms(prod)
    expected = {
        "function-errors-critical": ("AWS/Lambda", "Errors", "Sum"),
        "recursive-invocations-dropped-critical": ("AWS/Lambda", "RecursiveInvocationsDropped", "Sum"),
        "throttles-performance": ("AWS/Lambda", "Throttles", "Sum"),
        "too-few-successes-critical": ("imagepipe/prod", "SuccessfulProcesses", "Sum"),
        "lambda-errors-log-alerts": ("imagepipe/prod", "LambdaErrors", "Sum"),
        "processing-time-p99-performance": ("imagepipe/prod", "ImageProcessingTime", "p99"),
    }
    for suffix, (namespace, metric, statistic) in expected.items():
        alarm = by_name[f"imagepipe-prod-{suffix}"]
        assert (alarm["namespace"], alarm["metricName"]) == (namespace, metric)
        assert alarm.get("statistic", alarm.get("extendedStatistic")) == statistic


# --- the image API's alarms and graphs ---


def test_api_5xx_rate_is_server_errors_over_requests_of_the_stage(prod: Evaluation) -> None:
    alarm = alarms(prod)["imagepipe-prod-api-5xx-rate-critical"]
    queries = {q["id"]: q for q in alarm["metricQueries"]}
    assert queries["result"]["expression"] == "IF(requests > 0, 100 * errors / requests, 0)"
    assert (queries["errors"]["metric"]["metricName"], queries["requests"]["metric"]["metricName"]) == (
        "5XXError",
        "Count",
    )
    dimensions = {"ApiName": "imagepipe-prod-image-api", "Stage": "v1"}
    assert queries["errors"]["metric"]["dimensions"] == dimensions
    assert queries["errors"]["metric"]["namespace"] == "AWS/ApiGateway"
    assert (alarm["threshold"], alarm["alarmActions"]) == (5, [topic_arn(prod, "critical")])


def test_api_latency_p99_and_4xx_spike_watch_the_stage(prod: Evaluation) -> None:
    latency = alarms(prod)["imagepipe-prod-api-latency-p99-performance"]
    assert (latency["metricName"], latency["extendedStatistic"], latency["threshold"]) == ("Latency", "p99", 2000)
    spike = alarms(prod)["imagepipe-prod-api-4xx-spike-log-alerts"]
    assert (spike["metricName"], spike["statistic"], spike["threshold"]) == ("4XXError", "Sum", 50)
    assert spike["dimensions"] == {"ApiName": "imagepipe-prod-image-api", "Stage": "v1"}
    assert spike["alarmActions"] == [topic_arn(prod, "log-alerts")]


def test_pipeline_without_an_api_gets_no_api_alarms_or_graphs() -> None:
    from offline.example_program import evaluate_example

    example = evaluate_example()
    names = {r.inputs["name"] for r in example.of_type(ALARM)}
    assert not any("api" in name for name in names)
    body = json.loads(example.one("aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"])
    titles = {w["properties"].get("title") for w in body["widgets"]}
    assert not titles & {"API requests and errors", "API latency"}


def test_the_dev_cleanups_failures_alarm_on_log_alerts(dev: Evaluation, prod: Evaluation) -> None:
    alarm = alarms(dev)["imagepipe-dev-cleanup-errors-log-alerts"]
    assert (alarm["namespace"], alarm["metricName"], alarm["statistic"]) == ("AWS/Lambda", "Errors", "Sum")
    assert alarm["dimensions"] == {"FunctionName": "imagepipe-dev-cleanup"}
    assert (alarm["threshold"], alarm["alarmActions"]) == (0, [topic_arn(dev, "log-alerts")])
    assert "imagepipe-prod-cleanup-errors-log-alerts" not in alarms(prod)
