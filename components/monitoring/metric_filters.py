"""MetricFilters: one CloudWatch Logs metric filter per log-derived metric in the catalogue."""

from typing import Final, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components.inputs import ArgsCheck
from components.monitoring import catalogue
from components.monitoring.catalogue import LOG_METRICS, REPROCESS_LOG_METRICS, LogMetric, format_threshold
from components.naming import LongestName, max_prefix, name_prefix, prefix_rule
from components.type_tokens import component_options, type_token


class MetricFiltersArgs(TypedDict):
    log_group_name: pulumi.Input[str]
    """The image-processing function's log group."""
    namespace: pulumi.Input[str]
    """Namespace of the metrics, e.g. `imagepipe/prod`."""
    name_prefix: NotRequired[str]
    """Filter names are `{prefix}-{metric}`; default `{project}-{stack}-{name}`, shortened to fit."""
    reprocess_log_group_name: NotRequired[pulumi.Input[str]]
    """The reprocessing function's log group (ImagePipeline's reprocess_log_group_name), if any: its task
    results become metrics too (graphed on the dashboard, never alarmed)."""


# Metric filter names: 1-512 characters (PutMetricFilter).
MAX_PREFIX: Final = max_prefix(
    *(LongestName(f"-{metric.name}", 512) for metric in (*LOG_METRICS, *REPROCESS_LOG_METRICS))
)
INPUTS: Final = ArgsCheck(MetricFiltersArgs, {"namespace": catalogue.namespace, "name_prefix": prefix_rule(MAX_PREFIX)})


class MetricFilters(pulumi.ComponentResource):
    """Turns the handler's JSON log lines into metrics: one filter per log metric of the catalogue."""

    namespace: pulumi.Output[str]
    """Where the metrics are published."""
    metric_names: pulumi.Output[list[str]]
    """The metrics published."""

    def __init__(self, name: str, args: MetricFiltersArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        args = INPUTS.check("MetricFilters", name, args)
        super().__init__(type_token(MetricFilters), name, None, component_options(MetricFilters, opts))
        child = pulumi.ResourceOptions(parent=self)
        prefix = name_prefix(args.get("name_prefix"), name, MAX_PREFIX)
        groups = [(args["log_group_name"], LOG_METRICS)]
        if "reprocess_log_group_name" in args:
            groups.append((args["reprocess_log_group_name"], REPROCESS_LOG_METRICS))
        self.filters = {
            metric.name: self._filter(args, group, prefix, metric, child)
            for group, metrics in groups
            for metric in metrics
        }
        self.namespace = pulumi.Output.from_input(args["namespace"])
        self.metric_names = pulumi.Output.from_input(list(self.filters))
        self.register_outputs({"namespace": self.namespace, "metric_names": self.metric_names})

    @staticmethod
    def _filter(
        args: MetricFiltersArgs,
        log_group_name: pulumi.Input[str],
        prefix: str,
        metric: LogMetric,
        opts: pulumi.ResourceOptions,
    ) -> aws.cloudwatch.LogMetricFilter:
        name = f"{prefix}-{metric.name}"
        return aws.cloudwatch.LogMetricFilter(
            name,
            name=name,
            log_group_name=log_group_name,
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
