"""What the stack's metric filters would publish for a run's log lines, with the project's evaluator."""

from collections.abc import Sequence
from dataclasses import dataclass

from components.monitoring.catalogue import LOG_METRICS, LogMetric
from logfilter import MetricResult, evaluate_metric


@dataclass(frozen=True)
class MetricReading:
    metric: LogMetric
    result: MetricResult


def read_metrics(lines: Sequence[str], metrics: Sequence[LogMetric] = LOG_METRICS) -> list[MetricReading]:
    """One period's worth: every line counts once against every filter, as CloudWatch evaluates them."""
    return [MetricReading(m, evaluate_metric(m.filter_pattern, m.value, lines, m.default_value)) for m in metrics]


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def describe(reading: MetricReading) -> str:
    """What the metric recorded, in words: a count, a summary of the datapoints, or the default."""
    points = reading.result.datapoints
    if reading.result.default_applied:
        return f"{_fmt(points[0])} (default: no line matched)"
    if not points:
        return "no data"
    if reading.metric.value == "1":
        return _fmt(sum(points))
    return f"{len(points)} datapoints, min {_fmt(min(points))}, max {_fmt(max(points))}, sum {_fmt(sum(points))}"


def render_metrics(readings: Sequence[MetricReading], namespace: str, source: str = "these log lines") -> str:
    out = [f"metrics the CloudWatch filters would record from {source} (namespace {namespace}):"]
    width = max((len(r.metric.name) for r in readings), default=0)
    width = max(width, 20)
    for r in readings:
        out.append(f"  {r.metric.name:<{width}} {r.metric.unit.value:<13} {describe(r)}")
        out.append(f"  {'':<{width}} {'':<13} filter {r.metric.filter_pattern}")
    return "\n".join(out)
