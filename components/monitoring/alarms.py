"""Alarms: one CloudWatch alarm per applicable catalogue entry, routed to its tier's topic."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.monitoring.catalogue import (
    ALARMS,
    GREATER,
    NOT_BREACHING,
    UPLOAD_REQUEST_FILTER,
    UPLOAD_REQUESTS,
    AlarmSpec,
    MetricRef,
    Source,
    StackFacts,
    Tier,
)
from components.naming import Naming
from handlers import contract

# CloudWatch's limit on AlarmDescription.
MAX_DESCRIPTION = 1024
_OPERATORS = {"GreaterThanThreshold": ">", "LessThanThreshold": "<"}


@dataclass(frozen=True)
class MetricScope:
    """Resolved names that place a catalogue metric in this stack."""

    namespace: str
    function_name: str
    queue_name: str
    upload_bucket: str | None = None

    def namespace_of(self, ref: MetricRef) -> str:
        return self.namespace if ref.source is Source.LOGS else ref.source.value

    def dimensions_of(self, ref: MetricRef) -> dict[str, str]:
        if ref.source is Source.LAMBDA:
            return {"FunctionName": self.function_name}
        if ref.source is Source.SQS:
            return {"QueueName": self.queue_name}
        if ref.source is Source.S3_UPLOADS:
            if self.upload_bucket is None:
                raise ValueError(f"{ref.name} of the upload bucket needs AlarmsArgs.upload_bucket_name")
            return {"BucketName": self.upload_bucket, "FilterId": UPLOAD_REQUEST_FILTER}
        return {}


def alarm_name(naming: Naming, spec: AlarmSpec) -> str:
    return naming.name(spec.id, spec.tier.value)


def paging_alarm_name(naming: Naming, spec: AlarmSpec) -> str:
    """The alarm that notifies: the metric alarm itself, or its while-uploading composite."""
    return (
        naming.name(spec.id, "while-uploading", spec.tier.value)
        if spec.only_while_uploading
        else alarm_name(naming, spec)
    )


def uploads_alarm_name(naming: Naming, spec: AlarmSpec) -> str:
    return naming.name(spec.id, "uploads-arriving")


def format_threshold(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def condition_text(spec: AlarmSpec, threshold: float, period_s: int) -> str:
    if spec.expression is not None:
        subject = spec.expression
    else:
        assert spec.metric is not None
        subject = f"{spec.metric.name} {spec.metric.statistic}"
    unit = f" {spec.threshold_text}" if spec.threshold_text else ""
    text = f"{subject} {_OPERATORS[spec.comparison]} {format_threshold(threshold)}{unit} over {period_s // 60} min"
    if spec.only_while_uploading:
        text += f", while the upload bucket received requests under {contract.UPLOAD_PREFIX} in the same window"
    return text


def describe(spec: AlarmSpec, threshold: float, period_s: int, dashboard_url: str) -> str:
    """What the on-call reads in the alarm email."""
    checks = "\n".join(f"{i}. {check}" for i, check in enumerate(spec.checks, start=1))
    text = (
        f"[{spec.tier.value.upper()}] {spec.what}\n"
        f"Why it matters: {spec.why}\n"
        f"Condition: {condition_text(spec, threshold, period_s)}\n"
        f"First checks:\n{checks}\n"
        f"Dashboard: {dashboard_url}\n"
        f"Runbook: docs/alerts.md#{spec.id}"
    )
    if len(text) > MAX_DESCRIPTION:
        raise ValueError(f"alarm {spec.id}: description is {len(text)} characters, CloudWatch allows {MAX_DESCRIPTION}")
    return text


@dataclass
class AlarmsArgs:
    naming: Naming
    """Alarm names: `{project}-{stack}-{metric}-{tier}`."""
    tags: Mapping[str, str]
    """Standard tags."""
    topic_arns: Mapping[Tier, pulumi.Input[str]]
    """Each tier's SNS topic: alarm and OK actions."""
    facts: StackFacts
    """Timeout, concurrency, traffic expectation and threshold overrides."""
    namespace: str
    """Namespace of the log-derived metrics."""
    function_name: pulumi.Input[str]
    """The image processor."""
    queue_name: pulumi.Input[str]
    """The failure queue."""
    upload_bucket_name: pulumi.Input[str] | None
    """The upload bucket, whose request metrics gate the alarms that page only while uploads arrive."""
    dashboard_url: pulumi.Input[str]
    """Linked from every alarm description."""
    specs: Sequence[AlarmSpec] = ALARMS
    """The catalogue by default."""


class Alarms(pulumi.ComponentResource):
    """The pipeline's alarms, each with alarm and OK actions on its tier's topic."""

    alarms: dict[str, aws.cloudwatch.MetricAlarm]
    """Every metric alarm by catalogue id."""
    composites: dict[str, aws.cloudwatch.CompositeAlarm]
    """The alarms that page only while uploads arrive, by catalogue id."""
    upload_request_metrics: aws.s3.BucketMetric | None
    """The upload bucket's request metrics under uploads/, where a composite needs them."""

    def __init__(self, name: str, args: AlarmsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("imagepipe:observability:Alarms", name, None, opts)
        self._args = args
        child = pulumi.ResourceOptions(parent=self)
        # Resolved once, shared by every alarm's namespace and dimensions.
        self._scope = pulumi.Output.all(args.function_name, args.queue_name, args.upload_bucket_name).apply(
            lambda names: MetricScope(args.namespace, names[0], names[1], names[2])
        )
        self.alarms = {}
        self.composites = {}
        self.upload_request_metrics = None
        for spec in args.specs:
            threshold = spec.threshold_for(args.facts)
            if threshold is None:
                continue
            # An alarm behind a composite notifies nobody itself: the composite pages.
            alarm = self._alarm(spec, threshold, child, notify=not spec.only_while_uploading)
            self.alarms[spec.id] = alarm
            if spec.only_while_uploading:
                self.composites[spec.id] = self._while_uploading(spec, threshold, alarm, child)
        self.register_outputs(
            {
                "alarm_arns": [a.arn for a in self.alarms.values()],
                "composite_alarm_arns": [c.arn for c in self.composites.values()],
            }
        )

    @property
    def paging_alarm_arns(self) -> list[pulumi.Output[str]]:
        """The alarms that notify a topic, for the dashboard's alarm status widget."""
        direct = [a.arn for spec_id, a in self.alarms.items() if spec_id not in self.composites]
        return direct + [c.arn for c in self.composites.values()]

    def _upload_requests(self, opts: pulumi.ResourceOptions) -> aws.s3.BucketMetric:
        if self.upload_request_metrics is None:
            if self._args.upload_bucket_name is None:
                raise ValueError("alarms that page only while uploading need AlarmsArgs.upload_bucket_name")
            self.upload_request_metrics = aws.s3.BucketMetric(
                self._args.naming.name("upload-requests"),
                bucket=self._args.upload_bucket_name,
                name=UPLOAD_REQUEST_FILTER,
                filter=aws.s3.BucketMetricFilterArgs(prefix=contract.UPLOAD_PREFIX),
                opts=opts,
            )
        return self.upload_request_metrics

    def _while_uploading(
        self, spec: AlarmSpec, threshold: float, condition: aws.cloudwatch.MetricAlarm, opts: pulumi.ResourceOptions
    ) -> aws.cloudwatch.CompositeAlarm:
        a = self._args
        metrics = self._upload_requests(opts)
        period = spec.period_for(a.facts)
        scope = self._scope
        uploads_name = uploads_alarm_name(a.naming, spec)
        uploads = aws.cloudwatch.MetricAlarm(
            uploads_name,
            name=uploads_name,
            alarm_description=f"Condition of {paging_alarm_name(a.naming, spec)}: uploads arrived in the window.",
            comparison_operator=GREATER,
            threshold=0,
            evaluation_periods=spec.evaluation_periods,
            # No requests publish no data: a quiet window is simply not uploading.
            treat_missing_data=NOT_BREACHING,
            namespace=UPLOAD_REQUESTS.source.value,
            metric_name=UPLOAD_REQUESTS.name,
            dimensions=scope.apply(lambda s: s.dimensions_of(UPLOAD_REQUESTS)),
            statistic=UPLOAD_REQUESTS.statistic,
            period=period,
            tags=dict(a.tags),
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[metrics])),
        )
        topic = a.topic_arns[spec.tier]
        name = paging_alarm_name(a.naming, spec)
        return aws.cloudwatch.CompositeAlarm(
            name,
            alarm_name=name,
            alarm_rule=pulumi.Output.all(condition.name, uploads.name).apply(
                lambda names: f'ALARM("{names[0]}") AND ALARM("{names[1]}")'
            ),
            alarm_description=pulumi.Output.from_input(a.dashboard_url).apply(
                lambda url: describe(spec, threshold, period, url)
            ),
            alarm_actions=[topic],
            ok_actions=[topic],
            tags=dict(a.tags),
            opts=opts,
        )

    def _alarm(
        self, spec: AlarmSpec, threshold: float, opts: pulumi.ResourceOptions, notify: bool = True
    ) -> aws.cloudwatch.MetricAlarm:
        a = self._args
        name = alarm_name(a.naming, spec)
        topic = a.topic_arns[spec.tier]
        scope = self._scope
        period = spec.period_for(a.facts)
        condition_only = f"Condition of {paging_alarm_name(a.naming, spec)}, which pages: "
        description = pulumi.Output.from_input(a.dashboard_url).apply(
            lambda url: (
                describe(spec, threshold, period, url)
                if notify
                else condition_only + condition_text(spec, threshold, period)
            )
        )
        math = spec.expression is not None
        # The single metric, when the alarm is not metric math.
        ref = None if math else spec.metric
        if not math and ref is None:
            raise ValueError(f"alarm {spec.id} has neither a metric nor an expression")
        percentile = ref is not None and ref.statistic.startswith("p")
        return aws.cloudwatch.MetricAlarm(
            name,
            name=name,
            alarm_description=description,
            comparison_operator=spec.comparison,
            threshold=threshold,
            evaluation_periods=spec.evaluation_periods,
            treat_missing_data=spec.treat_missing_data,
            alarm_actions=[topic] if notify else [],
            ok_actions=[topic] if notify else [],
            metric_queries=scope.apply(lambda s: self._metric_queries(spec, s, period)) if math else None,
            namespace=None if ref is None else scope.apply(lambda s: s.namespace_of(ref)),
            metric_name=None if ref is None else ref.name,
            dimensions=None if ref is None else scope.apply(lambda s: s.dimensions_of(ref)),
            statistic=None if ref is None or percentile else ref.statistic,
            extended_statistic=ref.statistic if ref is not None and percentile else None,
            period=None if math else period,
            tags=dict(a.tags),
            opts=opts,
        )

    @staticmethod
    def _metric_queries(
        spec: AlarmSpec, scope: MetricScope, period: int
    ) -> list[aws.cloudwatch.MetricAlarmMetricQueryArgs]:
        queries = [
            aws.cloudwatch.MetricAlarmMetricQueryArgs(
                id=query_id,
                return_data=False,
                metric=aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(
                    namespace=scope.namespace_of(ref),
                    metric_name=ref.name,
                    dimensions=scope.dimensions_of(ref),
                    stat=ref.statistic,
                    period=period,
                ),
            )
            for query_id, ref in spec.expression_metrics
        ]
        queries.append(
            aws.cloudwatch.MetricAlarmMetricQueryArgs(
                id="result", expression=spec.expression, label=spec.id, return_data=True
            )
        )
        return queries
