"""DevCleanup (seed 004) on dev: a schedule, a function that deletes what is past an age, a role for just that."""

import json
from typing import Any

import pytest

from handlers import contract
from handlers.cleanup.clients import CLEANUP_OPERATIONS
from offline.runtime import Evaluation, evaluate_program
from program.config import ConfigError, stack_file_values
from tests.infra.policy_reading import statements

ACCOUNT = "123456789012"


def cleanup_function(ev: Evaluation) -> dict[str, Any]:
    return ev.one("aws:lambda/function:Function", "imagepipe-dev-cleanup").inputs


def cleanup_statements(ev: Evaluation) -> dict[str, dict[str, Any]]:
    return statements(ev.one("aws:iam/rolePolicy:RolePolicy", "imagepipe-dev-cleanup-policy").inputs["policy"])


def arn(ev: Evaluation, type_: str, name: str) -> str:
    return str(ev.one(type_, name).outputs["arn"])


def test_dev_runs_the_cleanup_daily_at_21_30_utc(dev: Evaluation) -> None:
    schedule = dev.one("aws:scheduler/schedule:Schedule").inputs
    assert (schedule["scheduleExpression"], schedule["scheduleExpressionTimezone"]) == ("cron(30 21 * * ? *)", "UTC")
    assert schedule["flexibleTimeWindow"] == {"mode": "OFF"}
    assert schedule["target"]["arn"] == arn(dev, "aws:lambda/function:Function", "imagepipe-dev-cleanup")


def test_the_schedule_and_age_come_from_config() -> None:
    ev = evaluate_program(
        "dev", {**stack_file_values("dev"), "cleanupSchedule": "rate(6 hours)", "cleanupMaxAgeDays": "2"}
    )
    assert ev.one("aws:scheduler/schedule:Schedule").inputs["scheduleExpression"] == "rate(6 hours)"
    variables = ev.one("aws:lambda/function:Function", "imagepipe-dev-cleanup").inputs["environment"]["variables"]
    assert variables[contract.ENV_CLEANUP_MAX_AGE_DAYS] == "2"


def test_the_function_is_the_cleanup_handler_pointed_at_the_pipelines_buckets_and_table(dev: Evaluation) -> None:
    function = cleanup_function(dev)
    assert function["handler"] == contract.CLEANUP_HANDLER == "handlers.cleanup_handler.handler"
    assert function["environment"]["variables"] == {
        contract.ENV_UPLOAD_BUCKET: dev.exports["upload_bucket"],
        contract.ENV_PROCESSED_BUCKET: dev.exports["processed_bucket"],
        contract.ENV_METADATA_TABLE: dev.exports["metadata_table"],
        contract.ENV_CLEANUP_MAX_AGE_DAYS: "7",
    }
    invoke = dev.one(
        "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "imagepipe-dev-cleanup-async"
    ).inputs
    assert invoke["maximumRetryAttempts"] == 0  # tomorrow's sweep starts over; the alarm says today's failed


def test_the_role_may_only_list_and_delete_versions_and_scan_and_delete_items(dev: Evaluation) -> None:
    uploads = arn(dev, "aws:s3/bucket:Bucket", "imagepipe-dev-uploads")
    processed = arn(dev, "aws:s3/bucket:Bucket", "imagepipe-dev-processed")
    table = arn(dev, "aws:dynamodb/table:Table", "imagepipe-dev-images")
    role = cleanup_statements(dev)
    assert set(role) == {"ListVersions", "DeleteVersions", "ExpireMetadata", "WriteOwnLogs"}
    assert (role["ListVersions"]["Action"], role["ListVersions"]["Resource"]) == (
        ["s3:ListBucketVersions"],
        [uploads, processed],
    )
    assert (role["DeleteVersions"]["Action"], role["DeleteVersions"]["Resource"]) == (
        ["s3:DeleteObject", "s3:DeleteObjectVersion"],
        [f"{uploads}/*", f"{processed}/*"],
    )
    assert (role["ExpireMetadata"]["Action"], role["ExpireMetadata"]["Resource"]) == (
        ["dynamodb:Scan", "dynamodb:BatchWriteItem"],
        [table],
    )


def test_the_roles_s3_and_dynamodb_grants_are_exactly_what_the_function_calls(dev: Evaluation) -> None:
    # handlers.cleanup.clients.CLEANUP_OPERATIONS is proven against recorded calls in tests/cleanup/test_calls.py.
    granted = {
        a for s in cleanup_statements(dev).values() for a in s["Action"] if a.split(":")[0] in ("s3", "dynamodb")
    }
    assert granted == {a for operation in CLEANUP_OPERATIONS for a in operation.iam_actions}


def test_only_this_accounts_scheduler_may_invoke_only_the_cleanup(dev: Evaluation) -> None:
    trust = statements(dev.one("aws:iam/role:Role", "imagepipe-dev-cleanup-scheduler-role").inputs["assumeRolePolicy"])
    (statement,) = trust.values()
    assert statement["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    invoke = statements(
        dev.one("aws:iam/rolePolicy:RolePolicy", "imagepipe-dev-cleanup-scheduler-policy").inputs["policy"]
    )
    assert invoke["InvokeCleanup"]["Action"] == ["lambda:InvokeFunction"]
    assert invoke["InvokeCleanup"]["Resource"] == [arn(dev, "aws:lambda/function:Function", "imagepipe-dev-cleanup")]


def test_prod_has_no_cleanup(prod: Evaluation) -> None:
    assert prod.of_type("aws:scheduler/schedule:Schedule") == []
    assert prod.of_type("imagepipe:index:DevCleanup") == []


def test_the_program_refuses_cleanup_on_prod_naming_the_key() -> None:
    with pytest.raises(ConfigError, match=r"imagepipe:cleanup must be false on prod: the cleanup deletes every upload"):
        evaluate_program("prod", {**stack_file_values("prod"), "cleanup": "true"})


@pytest.mark.parametrize("schedule", ["daily", "cron(30 21 * * ?)", "rate(0 days)", json.dumps("cron(x)")])
def test_a_schedule_eventbridge_would_refuse_is_refused(schedule: str) -> None:
    with pytest.raises(ConfigError, match=r"imagepipe:cleanupSchedule must be cron\("):
        evaluate_program("dev", {**stack_file_values("dev"), "cleanupSchedule": schedule})


def test_an_age_under_one_day_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"imagepipe:cleanupMaxAgeDays must be a whole number of at least 1, got 0"):
        evaluate_program("dev", {**stack_file_values("dev"), "cleanupMaxAgeDays": "0"})
