"""CloudWatch's alarm notification, as SNS hands it to the formatter.

SNS invokes the function with ``{"Records": [{"EventSource": "aws:sns", "Sns": {"TopicArn", "Message",
...}}]}``; for an alarm, ``Message`` is CloudWatch's JSON: ``AlarmName``, ``AlarmDescription``,
``NewStateValue``, ``NewStateReason``, ``StateChangeTime`` (``2026-12-04T16:30:00.000+0000``),
``OldStateValue``, ``Region``, ``AlarmArn`` and, for a metric alarm, ``Trigger`` (``MetricName``,
``Namespace``, ``Statistic`` or ``ExtendedStatistic``, ``Dimensions`` as ``[{"name", "value"}]``,
``Period``, ``EvaluationPeriods``, ``Threshold``, ``ComparisonOperator``; a metric-math alarm has
``Metrics`` instead, in the shape of its metric queries). A composite alarm's message has no Trigger.
Sources: CloudWatch's "Using Amazon CloudWatch alarms" notification examples and the field list the
public consumers share (e.g. github.com/atsushi-ishibashi/aws-alarm-metrics, alarm-sns-basic).
CloudWatch's message says nothing of when the previous state began: the formatter keeps that itself
(handlers.alerts.ledger).
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from handlers.alerts.errors import NotAnAlarm

ALARM: Final = "ALARM"
OK: Final = "OK"
# "Threshold Crossed: 1 datapoint [3.0 (04/12/26 16:25:00)] was greater than the threshold (0.0)."
# The newest datapoint is listed first.
_FIRST_DATAPOINT: Final = re.compile(r"\[\s*(-?[0-9][0-9.]*(?:[eE][-+]?[0-9]+)?)\s*\(")


@dataclass(frozen=True)
class MetricQuery:
    """One query of GetMetricData, as the alarm's Trigger describes it."""

    id: str
    namespace: str | None = None
    metric_name: str | None = None
    dimensions: tuple[tuple[str, str], ...] = ()
    stat: str | None = None
    period_s: int | None = None
    expression: str | None = None
    return_data: bool = True
    label: str | None = None

    def request(self) -> dict[str, Any]:
        """The MetricDataQuery (GetMetricData's request shape)."""
        query: dict[str, Any] = {"Id": self.id, "ReturnData": self.return_data}
        if self.expression is not None:
            query["Expression"] = self.expression
        else:
            query["MetricStat"] = {
                "Metric": {
                    "Namespace": self.namespace,
                    "MetricName": self.metric_name,
                    "Dimensions": [{"Name": n, "Value": v} for n, v in self.dimensions],
                },
                "Period": self.period_s,
                "Stat": self.stat,
            }
        if self.label is not None:
            query["Label"] = self.label
        return query


@dataclass(frozen=True)
class AlarmNotification:
    topic_arn: str
    alarm_name: str
    description: str
    new_state: str
    old_state: str
    reason: str
    state_change_time: datetime
    region: str
    """The region's code (eu-west-1), from the AlarmArn; empty when the message has none."""
    period_s: int | None
    evaluation_periods: int | None
    threshold: float | None
    queries: tuple[MetricQuery, ...]

    @property
    def window_s(self) -> int | None:
        """What CloudWatch evaluated: period x evaluation periods (None without a Trigger)."""
        if self.period_s is None or self.evaluation_periods is None:
            return None
        return self.period_s * self.evaluation_periods

    def newest_datapoint(self) -> float | None:
        """The newest datapoint CloudWatch quotes in its reason, if it quotes one."""
        found = _FIRST_DATAPOINT.search(self.reason)
        return float(found.group(1)) if found else None


def parse_time(text: str) -> datetime:
    """CloudWatch's ``2026-12-04T16:30:00.000+0000`` (or without milliseconds), timezone-aware."""
    for form in ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return datetime.strptime(text, form)
        except ValueError:
            continue
    raise NotAnAlarm(f"StateChangeTime {text[:40]!r} is not CloudWatch's time form")


def _queries(trigger: Mapping[str, Any]) -> tuple[MetricQuery, ...]:
    if "Metrics" in trigger:
        found = []
        for m in trigger["Metrics"]:
            stat = m.get("MetricStat")
            if stat is None:
                found.append(
                    MetricQuery(
                        id=str(m["Id"]),
                        expression=str(m["Expression"]),
                        return_data=bool(m.get("ReturnData", True)),
                        label=m.get("Label"),
                    )
                )
                continue
            metric = stat["Metric"]
            found.append(
                MetricQuery(
                    id=str(m["Id"]),
                    namespace=str(metric["Namespace"]),
                    metric_name=str(metric["MetricName"]),
                    dimensions=tuple((str(d["name"]), str(d["value"])) for d in metric.get("Dimensions", [])),
                    stat=str(stat["Stat"]),
                    period_s=int(stat["Period"]),
                    return_data=bool(m.get("ReturnData", False)),
                )
            )
        return tuple(found)
    if "MetricName" not in trigger:
        return ()
    stat = trigger.get("ExtendedStatistic") or trigger.get("Statistic")
    # CloudWatch writes statistics upper-case here (SUM, MAXIMUM); GetMetricData wants Sum, Maximum.
    stat = str(stat).capitalize() if stat and not str(stat).lower().startswith("p") else str(stat)
    return (
        MetricQuery(
            id="m1",
            namespace=str(trigger["Namespace"]),
            metric_name=str(trigger["MetricName"]),
            dimensions=tuple((str(d["name"]), str(d["value"])) for d in trigger.get("Dimensions", [])),
            stat=stat,
            period_s=int(trigger["Period"]),
        ),
    )


def _region(message: Mapping[str, Any]) -> str:
    """The region's code, from AlarmArn: ``Region`` is its display name (``EU (Ireland)``)."""
    parts = str(message.get("AlarmArn") or "").split(":")
    return parts[3] if len(parts) > 3 and parts[0] == "arn" else ""


def parse_record(record: Mapping[str, Any]) -> AlarmNotification:
    """One SNS record; NotAnAlarm when it is not a CloudWatch alarm's state change."""
    try:
        sns = record["Sns"]
        message = json.loads(sns["Message"])
        if not isinstance(message, dict):
            raise NotAnAlarm("the message is not a JSON object")
        trigger = message.get("Trigger") or {}
        period = trigger.get("Period")
        evaluations = trigger.get("EvaluationPeriods")
        threshold = trigger.get("Threshold")
        return AlarmNotification(
            topic_arn=str(sns["TopicArn"]),
            alarm_name=str(message["AlarmName"]),
            description=str(message.get("AlarmDescription") or ""),
            new_state=str(message["NewStateValue"]),
            old_state=str(message.get("OldStateValue") or ""),
            reason=str(message.get("NewStateReason") or ""),
            state_change_time=parse_time(str(message["StateChangeTime"])),
            region=_region(message),
            period_s=None if period is None else int(period),
            evaluation_periods=None if evaluations is None else int(evaluations),
            threshold=None if threshold is None else float(threshold),
            queries=_queries(trigger),
        )
    except NotAnAlarm:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise NotAnAlarm(f"not a CloudWatch alarm notification ({type(exc).__name__}: {exc})") from None
