"""What CloudWatch publishes to an alarm's topic when the alarm changes state, and how SNS hands it to Lambda.

moto changes an alarm's state (``set_alarm_state``) but publishes nothing, so the tests and the demo
build the notification themselves, in the shape CloudWatch sends (handlers.alerts.notification names
the fields and the sources for them).
"""

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from emulated_aws.environment import REGION

ACCOUNT = "123456789012"
# CloudWatch's display name of the region in the message (the code is in AlarmArn).
REGION_NAMES = {"eu-west-1": "EU (Ireland)", "us-east-1": "US East (N. Virginia)"}


def cloudwatch_time(moment: datetime) -> str:
    """``2026-12-04T16:30:00.000+0000``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


def reason_text(values: Sequence[float], threshold: float, changed: datetime, comparison: str = "greater") -> str:
    """CloudWatch's NewStateReason, newest datapoint first."""
    stamp = changed.strftime("%d/%m/%y %H:%M:%S")
    shown = ", ".join(f"{v:.1f} ({stamp})" for v in values)
    many = "datapoint" if len(values) == 1 else f"out of the last {len(values)} datapoints"
    return f"Threshold Crossed: {len(values)} {many} [{shown}] was {comparison} than the threshold ({threshold:.1f})."


def alarm_message(
    alarm_name: str,
    *,
    new_state: str,
    changed: datetime,
    description: str = "",
    old_state: str = "OK",
    reason: str = "Threshold Crossed",
    metric: tuple[str, str, Mapping[str, str], str] | None = None,
    period_s: int = 300,
    evaluation_periods: int = 1,
    threshold: float = 0.0,
    region: str = REGION,
) -> dict[str, Any]:
    """A metric alarm's notification; ``metric`` is (namespace, name, dimensions, statistic), None for a composite."""
    arn = f"arn:aws:cloudwatch:{region}:{ACCOUNT}:alarm:{alarm_name}"
    message: dict[str, Any] = {
        "AlarmName": alarm_name,
        "AlarmDescription": description,
        "AWSAccountId": ACCOUNT,
        "AlarmConfigurationUpdatedTimestamp": cloudwatch_time(changed),
        "NewStateValue": new_state,
        "NewStateReason": reason,
        "StateChangeTime": cloudwatch_time(changed),
        "Region": REGION_NAMES.get(region, region),
        "AlarmArn": arn,
        "OldStateValue": old_state,
        "OKActions": [],
        "AlarmActions": [],
        "InsufficientDataActions": [],
    }
    if metric is not None:
        namespace, name, dimensions, statistic = metric
        message["Trigger"] = {
            "MetricName": name,
            "Namespace": namespace,
            "StatisticType": "Statistic",
            "Statistic": statistic.upper(),
            "Unit": None,
            "Dimensions": [{"value": v, "name": k} for k, v in dimensions.items()],
            "Period": period_s,
            "EvaluationPeriods": evaluation_periods,
            "ComparisonOperator": "GreaterThanThreshold",
            "Threshold": threshold,
            "TreatMissingData": "notBreaching",
            "EvaluateLowSampleCountPercentile": "",
        }
    return message


def sns_event(topic_arn: str, message: Mapping[str, Any], subject: str | None = None) -> dict[str, Any]:
    """The event SNS invokes a subscribed function with: one record holding the message as a string."""
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": f"{topic_arn}:{uuid.uuid4()}",
                "Sns": {
                    "Type": "Notification",
                    "MessageId": str(uuid.uuid4()),
                    "TopicArn": topic_arn,
                    "Subject": subject,
                    "Message": json.dumps(dict(message)),
                    "Timestamp": message.get("StateChangeTime", ""),
                    "MessageAttributes": {},
                },
            }
        ]
    }
