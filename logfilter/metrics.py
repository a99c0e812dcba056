"""What a metric filter publishes for the log events of one period.

Modelled from "Filter pattern syntax for metric filters" (section "Configuring metric values for
a metric filter") and the older "Filter and Pattern Syntax" ("Setting How the Metric Value Changes
When Matches Are Found"):

- Each matching event contributes its metric value: a constant such as ``1``, or a JSON field
  such as ``$.processing_time_ms``. A field that is missing, or not a number (or a string holding
  a plain decimal, the same rule comparisons use), gives no data point for that event.
- CloudWatch aggregates every minute. ``evaluate_metric`` treats its events as one such period.
- When events were ingested in the period but none matched, the default value (if set) is
  reported once for the period; with no default nothing is reported. When no events were
  ingested at all, nothing is reported, default or not.
- Not modelled: a matching event whose field yields no value does not bring the default back;
  dimensions (AWS forbids a default value with them); units.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from logfilter.errors import FilterPatternError
from logfilter.jsonvalues import load_event, numeric_value, resolve
from logfilter.nodes import Selector
from logfilter.parser import parse_selector
from logfilter.pattern import parse

_CONSTANT: Final = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@dataclass(frozen=True)
class MetricResult:
    """The data points one period's events give, as CloudWatch would receive them."""

    datapoints: list[float]
    """One value per matching event that yielded a value, in event order; or the default value."""
    matched_events: int
    """How many events matched the pattern."""
    default_applied: bool
    """True when the only data point is the default value (events arrived, none matched)."""

    @property
    def count(self) -> int:
        """The SampleCount statistic."""
        return len(self.datapoints)

    @property
    def sum(self) -> float:
        """The Sum statistic."""
        return sum(self.datapoints)


def parse_metric_value(value: str) -> float | Selector:
    """A metric value: an unsigned decimal constant, or a JSON selector like ``$.size``."""
    if _CONSTANT.fullmatch(value):
        return float(value)
    if value.startswith("$."):
        return parse_selector(value)
    if value.startswith("$"):
        reason = "space-delimited field references are not supported by this evaluator"
        raise FilterPatternError(reason, value, 0)
    raise FilterPatternError("a metric value is a number or a selector starting with '$.'", value, 0)


def metric_value(event: str, value: str) -> float | None:
    """The number one event contributes for ``value``, or None when it gives no data point."""
    parsed = parse_metric_value(value)
    if isinstance(parsed, float):
        return parsed
    document = load_event(event)
    if document is None:
        return None
    number = numeric_value(resolve(document, parsed.path))
    return None if number is None else float(number)


def evaluate_metric(pattern: str, value: str, events: Iterable[str], default_value: float | None) -> MetricResult:
    """The data points a metric filter publishes for ``events``, taken as one one-minute period."""
    compiled = parse(pattern)
    parse_metric_value(value)  # reject a bad value even when nothing matches
    ingested = 0
    matched = 0
    datapoints: list[float] = []
    for event in events:
        ingested += 1
        if not compiled.matches(event):
            continue
        matched += 1
        number = metric_value(event, value)
        if number is not None:
            datapoints.append(number)
    if ingested and not matched and default_value is not None:
        return MetricResult([float(default_value)], matched_events=0, default_applied=True)
    return MetricResult(datapoints, matched_events=matched, default_applied=False)
