"""Alarms: one CloudWatch alarm per applicable catalogue entry, routed to its tier's topic."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.monitoring.catalogue import ALARMS, AlarmSpec, MetricRef, Source, StackFacts, Tier
from components.naming import Naming

# CloudWatch's limit on AlarmDescription.
MAX_DESCRIPTION = 1024
_OPERATORS = {"GreaterThanThreshold": ">", "LessThanThreshold": "<"}


@dataclass(frozen=True)
class MetricScope:
    """Resolved names that place a catalogue metric in this stack."""

    namespace: str
    function_name: str
    queue_name: str

    def namespace_of(self, ref: MetricRef) -> str:
        return self.namespace if ref.source is Source.LOGS else ref.source.value

    def dimensions_of(self, ref: MetricRef) -> dict[str, str]:
        if ref.source is Source.LAMBDA:
            return {"FunctionName": self.function_name}
        if ref.source is Source.SQS:
            return {"QueueName": self.queue_name}
        return {}


def alarm_name(naming: Naming, spec: AlarmSpec) -> str:
    return naming.name(spec.id, spec.tier.value)


def format_threshold(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def condition_text(spec: AlarmSpec, threshold: float, period_s: int) -> str:
    if spec.expression is not None:
        subject = spec.expression
    else:
        assert spec.metric is not None
        subject = f"{spec.metric.name} {spec.metric.statistic}"
    unit = f" {spec.threshold_text}" if spec.threshold_text else ""
    return f"{subject} {_OPERATORS[spec.comparison]} {format_threshold(threshold)}{unit} over {period_s // 60} min"


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
    dashboard_url: pulumi.Input[str]
    """Linked from every alarm description."""
    specs: Sequence[AlarmSpec] = ALARMS
    """The catalogue by default."""


class Alarms(pulumi.ComponentResource):
    """The pipeline's alarms, each with alarm and OK actions on its tier's topic."""

    alarms: dict[str, aws.cloudwatch.MetricAlarm]

    def __init__(self, name: str, args: AlarmsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("imagepipe:observability:Alarms", name, None, opts)
        self._args = args
        child = pulumi.ResourceOptions(parent=self)
        # Resolved once, shared by every alarm's namespace and dimensions.
        self._scope = pulumi.Output.all(args.function_name, args.queue_name).apply(
            lambda names: MetricScope(args.namespace, names[0], names[1])
        )
        self.alarms = {}
        for spec in args.specs:
            threshold = spec.threshold_for(args.facts)
            if threshold is not None:
                self.alarms[spec.id] = self._alarm(spec, threshold, child)
        self.register_outputs({"alarm_arns": [a.arn for a in self.alarms.values()]})

    def _alarm(self, spec: AlarmSpec, threshold: float, opts: pulumi.ResourceOptions) -> aws.cloudwatch.MetricAlarm:
        a = self._args
        name = alarm_name(a.naming, spec)
        topic = a.topic_arns[spec.tier]
        scope = self._scope
        period = spec.period_for(a.facts)
        description = pulumi.Output.from_input(a.dashboard_url).apply(
            lambda url: describe(spec, threshold, period, url)
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
            alarm_actions=[topic],
            ok_actions=[topic],
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
