"""The alert formatter's world inside moto: a tier topic with its email, SMS and formatter subscribers
(as SQS inboxes under the real filter policies), the watched log group, the ledger, the environment."""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from components.monitoring.alarms import describe, paging_alarm_name
from components.monitoring.alert_guides import alarm_guides_json, formatter_environment
from components.monitoring.alert_routing import MESSAGE_ATTRIBUTES, MESSAGE_BODY, cloudwatch_only, composed_only
from components.monitoring.catalogue import ALARMS, AlarmSpec, StackFacts
from emulated_aws.alarm_notifications import alarm_message, reason_text, sns_event
from emulated_aws.lambda_context import FrozenLambdaContext
from emulated_aws.provisioning import create_alert_ledger_table
from handlers.alert_formatter import handler
from handlers.telemetry import events as ev

STACK = "imagepipe-test"
LOG_GROUP = "/aws/lambda/imagepipe-test-image-processor"
LEDGER = "imagepipe-test-alert-ledger"
DASHBOARD = (
    "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/imagepipe-test"
)
RUNBOOK = "https://github.com/acme/imagepipe/blob/v0.2.0/docs/alerts.md"
FACTS = StackFacts(timeout_s=60, reserved_concurrency=None, expect_traffic=True, no_traffic_minutes=60, formatter=True)
# When the alarms in these tests change state.
CHANGED = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)
INBOXES = ("email", "sms", "formatter")


def spec(alarm_id: str) -> AlarmSpec:
    return next(s for s in ALARMS if s.id == alarm_id)


def environment(evidence_lines: int = 5, runbook: str | None = RUNBOOK) -> dict[str, str]:
    return dict(
        formatter_environment(
            stack=STACK,
            guides_json=alarm_guides_json(STACK, FACTS, LOG_GROUP),
            ledger_table=LEDGER,
            evidence_lines=evidence_lines,
            dashboard_url=DASHBOARD,
            runbook_url=runbook,
        )
    )


def log_line(moment: datetime, event: str, level: str = "INFO", **fields: Any) -> dict[str, Any]:
    """One line as the image handler writes it (Lambda's JSON log shape)."""
    return {
        ev.FIELD_TIMESTAMP: moment.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        ev.FIELD_LEVEL: level,
        ev.FIELD_MESSAGE: event,
        ev.FIELD_LOGGER: "handlers.edge",
        ev.FIELD_REQUEST_ID: f"req-{moment:%H%M%S}",
        ev.FIELD_EVENT: event,
        **fields,
    }


@dataclass
class AlertWorld:
    logs: Any
    sns: Any
    sqs: Any
    cloudwatch: Any
    dynamodb: Any
    topic_arn: str
    inboxes: dict[str, str]
    published: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def create(cls, session: Any) -> "AlertWorld":
        logs, sns, sqs = session.client("logs"), session.client("sns"), session.client("sqs")
        cloudwatch, dynamodb = session.client("cloudwatch"), session.client("dynamodb")
        logs.create_log_group(logGroupName=LOG_GROUP)
        logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName="s")
        create_alert_ledger_table(dynamodb, LEDGER)
        topic = sns.create_topic(Name=f"{STACK}-alerts-critical")["TopicArn"]
        inboxes = {}
        policies = {
            "email": (composed_only(), MESSAGE_ATTRIBUTES),
            "sms": (cloudwatch_only(), MESSAGE_BODY),
            "formatter": (cloudwatch_only(), MESSAGE_BODY),
        }
        for name, (policy, scope) in policies.items():
            url = sqs.create_queue(QueueName=f"inbox-{name}")["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            sns.subscribe(
                TopicArn=topic,
                Protocol="sqs",
                Endpoint=arn,
                Attributes={"RawMessageDelivery": "false", "FilterPolicy": policy, "FilterPolicyScope": scope},
            )
            inboxes[name] = url
        return cls(logs, sns, sqs, cloudwatch, dynamodb, topic, inboxes)

    def write_lines(self, *lines: dict[str, Any] | str) -> None:
        events: list[dict[str, Any]] = []
        for line in lines:
            text = line if isinstance(line, str) else json.dumps(line)
            moment = (
                CHANGED
                if isinstance(line, str)
                else datetime.strptime(line[ev.FIELD_TIMESTAMP], "%Y-%m-%dT%H:%M:%S.000Z")
            )
            events.append({"timestamp": int(moment.replace(tzinfo=UTC).timestamp() * 1000), "message": text})
        events.sort(key=lambda e: int(e["timestamp"]))
        self.logs.put_log_events(logGroupName=LOG_GROUP, logStreamName="s", logEvents=events)

    def notification(
        self,
        alarm_id: str,
        new_state: str = "ALARM",
        changed: datetime = CHANGED,
        values: tuple[float, ...] = (12.0,),
        metric: tuple[str, str, dict[str, str], str] | None = None,
        composite: bool = False,
    ) -> dict[str, Any]:
        """CloudWatch's notification for the alarm that pages for ``alarm_id`` (a composite carries no Trigger)."""
        s = spec(alarm_id)
        threshold = s.threshold_for(FACTS)
        assert threshold is not None
        period = s.period_for(FACTS)
        message = alarm_message(
            paging_alarm_name(STACK, s),
            new_state=new_state,
            old_state="OK" if new_state == "ALARM" else "ALARM",
            changed=changed,
            description=describe(s, threshold, period, DASHBOARD, RUNBOOK),
            reason=reason_text(values, threshold, changed - timedelta(minutes=5)),
            metric=None if composite else metric or (FACTS_NAMESPACE, s.metric.name if s.metric else "x", {}, "Sum"),
            period_s=period,
            threshold=threshold,
        )
        return sns_event(self.topic_arn, message)

    def invoke(self, event: dict[str, Any]) -> dict[str, list[str]]:
        return handler(event, FrozenLambdaContext())

    def inbox(self, name: str) -> list[dict[str, Any]]:
        """What SNS delivered to one subscriber: the SNS envelopes, oldest first."""
        got = self.sqs.receive_message(QueueUrl=self.inboxes[name], MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in got]


FACTS_NAMESPACE = "imagepipe/test"
