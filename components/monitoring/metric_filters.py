"""MetricFilters: one CloudWatch Logs metric filter per log-derived metric in the catalogue."""

from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components.monitoring.alarms import format_threshold
from components.monitoring.catalogue import LOG_METRICS, LogMetric
from components.type_tokens import component_options, type_token


class MetricFiltersArgs(TypedDict):
    log_group_name: pulumi.Input[str]
    """The image-processing function's log group."""
    namespace: str
    """Namespace of the metrics, e.g. `imagepipe/prod`."""
    name_prefix: NotRequired[str]
    """Filter names are `{prefix}-{metric}`; default: the component's name."""


class MetricFilters(pulumi.ComponentResource):
    """Turns the handler's JSON log lines into metrics: one filter per log metric of the catalogue."""

    namespace: pulumi.Output[str]
    """Where the metrics are published."""
    metric_names: pulumi.Output[list[str]]
    """The metrics published."""

    def __init__(self, name: str, args: MetricFiltersArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(type_token(MetricFilters), name, None, component_options(MetricFilters, opts))
        child = pulumi.ResourceOptions(parent=self)
        prefix = args.get("name_prefix", name)
        self.filters = {metric.name: self._filter(args, prefix, metric, child) for metric in LOG_METRICS}
        self.namespace = pulumi.Output.from_input(args["namespace"])
        self.metric_names = pulumi.Output.from_input([metric.name for metric in LOG_METRICS])
        self.register_outputs({"namespace": self.namespace, "metric_names": self.metric_names})

    @staticmethod
    def _filter(
        args: MetricFiltersArgs, prefix: str, metric: LogMetric, opts: pulumi.ResourceOptions
    ) -> aws.cloudwatch.LogMetricFilter:
        name = f"{prefix}-{metric.name}"
        return aws.cloudwatch.LogMetricFilter(
            name,
            name=name,
            log_group_name=args["log_group_name"],
            pattern=metric.filter_pattern,
            metric_transformation=aws.cloudwatch.LogMetricFilterMetricTransformationArgs(
                name=metric.name,
                namespace=args["namespace"],
                value=metric.value,
                default_value=None if metric.default_value is None else format_threshold(metric.default_value),
                unit=metric.unit.value,
            ),
            opts=opts,
        )
