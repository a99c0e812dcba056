"""The email for an alarm that enters ALARM carries its evidence: the matching lines of the evaluated
window (chosen by the alarm's own filter pattern, newest first, up to the limit, with the count of all),
or the window's datapoints, and never loses the alert when evidence fails."""

import json
from datetime import timedelta
from typing import Any

import pytest

from components.monitoring.catalogue import LOG_METRICS
from handlers.alerts import clients as alert_clients_module
from handlers.alerts.clients import alert_clients
from handlers.alerts.compose import Evidence, evidence_section
from handlers.alerts.evidence import matching_lines
from handlers.telemetry.events import ERROR_CODE_ACCESS_DENIED, LogEvent
from tests.alerts.alert_deployment import CHANGED, LOG_GROUP, AlertWorld, environment, log_line


def the_email(world: AlertWorld) -> dict[str, Any]:
    (email,) = world.inbox("email")
    return email


def test_a_log_alarm_email_has_the_subject_on_call_reads_first(aws: AlertWorld) -> None:
    # GIVEN 12 rejected uploads in the window
    aws.write_lines(
        *(log_line(CHANGED - timedelta(seconds=10 * i), LogEvent.REJECTED, reason="corrupt") for i in range(12))
    )
    # WHEN rejected-uploads goes into ALARM on 12 against its threshold of 10
    outcome = aws.invoke(aws.notification("rejected-uploads", values=(12.0,)))
    # THEN one email, subject: tier, stack, what broke, the figure against its threshold
    assert outcome == {"outcomes": ["sent"]}
    email = the_email(aws)
    assert email["Subject"] == "[LOG-ALERTS] imagepipe-test: rejected uploads, 12 in 5 min (threshold 10)"
    assert len(email["Subject"]) < 100


def test_only_lines_matching_the_alarms_own_pattern_are_chosen_though_moto_returns_every_line(
    aws: AlertWorld,
) -> None:
    # GIVEN the window holds processed, skipped, failed and rejected lines (moto's FilterLogEvents returns all)
    aws.write_lines(
        log_line(CHANGED - timedelta(seconds=50), LogEvent.PROCESSED, key="uploads/u/ok.jpg"),
        log_line(CHANGED - timedelta(seconds=40), LogEvent.REJECTED, key="uploads/u/a.jpg", reason="corrupt"),
        log_line(
            CHANGED - timedelta(seconds=30), LogEvent.FAILED, "ERROR", key="uploads/u/b.jpg", error_code="SlowDown"
        ),
        log_line(CHANGED - timedelta(seconds=20), LogEvent.REJECTED, key="uploads/u/c.png", reason="too_large"),
        log_line(CHANGED - timedelta(seconds=10), LogEvent.SKIPPED, key="uploads/u/d.jpg"),
    )
    # WHEN rejected-uploads fires
    aws.invoke(aws.notification("rejected-uploads"))
    body = the_email(aws)["Message"]
    # THEN exactly the two rejected lines are shown, newest first, and counted
    assert "2 matching log lines from 16:25:00 to 16:30:00 UTC; the 2 most recent, newest first:" in body
    assert body.index("key: uploads/u/c.png") < body.index("key: uploads/u/a.jpg")
    assert "reason: too_large" in body and "reason: corrupt" in body
    for other in ("uploads/u/ok.jpg", "uploads/u/b.jpg", "uploads/u/d.jpg", "SlowDown"):
        assert other not in body


def test_lines_outside_the_evaluated_window_are_left_out(aws: AlertWorld) -> None:
    # GIVEN rejected lines before the 5-minute window, inside it, and after the state changed
    aws.write_lines(
        log_line(CHANGED - timedelta(minutes=5, seconds=1), LogEvent.REJECTED, key="uploads/u/before.jpg"),
        log_line(CHANGED - timedelta(minutes=4), LogEvent.REJECTED, key="uploads/u/inside.jpg"),
        log_line(CHANGED + timedelta(seconds=1), LogEvent.REJECTED, key="uploads/u/after.jpg"),
    )
    aws.invoke(aws.notification("rejected-uploads"))
    body = the_email(aws)["Message"]
    # THEN only the line inside the window counts
    assert "1 matching log line from" in body
    assert "uploads/u/inside.jpg" in body
    assert "before.jpg" not in body and "after.jpg" not in body


def test_the_limit_holds_and_the_count_is_of_all_matching_lines(
    aws: AlertWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN 7 matching lines and a limit of 3
    for name, value in environment(evidence_lines=3).items():
        monkeypatch.setenv(name, value)
    aws.write_lines(
        *(log_line(CHANGED - timedelta(seconds=30 * i), LogEvent.REJECTED, key=f"uploads/u/{i}.jpg") for i in range(7))
    )
    aws.invoke(aws.notification("rejected-uploads"))
    body = the_email(aws)["Message"]
    # THEN the 3 newest are shown and all 7 counted
    assert "7 matching log lines from 16:25:00 to 16:30:00 UTC; the 3 most recent, newest first:" in body
    assert [f"uploads/u/{i}.jpg" in body for i in range(7)] == [True, True, True, False, False, False, False]


def test_counting_stops_at_the_cap_and_the_email_then_says_at_least(aws: AlertWorld) -> None:
    # GIVEN 9 matching lines and a cap of 4
    aws.write_lines(*(log_line(CHANGED - timedelta(seconds=10 * i), LogEvent.REJECTED) for i in range(9)))
    pattern = next(m for m in LOG_METRICS if m.name == "RejectedUploads").filter_pattern
    found = matching_lines(aws.logs, LOG_GROUP, pattern, CHANGED - timedelta(minutes=5), CHANGED, 2, count_cap=4)
    # THEN it counts 4, says it stopped early, and the email words it so
    assert (found.count, found.complete, len(found.lines)) == (4, False, 2)
    text = "\n".join(evidence_section(Evidence(lines=found), "in the window"))
    assert "at least 4 matching log lines in the window; the 2 most recent, newest first:" in text


def test_function_errors_show_the_error_lines_and_the_metrics_datapoints(aws: AlertWorld) -> None:
    # GIVEN the function's Errors metric and an AccessDenied failure in the window
    aws.cloudwatch.put_metric_data(
        Namespace="AWS/Lambda",
        MetricData=[
            {
                "MetricName": "Errors",
                "Dimensions": [{"Name": "FunctionName", "Value": "imagepipe-test-image-processor"}],
                "Timestamp": CHANGED - timedelta(minutes=2),
                "Value": 3.0,
            }
        ],
    )
    aws.write_lines(
        log_line(
            CHANGED - timedelta(minutes=1),
            LogEvent.FAILED,
            "ERROR",
            key="uploads/u/x.jpg",
            error_code=ERROR_CODE_ACCESS_DENIED,
            error_message="Access Denied",
        )
    )
    metric = ("AWS/Lambda", "Errors", {"FunctionName": "imagepipe-test-image-processor"}, "Sum")
    aws.invoke(aws.notification("function-errors", values=(3.0,), metric=metric))
    email = the_email(aws)
    # THEN the subject is the example, and the body has the line and the datapoint
    assert email["Subject"] == "[CRITICAL] imagepipe-test: image function errors, 3 in 5 min (threshold 0)"
    body = email["Message"]
    assert "image.failed  AccessDenied" in body
    assert "message: Access Denied" in body
    assert "Datapoints of Errors, from 16:25:00 to 16:30:00 UTC: 16:25:00 3" in body


def test_failed_evidence_still_sends_the_alarm_with_the_reason(
    aws: AlertWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN FilterLogEvents is refused
    logs = alert_clients().logs

    def refused(**_: Any) -> dict[str, Any]:
        from botocore.exceptions import ClientError

        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "not authorized"}}, "FilterLogEvents")

    monkeypatch.setattr(logs, "filter_log_events", refused)
    outcome = aws.invoke(aws.notification("rejected-uploads"))
    # THEN the email goes out with the alarm's own text and why the evidence is missing
    assert outcome == {"outcomes": ["sent"]}
    body = the_email(aws)["Message"]
    assert "Log lines: evidence unavailable: AccessDeniedException: " in body
    assert "A spike of uploads was rejected" in body


def test_the_links_open_the_dashboard_the_query_over_the_window_and_the_runbook_section(aws: AlertWorld) -> None:
    aws.invoke(aws.notification("s3-access-denied"))
    body = the_email(aws)["Message"]
    assert "Dashboard: https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/" in body
    assert "Logs Insights (this query, this window): https://eu-west-1.console.aws.amazon.com/cloudwatch/home" in body
    assert (
        "Query: fields @timestamp, @message | filter event = 'image.failed' and error_code = 'AccessDenied'"
        " | sort @timestamp desc | limit 50"
    ) in body
    assert "Runbook: https://github.com/acme/imagepipe/blob/v0.2.0/docs/alerts.md#s3-access-denied" in body
    assert LOG_GROUP not in body.split("LINKS")[0]


def test_a_record_that_is_no_alarm_is_ignored_and_the_others_still_sent(aws: AlertWorld) -> None:
    event = aws.notification("rejected-uploads")
    event["Records"].insert(0, {"Sns": {"TopicArn": aws.topic_arn, "Message": "hello"}})
    assert aws.invoke(event) == {"outcomes": ["ignored", "sent"]}
    assert len(aws.inbox("email")) == 1


def test_clients_are_made_once_per_container(aws: AlertWorld) -> None:
    assert alert_clients() is alert_clients_module.alert_clients()


def test_a_composite_alarm_without_a_trigger_uses_its_catalogue_window(aws: AlertWorld) -> None:
    # GIVEN uploads processed 50 and 70 minutes before too-few-successes pages through its composite
    aws.write_lines(
        log_line(CHANGED - timedelta(minutes=50), LogEvent.PROCESSED, key="uploads/u/in-the-hour.jpg"),
        log_line(CHANGED - timedelta(minutes=70), LogEvent.PROCESSED, key="uploads/u/before.jpg"),
    )
    aws.invoke(aws.notification("too-few-successes", values=(0.0,), composite=True))
    email = the_email(aws)
    # THEN the hour the catalogue evaluates is the window, and its one processed line the evidence
    assert email["Subject"].startswith("[CRITICAL] imagepipe-test: too few images processed, ")
    body = email["Message"]
    assert "Evaluated: 2026-12-04 15:30:00 UTC to 2026-12-04 16:30:00 UTC" in body
    assert "1 matching log line from 15:30:00 to 16:30:00 UTC" in body and "in-the-hour.jpg" in body
    assert "Datapoints" not in body


def test_a_trigger_of_an_unexpected_shape_costs_the_datapoints_never_the_alert(aws: AlertWorld) -> None:
    # GIVEN CloudWatch's message with a Trigger whose metric queries are not what the formatter expects
    event = aws.notification("error-rate")
    message = json.loads(event["Records"][0]["Sns"]["Message"])
    message["Trigger"] = {"Metrics": [{"Id": "e1"}], "Period": "300", "EvaluationPeriods": 1}
    event["Records"][0]["Sns"]["Message"] = json.dumps(message)
    # THEN the email still goes out, without datapoints
    assert aws.invoke(event) == {"outcomes": ["sent"]}
    assert "Datapoints" not in the_email(aws)["Message"]
