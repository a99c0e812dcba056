"""CloudWatch's alarm notification, as SNS hands it to the formatter.

SNS invokes the function with ``{"Records": [{"EventSource": "aws:sns", "Sns": {"TopicArn", "Message",
...}}]}``; for an alarm, ``Message`` is CloudWatch's JSON: ``AlarmName``, ``AlarmDescription``,
``NewStateValue``, ``NewStateReason``, ``StateChangeTime`` (``2026-12-04T16:30:00.000+0000``),
``OldStateValue``, ``Region``, ``AlarmArn`` and, for a metric alarm, ``Trigger`` (``MetricName``,
``Namespace``, ``Statistic`` or ``ExtendedStatistic``, ``Dimensions`` as ``[{"name", "value"}]``,
``Period``, ``EvaluationPeriods``, ``Threshold``, ``ComparisonOperator``; a metric-math alarm has
``Metrics`` instead, in the shape of its metric queries). A composite alarm's message has no Trigger.
AWS documents the EventBridge form of a state change (cloudwatch-and-eventbridge.html, with a
``previousState`` timestamp) but no schema of the SNS message; the fields above are those public
consumers of it read (e.g. github.com/atsushi-ishibashi/aws-alarm-metrics alarm-sns-basic, and the
``AlarmMessage`` types of public TypeScript handlers), and none of them says when the previous state
began: the formatter keeps that itself (handlers.alerts.ledger).

Only what names the alarm's state change is required (TopicArn, AlarmName, NewStateValue); every other
field is read defensively, so an unexpected shape costs evidence or a figure, never the alert.
"""

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, TypeVar

from handlers.alerts.errors import NotAnAlarm

T = TypeVar("T")
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


def _optional(read: Callable[[], T], default: T) -> T:
    try:
        return read()
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, NotAnAlarm):
        return default


def parse_record(record: Mapping[str, Any]) -> AlarmNotification:
    """One SNS record; NotAnAlarm when it is not a CloudWatch alarm's state change."""
    try:
        sns = record["Sns"]
        message = json.loads(sns["Message"])
        if not isinstance(message, dict):
            raise NotAnAlarm("the message is not a JSON object")
        topic_arn, alarm_name, new_state = (
            str(sns["TopicArn"]),
            str(message["AlarmName"]),
            str(message["NewStateValue"]),
        )
    except NotAnAlarm:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise NotAnAlarm(f"not a CloudWatch alarm notification ({type(exc).__name__}: {exc})") from None
    found = message.get("Trigger")
    trigger: Mapping[str, Any] = found if isinstance(found, dict) else {}
    # Without a readable StateChangeTime, SNS's own timestamp of the message, else now.
    changed = _optional(
        lambda: parse_time(str(message["StateChangeTime"])),
        _optional(lambda: parse_time(str(sns["Timestamp"]).replace("Z", "+0000")), datetime.now(UTC)),
    )
    return AlarmNotification(
        topic_arn=topic_arn,
        alarm_name=alarm_name,
        description=str(message.get("AlarmDescription") or ""),
        new_state=new_state,
        old_state=str(message.get("OldStateValue") or ""),
        reason=str(message.get("NewStateReason") or ""),
        state_change_time=changed,
        region=_optional(lambda: _region(message), ""),
        period_s=_optional(lambda: int(trigger["Period"]), None),
        evaluation_periods=_optional(lambda: int(trigger["EvaluationPeriods"]), None),
        threshold=_optional(lambda: float(trigger["Threshold"]), None),
        queries=_optional(lambda: _queries(trigger), ()),
    )
