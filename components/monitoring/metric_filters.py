"""MetricFilters: one CloudWatch Logs metric filter per log-derived metric in the catalogue."""

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.monitoring.alarms import format_threshold
from components.monitoring.catalogue import LOG_METRICS, LogMetric


@dataclass
class MetricFiltersArgs:
    log_group_name: pulumi.Input[str]
    """The function's log group."""
    namespace: str
    """Metric namespace of this project and stack."""
    name_prefix: str
    """`{project}-{stack}`, prefixed to each filter's name."""
    metrics: Sequence[LogMetric] = LOG_METRICS
    """What to measure; the catalogue by default."""


class MetricFilters(pulumi.ComponentResource):
    """Turns the handler's JSON log lines into metrics."""

    filters: dict[str, aws.cloudwatch.LogMetricFilter]

    def __init__(self, name: str, args: MetricFiltersArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("imagepipe:observability:MetricFilters", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.filters = {metric.name: self._filter(args, metric, child) for metric in args.metrics}
        self.register_outputs({"filters": [f.name for f in self.filters.values()]})

    @staticmethod
    def _filter(
        args: MetricFiltersArgs, metric: LogMetric, opts: pulumi.ResourceOptions
    ) -> aws.cloudwatch.LogMetricFilter:
        name = f"{args.name_prefix}-{metric.name}"
        return aws.cloudwatch.LogMetricFilter(
            name,
            name=name,
            log_group_name=args.log_group_name,
            pattern=metric.filter_pattern,
            metric_transformation=aws.cloudwatch.LogMetricFilterMetricTransformationArgs(
                name=metric.name,
                namespace=args.namespace,
                value=metric.value,
                default_value=None if metric.default_value is None else format_threshold(metric.default_value),
                unit=metric.unit.value,
            ),
            opts=opts,
        )
