"""Repeated notifications of one state change send one email; the OK email says how long the alarm lasted."""

from datetime import timedelta
from typing import Any

import pytest

from handlers.alerts.clients import alert_clients
from handlers.alerts.errors import AlreadyInProgress
from handlers.alerts.ledger import CLAIMED, Ledger
from tests.alerts.alert_deployment import CHANGED, LEDGER, AlertWorld


def test_a_repeated_notification_of_the_same_change_sends_nothing_more(aws: AlertWorld) -> None:
    # GIVEN SNS delivers the same notification twice (at least once), and Lambda retries it once more
    event = aws.notification("rejected-uploads")
    outcomes = [aws.invoke(event), aws.invoke(event), aws.invoke(aws.notification("rejected-uploads"))]
    # THEN one email
    assert outcomes == [{"outcomes": ["sent"]}, {"outcomes": ["duplicate"]}, {"outcomes": ["duplicate"]}]
    assert len(aws.inbox("email")) == 1


def test_each_new_state_change_sends_its_own_email(aws: AlertWorld) -> None:
    aws.invoke(aws.notification("rejected-uploads"))
    aws.invoke(aws.notification("rejected-uploads", new_state="OK", changed=CHANGED + timedelta(minutes=10)))
    aws.invoke(aws.notification("rejected-uploads", changed=CHANGED + timedelta(minutes=20)))
    assert [m["Subject"].split("]")[0] for m in aws.inbox("email")] == ["[LOG-ALERTS", "[RESOLVED", "[LOG-ALERTS"]


def test_the_ok_email_is_short_and_says_how_long_the_alarm_lasted(aws: AlertWorld) -> None:
    aws.invoke(aws.notification("rejected-uploads"))
    aws.invoke(aws.notification("rejected-uploads", new_state="OK", changed=CHANGED + timedelta(minutes=72)))
    resolved = aws.inbox("email")[1]
    assert resolved["Subject"] == "[RESOLVED] imagepipe-test: rejected uploads, lasted 1 h 12 min"
    assert "In ALARM since 2026-12-04 16:30:00 UTC: it lasted 1 h 12 min." in resolved["Message"]
    assert len(resolved["Message"].splitlines()) == 3


def test_an_ok_without_a_recorded_alarm_says_the_duration_is_unknown(aws: AlertWorld) -> None:
    aws.invoke(aws.notification("rejected-uploads", new_state="OK"))
    (resolved,) = aws.inbox("email")
    assert resolved["Subject"] == "[RESOLVED] imagepipe-test: rejected uploads"
    assert "How long it lasted is unknown" in resolved["Message"]


def test_a_change_another_invocation_is_sending_now_fails_to_be_retried(aws: AlertWorld) -> None:
    # GIVEN a fresh claim on the change
    ledger = Ledger(alert_clients().dynamodb, LEDGER)
    change = Ledger.change_key("imagepipe-test-rejected-uploads-log-alerts", "ALARM", CHANGED)
    assert ledger.claim(change)
    # THEN a second delivery raises (Lambda retries it later) and sends nothing
    with pytest.raises(AlreadyInProgress):
        aws.invoke(aws.notification("rejected-uploads"))
    assert aws.inbox("email") == []


def test_a_claim_left_by_a_dead_invocation_is_taken_over(aws: AlertWorld) -> None:
    change = Ledger.change_key("imagepipe-test-rejected-uploads-log-alerts", "ALARM", CHANGED)
    aws.dynamodb.put_item(
        TableName=LEDGER,
        Item={"change": {"S": change}, "status": {"S": CLAIMED}, "claimed_at": {"N": "1"}, "expires_at": {"N": "9"}},
    )
    assert aws.invoke(aws.notification("rejected-uploads")) == {"outcomes": ["sent"]}


def test_a_failed_publish_releases_the_claim_so_the_retry_sends(
    aws: AlertWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    sns = alert_clients().sns
    real = sns.publish

    def refused(**_: Any) -> dict[str, Any]:
        from botocore.exceptions import ClientError

        raise ClientError({"Error": {"Code": "KMSAccessDenied", "Message": "no"}}, "Publish")

    monkeypatch.setattr(sns, "publish", refused)
    event = aws.notification("rejected-uploads")
    with pytest.raises(Exception, match="KMSAccessDenied"):
        aws.invoke(event)
    monkeypatch.setattr(sns, "publish", real)
    assert aws.invoke(event) == {"outcomes": ["sent"]}
    assert len(aws.inbox("email")) == 1


def test_an_unreachable_ledger_costs_the_repeat_check_never_the_email(
    aws: AlertWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN every call to the ledger table is refused
    dynamodb = alert_clients().dynamodb

    def refused(**_: Any) -> dict[str, Any]:
        from botocore.exceptions import ClientError

        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "PutItem")

    for method in ("put_item", "get_item", "delete_item"):
        monkeypatch.setattr(dynamodb, method, refused)
    # THEN the ALARM and the OK emails still go out (the OK one cannot say how long it lasted)
    assert aws.invoke(aws.notification("rejected-uploads")) == {"outcomes": ["sent"]}
    assert aws.invoke(aws.notification("rejected-uploads", "OK", CHANGED + timedelta(minutes=3))) == {
        "outcomes": ["sent"]
    }
    alarm, resolved = aws.inbox("email")
    assert alarm["Subject"].startswith("[LOG-ALERTS] imagepipe-test: rejected uploads")
    assert resolved["Subject"] == "[RESOLVED] imagepipe-test: rejected uploads"
