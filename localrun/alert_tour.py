"""After the run: one alarm of each tier raised from the run's own log lines, and the emails the formatter composes.

The run's log lines go into the emulator's CloudWatch Logs, in the image function's log group; two more
uploads fail for real (the processed bucket refuses every write, so the handler fails and Lambda's
retries fail too). Then CloudWatch's notification is emulated for three alarms, as it would reach the
tier topics, and ``handlers.alert_formatter.handler`` runs on each in-process with the stack's own
environment (``components.monitoring.alert_guides``): the emails it publishes arrive through the
email subscription's filter policy (an SQS inbox stands in for the mailbox) and are written to
``alerts/`` in the output folder.

- critical, ``function-errors``: the failed invocations against the stack's threshold (a real crossing);
- performance, ``processing-time-p99``: forced into ALARM as ``SetAlarmState`` does (the run is far too
  fast to cross it), its reason says so;
- log-alerts, ``rejected-uploads``: forced likewise (one rejection against the stack's threshold).

Then ``function-errors`` returns to OK: the short resolved email.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from components.monitoring.alarms import condition_text, describe, paging_alarm_name
from components.monitoring.alert_guides import alarm_guides_json, formatter_environment
from components.monitoring.alert_routing import MESSAGE_ATTRIBUTES, composed_only
from components.monitoring.catalogue import ALARMS, AlarmSpec, format_threshold
from components.monitoring.dashboard import dashboard_url
from components.naming import Naming
from emulated_aws.alarm_notifications import alarm_message, reason_text, sns_event
from emulated_aws.environment import REGION, patched_environ
from emulated_aws.lambda_context import LocalLambdaContext
from emulated_aws.provisioning import create_alert_ledger_table
from emulated_aws.server import LocalAws
from handlers.alert_formatter import handler
from handlers.alerts.clients import reset_alert_clients
from handlers.telemetry import events as ev
from program.config import StackConfig
from program.stack_args import alarm_facts

FOLDER: Final = "alerts"
# The moment the alarms change state: a minute after the run's last line.
_AFTER_RUN: Final = timedelta(minutes=1)


@dataclass(frozen=True)
class AlertEmail:
    file: Path
    tier: str
    alarm: str
    subject: str
    state: str


def _spec(alarm_id: str) -> AlarmSpec:
    return next(s for s in ALARMS if s.id == alarm_id)


def _line_time(line: str) -> datetime | None:
    try:
        stamp = json.loads(line).get(ev.FIELD_TIMESTAMP)
        return datetime.strptime(str(stamp), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except (ValueError, AttributeError):
        return None


def _put_lines(logs: Any, group: str, lines: Sequence[str]) -> datetime:
    """The run's JSON lines into the log group, at their own times; returns the newest line's time."""
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="demo")
    timed = sorted((t, line) for line in lines if (t := _line_time(line)) is not None)
    events = [{"timestamp": int(t.timestamp() * 1000), "message": line} for t, line in timed]
    for start in range(0, len(events), 1000):
        logs.put_log_events(logGroupName=group, logStreamName="demo", logEvents=events[start : start + 1000])
    return timed[-1][0] if timed else datetime.now(UTC)


def _inbox(aws: LocalAws, topic_arn: str, tier: str) -> str:
    """An SQS queue standing in for the tier's email recipients, behind the email filter policy."""
    sqs, sns = aws.client("sqs"), aws.client("sns")
    url: str = sqs.create_queue(QueueName=f"demo-mailbox-{tier}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=arn,
        Attributes={"FilterPolicy": composed_only(), "FilterPolicyScope": MESSAGE_ATTRIBUTES},
    )
    return url


def raise_alerts(
    aws: LocalAws,
    config: StackConfig,
    naming: Naming,
    lines: Sequence[str],
    failed_invocations: int,
    out: Path,
) -> list[AlertEmail]:
    """Three alarms and one recovery through the formatter; the emails written under ``out/alerts/``."""
    prefix = naming.prefix
    facts = alarm_facts(config)
    group = naming.log_group(naming.name("image-processor"))
    changed = _put_lines(aws.client("logs"), group, lines).replace(microsecond=0) + _AFTER_RUN
    ledger = naming.name("alert-ledger")
    create_alert_ledger_table(aws.client("dynamodb"), ledger)
    sns, sqs = aws.client("sns"), aws.client("sqs")
    topics = {
        t: sns.create_topic(Name=f"{prefix}-alerts-{t}")["TopicArn"] for t in ("critical", "performance", "log-alerts")
    }
    inboxes = {t: _inbox(aws, arn, t) for t, arn in topics.items()}
    dashboard = dashboard_url(REGION, prefix)
    aws.client("cloudwatch").put_metric_data(
        Namespace="AWS/Lambda",
        MetricData=[
            {
                "MetricName": "Errors",
                "Dimensions": [{"Name": "FunctionName", "Value": naming.name("image-processor")}],
                "Timestamp": changed - timedelta(minutes=1),
                "Value": float(failed_invocations),
            }
        ],
    )
    slowest = max(
        (float(json.loads(x).get(ev.FIELD_PROCESSING_TIME_MS, 0)) for x in lines if ev.FIELD_PROCESSING_TIME_MS in x),
        default=0.0,
    )
    rejections = sum(1 for x in lines if f'"{ev.LogEvent.REJECTED.value}"' in x)

    def notify(alarm_id: str, state: str, when: datetime, value: float, forced: str | None = None) -> AlertEmail:
        spec = _spec(alarm_id)
        threshold = spec.threshold_for(facts)
        assert threshold is not None, alarm_id
        period = spec.period_for(facts)
        metric = None
        if spec.metric is not None:
            dimensions = {"FunctionName": naming.name("image-processor")} if spec.metric.source.aws_namespace else {}
            namespace = spec.metric.source.aws_namespace or naming.metric_namespace
            metric = (namespace, spec.metric.name, dimensions, spec.metric.statistic)
        comparison = "greater" if state == "ALARM" else "not greater"
        reason = reason_text([value], threshold, when - timedelta(seconds=period), comparison)
        if forced:
            reason = (
                f"{forced} ({condition_text(spec, threshold, period)}; the run's figure: {format_threshold(value)})"
            )
        message = alarm_message(
            paging_alarm_name(prefix, spec),
            new_state=state,
            old_state="OK" if state == "ALARM" else "ALARM",
            changed=when,
            description=describe(spec, threshold, period, dashboard, config.alerting.runbook_url),
            reason=reason,
            metric=metric,
            period_s=period,
            threshold=threshold,
        )
        handler(sns_event(topics[spec.tier.value], message), LocalLambdaContext(timeout_ms=30_000))
        (got,) = sqs.receive_message(QueueUrl=inboxes[spec.tier.value], MaxNumberOfMessages=10)["Messages"]
        sqs.delete_message(QueueUrl=inboxes[spec.tier.value], ReceiptHandle=got["ReceiptHandle"])
        envelope = json.loads(got["Body"])
        name = f"{spec.tier.value}-{spec.id}{'' if state == 'ALARM' else '-resolved'}.txt"
        target = out / FOLDER / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"Subject: {envelope['Subject']}\n\n{envelope['Message']}", encoding="utf-8")
        return AlertEmail(target, spec.tier.value, spec.id, envelope["Subject"], state)

    forced = "Forced with SetAlarmState for the demo"
    environment = formatter_environment(
        stack=prefix,
        guides_json=alarm_guides_json(prefix, facts, group),
        ledger_table=ledger,
        evidence_lines=5,
        dashboard_url=dashboard,
        runbook_url=config.alerting.runbook_url,
    )
    with patched_environ(dict(environment)):
        reset_alert_clients()
        try:
            return [
                notify("function-errors", "ALARM", changed, failed_invocations),
                notify("processing-time-p99", "ALARM", changed, slowest, forced),
                notify("rejected-uploads", "ALARM", changed, rejections, forced),
                notify("function-errors", "OK", changed + timedelta(minutes=7), 0),
            ]
        finally:
            reset_alert_clients()
