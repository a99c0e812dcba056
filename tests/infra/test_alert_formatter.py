"""The alert formatter as the stacks deploy it: between the tier topics and the people, encrypted with the
alert topics' key, failures to a queue that pages without it, and told each alarm from the catalogue."""

import json
from typing import Any

import pytest

from components.monitoring.alert_guides import alarm_guides_json
from components.monitoring.alert_routing import CLOUDWATCH_ONLY, COMPOSED_ONLY
from handlers import contract
from offline.runtime import Evaluation, RecordedResource
from program.config import STACKS, load_stack_file
from program.stack_args import alarm_facts

SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
FORMATTER = "imagepipe-{stack}-alert-formatter"
# Lambda: "Total size of all environment variables" 4 KB
# (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
LAMBDA_ENVIRONMENT_LIMIT = 4096


def subscriptions(ev: Evaluation, protocol: str) -> list[dict[str, Any]]:
    return [r.inputs for r in ev.of_type(SUBSCRIPTION) if r.inputs["protocol"] == protocol]


def formatter(ev: Evaluation) -> RecordedResource:
    return ev.one("aws:lambda/function:Function", FORMATTER.format(stack=ev.stack))


def alerts_key(ev: Evaluation) -> str:
    return str(ev.one("aws:kms/key:Key", f"imagepipe-{ev.stack}-alerts-key").outputs["arn"])


def formatter_queue(ev: Evaluation) -> RecordedResource:
    return ev.one("aws:sqs/queue:Queue", f"imagepipe-{ev.stack}-alert-formatter-failures")


def tier_topics(ev: Evaluation) -> set[str]:
    return {
        ev.one("aws:sns/topic:Topic", f"imagepipe-{ev.stack}-alerts-{tier}").outputs["arn"]
        for tier in ("critical", "performance", "log-alerts")
    }


def test_email_recipients_on_the_tiers_take_only_the_composed_email(prod: Evaluation) -> None:
    direct = prod.one("aws:sns/topic:Topic", "imagepipe-prod-alerts-direct").outputs["arn"]
    tiered = [s for s in subscriptions(prod, "email") if s["topic"] != direct]
    assert len(tiered) == 5
    for s in tiered:
        assert (json.loads(s["filterPolicy"]), s["filterPolicyScope"]) == (COMPOSED_ONLY, "MessageAttributes")


def test_sms_takes_only_cloudwatchs_own_short_text(prod: Evaluation) -> None:
    (sms,) = subscriptions(prod, "sms")
    assert (json.loads(sms["filterPolicy"]), sms["filterPolicyScope"]) == (CLOUDWATCH_ONLY, "MessageBody")


def test_the_direct_topic_reaches_every_email_recipient_with_cloudwatchs_text(prod: Evaluation) -> None:
    direct = prod.one("aws:sns/topic:Topic", "imagepipe-prod-alerts-direct")
    on_direct = [s for s in subscriptions(prod, "email") if s["topic"] == direct.outputs["arn"]]
    assert sorted(s["endpoint"] for s in on_direct) == sorted({s["endpoint"] for s in subscriptions(prod, "email")})
    assert all("filterPolicy" not in s for s in on_direct)
    assert direct.inputs["kmsMasterKeyId"] == alerts_key(prod)


@pytest.mark.parametrize("stack", STACKS)
def test_the_formatter_hears_only_cloudwatch_on_each_tier_and_sns_dead_letters_go_to_its_queue(
    stack: str, request: pytest.FixtureRequest
) -> None:
    ev: Evaluation = request.getfixturevalue(stack)
    function = formatter(ev)
    mine = [s for s in subscriptions(ev, "lambda") if s["endpoint"] == function.outputs["arn"]]
    assert {s["topic"] for s in mine} == tier_topics(ev)
    queue_arn = formatter_queue(ev).outputs["arn"]
    for s in mine:
        assert (json.loads(s["filterPolicy"]), s["filterPolicyScope"]) == (CLOUDWATCH_ONLY, "MessageBody")
        assert json.loads(s["redrivePolicy"]) == {"deadLetterTargetArn": queue_arn}
    permissions = ev.of_type("aws:lambda/permission:Permission")
    assert {p.inputs["sourceArn"] for p in permissions if p.inputs["principal"] == "sns.amazonaws.com"} == tier_topics(
        ev
    )


def test_failed_invocations_are_retried_twice_then_kept_in_its_encrypted_queue(prod: Evaluation) -> None:
    invoke = prod.one(
        "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "imagepipe-prod-alert-formatter-async"
    ).inputs
    queue = formatter_queue(prod)
    assert invoke["maximumRetryAttempts"] == 2 and invoke["maximumEventAgeInSeconds"] == 3600
    assert invoke["destinationConfig"]["onFailure"]["destination"] == queue.outputs["arn"]
    assert queue.inputs["kmsMasterKeyId"] == alerts_key(prod)
    policy = json.loads(prod.one("aws:sqs/queuePolicy:QueuePolicy").inputs["policy"])
    (statement,) = policy["Statement"]
    assert statement["Principal"] == {"Service": "sns.amazonaws.com"}
    assert set(statement["Condition"]["ArnEquals"]["aws:SourceArn"]) == tier_topics(prod)


def test_the_ledger_expires_its_records_and_is_under_the_alerts_key(prod: Evaluation) -> None:
    table = prod.one("aws:dynamodb/table:Table", "imagepipe-prod-alert-ledger").inputs
    assert table["hashKey"] == contract.LEDGER_HASH_KEY
    assert table["ttl"] == {"attributeName": contract.LEDGER_TTL_ATTRIBUTE, "enabled": True}
    assert table["serverSideEncryption"] == {"enabled": True, "kmsKeyArn": alerts_key(prod)}


def test_in_compliance_mode_it_runs_in_the_private_subnets_and_logs_under_the_logs_key(prod: Evaluation) -> None:
    function = formatter(prod).inputs
    processor = prod.one("aws:lambda/function:Function", "imagepipe-prod-image-processor").inputs
    assert function["vpcConfig"] == processor["vpcConfig"]
    logs = prod.one("aws:cloudwatch/logGroup:LogGroup", "imagepipe-prod-alert-formatter-logs").inputs
    assert logs["kmsKeyId"] == prod.one("aws:kms/key:Key", "imagepipe-prod-logs-key").outputs["arn"]
    assert logs["retentionInDays"] == 90


@pytest.mark.parametrize("stack", STACKS)
def test_it_is_told_each_alarm_from_the_catalogue_within_lambdas_environment_limit(
    stack: str, request: pytest.FixtureRequest
) -> None:
    ev: Evaluation = request.getfixturevalue(stack)
    variables: dict[str, str] = formatter(ev).inputs["environment"]["variables"]
    config = load_stack_file(stack)
    group = f"/aws/lambda/imagepipe-{stack}-image-processor"
    assert variables[contract.ENV_ALERT_GUIDES] == alarm_guides_json(f"imagepipe-{stack}", alarm_facts(config), group)
    assert variables[contract.ENV_ALERT_STACK] == f"imagepipe-{stack}"
    assert variables[contract.ENV_EVIDENCE_LINES] == "5"
    size = sum(len(k.encode()) + len(v.encode()) for k, v in variables.items())
    assert size < LAMBDA_ENVIRONMENT_LIMIT * 0.8, size
