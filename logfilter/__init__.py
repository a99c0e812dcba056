"""An evaluator of CloudWatch Logs filter patterns, for tests and the local demo.

moto stores metric filters but never evaluates them; this package decides, as CloudWatch Logs
documents it, whether a log line matches a pattern and what a metric filter publishes. JSON
patterns (``{ $.event = "image.processed" }``) and plain-text terms (``ERROR -retry``) are
supported; regex and space-delimited patterns raise FilterPatternError. The modelled semantics
are listed in ``logfilter.evaluate`` and ``logfilter.metrics``.
"""

from logfilter.errors import FilterPatternError
from logfilter.metrics import MetricResult, evaluate_metric, metric_value
from logfilter.pattern import Pattern, parse

__all__ = ["FilterPatternError", "MetricResult", "Pattern", "evaluate_metric", "metric_value", "parse"]
