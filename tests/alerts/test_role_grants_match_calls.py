"""The alert formatter's role grants exactly what its code calls: no grant without a call, no call without a grant.

Every request the formatter's own boto3 clients make is recorded (botocore's ``provide-client-params``)
across every outcome under moto: an alarm with log lines and datapoints, its OK, a duplicate, a change
being sent elsewhere, a failed publish. Each becomes the IAM action and resource AWS checks for it
(Service Authorization Reference: CloudWatch Logs log-group, SNS topic, DynamoDB table; GetMetricData has
no resource type, so "*"); ``components.iam_documents.formatter_policy`` must allow each, and grant
nothing on those services that no call needs.
"""

from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

import pytest

from components.iam_documents import FormatterResources, formatter_policy
from emulated_aws.alarm_notifications import ACCOUNT
from emulated_aws.environment import REGION
from handlers.alerts.clients import ALERT_OPERATIONS, alert_clients
from handlers.alerts.errors import AlreadyInProgress
from handlers.alerts.ledger import Ledger
from handlers.telemetry.events import LogEvent
from tests.alerts.alert_deployment import CHANGED, LEDGER, LOG_GROUP, AlertWorld, log_line
from tests.api.test_role_grants_match_calls import Need, allowing_statements, iam_like
from tests.infra.policy_reading import statements

LOG_GROUP_ARN = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{LOG_GROUP}"
LEDGER_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{LEDGER}"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000000"
QUEUE_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:imagepipe-test-alert-formatter-failures"
OWN_LOGS_ARN = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/imagepipe-test-alert-formatter"
CALLED_SERVICES = {"logs", "cloudwatch", "sns", "dynamodb"}
# Used by Lambda on the function's behalf, never by the formatter's code.
PLATFORM_GRANTS = {
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "sqs:SendMessage",
    "kms:Decrypt",
    "kms:GenerateDataKey*",
}


def iam_needs(service: str, operation: str, p: Mapping[str, Any]) -> list[Need]:
    match (service, operation):
        case ("logs", "FilterLogEvents"):
            return [Need("logs:FilterLogEvents", f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{p['logGroupName']}")]
        case ("monitoring", "GetMetricData"):
            return [Need("cloudwatch:GetMetricData", "*")]
        case ("sns", "Publish"):
            return [Need("sns:Publish", p["TopicArn"])]
        case ("dynamodb", "PutItem" | "GetItem" | "DeleteItem"):
            assert p["TableName"] == LEDGER
            return [Need(f"dynamodb:{operation}", LEDGER_ARN)]
    raise AssertionError(f"no IAM action known for {service}:{operation}: add it from AWS's reference")


@pytest.fixture
def recorded(aws: AlertWorld) -> Iterator[list[tuple[str, str, dict[str, Any]]]]:
    calls: list[tuple[str, str, dict[str, Any]]] = []
    clients = alert_clients()
    # The protocols type only what the code calls; the recorder needs the real clients' events.
    every: tuple[Any, ...] = (clients.logs, clients.cloudwatch, clients.sns, clients.dynamodb)

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        calls.append((model.service_model.endpoint_prefix, model.name, dict(params)))

    for client in every:
        client.meta.events.register("provide-client-params.*.*", record, unique_id="alert-grant-recorder")
    yield calls
    for client in every:
        client.meta.events.unregister("provide-client-params.*.*", unique_id="alert-grant-recorder")


@pytest.fixture
def every_outcome(
    aws: AlertWorld, recorded: list[tuple[str, str, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, str, dict[str, Any]]]:
    aws.write_lines(log_line(CHANGED - timedelta(minutes=1), LogEvent.FAILED, "ERROR", key="uploads/u/a.jpg"))
    metric = ("AWS/Lambda", "Errors", {"FunctionName": "imagepipe-test-image-processor"}, "Sum")
    alarm = aws.notification("function-errors", metric=metric)
    assert aws.invoke(alarm) == {"outcomes": ["sent"]}
    assert aws.invoke(alarm) == {"outcomes": ["duplicate"]}
    assert aws.invoke(aws.notification("function-errors", "OK", CHANGED + timedelta(minutes=5))) == {
        "outcomes": ["sent"]
    }
    Ledger(alert_clients().dynamodb, LEDGER).claim(
        Ledger.change_key("imagepipe-test-lambda-errors-log-alerts", "ALARM", CHANGED)
    )
    with pytest.raises(AlreadyInProgress):
        aws.invoke(aws.notification("lambda-errors"))

    def refused(**_: Any) -> dict[str, Any]:
        from botocore.exceptions import ClientError

        raise ClientError({"Error": {"Code": "AuthorizationError", "Message": "no"}}, "Publish")

    monkeypatch.setattr(alert_clients().sns, "publish", refused)
    with pytest.raises(Exception, match="AuthorizationError"):
        aws.invoke(aws.notification("rejected-uploads"))
    return recorded


def policy(in_vpc: bool = False) -> dict[str, Any]:
    return formatter_policy(
        FormatterResources(
            watched_log_group_arns=(LOG_GROUP_ARN,),
            topic_arns=(f"arn:aws:sns:{REGION}:{ACCOUNT}:imagepipe-test-alerts-critical",),
            alerts_key_arn=KEY_ARN,
            ledger_table_arn=LEDGER_ARN,
            failure_queue_arn=QUEUE_ARN,
            log_group_arn=OWN_LOGS_ARN,
            in_vpc=in_vpc,
        )
    )


def needs(calls: list[tuple[str, str, dict[str, Any]]]) -> set[Need]:
    return {n for service, operation, params in calls for n in iam_needs(service, operation, params)}


def test_the_documented_operations_are_the_ones_called(every_outcome: list[tuple[str, str, dict[str, Any]]]) -> None:
    assert {(s, o) for s, o, _ in every_outcome} == {(op.service, op.operation) for op in ALERT_OPERATIONS}
    assert {n.action for n in needs(every_outcome)} == {a for op in ALERT_OPERATIONS for a in op.iam_actions}


def test_every_call_is_allowed_by_the_formatters_policy(every_outcome: list[tuple[str, str, dict[str, Any]]]) -> None:
    refused = sorted((n.action, n.resource) for n in needs(every_outcome) if not allowing_statements(policy(), n))
    assert refused == []


def test_every_grant_on_the_called_services_is_used_by_some_call(
    every_outcome: list[tuple[str, str, dict[str, Any]]],
) -> None:
    used = needs(every_outcome)
    for sid, s in statements(policy()).items():
        for action in s["Action"]:
            if action.split(":")[0] not in CALLED_SERVICES or action in PLATFORM_GRANTS:
                continue
            for resource in s["Resource"]:
                if resource.endswith(":*") and resource.removesuffix(":*") in s["Resource"]:
                    continue  # the log group's ARN written with CloudWatch Logs' ":*" as well
                assert any(iam_like(action, n.action) and iam_like(resource, n.resource) for n in used), (
                    sid,
                    action,
                    resource,
                )


def test_other_grants_are_what_lambda_uses_on_its_behalf() -> None:
    others = {
        a
        for s in statements(policy()).values()
        for a in s["Action"]
        if (a.split(":")[0] not in CALLED_SERVICES or a in PLATFORM_GRANTS)
    }
    assert others == PLATFORM_GRANTS
    vpc_only = {a for s in statements(policy(in_vpc=True)).values() for a in s["Action"]} - {
        a for s in statements(policy()).values() for a in s["Action"]
    }
    assert {a.split(":")[0] for a in vpc_only} == {"ec2"}
