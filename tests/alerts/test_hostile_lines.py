"""Nothing secret and nothing a user uploaded beyond keys and reasons reaches an email, whatever a log line holds."""

from datetime import timedelta

import pytest

from handlers.alerts.redaction import SECRET_MARK, URL_MARK, reduce_line, scrub
from handlers.telemetry.events import LogEvent
from tests.alerts.alert_deployment import CHANGED, AlertWorld, log_line

PRESIGNED = (
    "https://imagepipe-prod-uploads.s3.eu-west-1.amazonaws.com/uploads/u/a.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=AKIAEXAMPLE%2F20261204&X-Amz-Signature=0123456789abcdef0123456789abcdef"
)
JWT = "eyJraWQiOiJrZXkiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"


def test_a_presigned_url_in_an_error_message_is_removed_whole() -> None:
    assert scrub(f"GET {PRESIGNED} failed") == f"GET {URL_MARK} failed"


def test_a_line_that_is_not_json_is_never_shown() -> None:
    assert reduce_line(f"START RequestId: 1 {PRESIGNED}", 0).note == "not a JSON line, not shown"


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        (f"token rejected: {JWT}", "token rejected", JWT),
        ("Authorization: Bearer abc.def.ghi", "Authorization", "abc.def.ghi"),
        ("password=hunter2 for user", "for user", "hunter2"),
        ("x-amz-security-token=IQoJb3JpZ2luX2VjEJr", "x-amz-security-token", "IQoJb3JpZ2luX2VjEJr"),
        ("body " + "QUJD" * 30, "body", "QUJD" * 30),
    ],
)
def test_credentials_become_a_marker(text: str, kept: str, gone: str) -> None:
    reduced = scrub(text)
    assert kept in reduced and gone not in reduced and SECRET_MARK in reduced


def test_control_characters_and_bidi_overrides_are_gone_and_a_value_stays_one_short_line() -> None:
    reduced = scrub("bad\r\nSubject: forged\x1b[31m red \u202egnp.exe " + "x" * 500, opaque=False)
    assert "\n" not in reduced and "\r" not in reduced and "\x1b" not in reduced and "\u202e" not in reduced
    assert len(reduced) <= 160 and reduced.endswith("...")


def test_fields_outside_the_allow_list_are_never_read() -> None:
    # GIVEN a line with a body, a token and headers beside the allowed fields
    raw = log_line(CHANGED, LogEvent.REJECTED, key="uploads/u/a.jpg", reason="corrupt")
    raw.update(body="SECRET-BODY", id_token=JWT, headers={"Authorization": "Bearer x"}, user_id="u")
    import json

    line = reduce_line(json.dumps(raw), 0)
    # THEN only the allow-listed labels come out
    assert [label for label, _ in line.fields] == ["event", "level", "reason", "key", "request_id"]


def test_a_one_megabyte_line_is_reported_by_its_size_only() -> None:
    line = reduce_line('{"event": "image.failed", "error_message": "' + "A" * (1024 * 1024) + '"}', 0)
    assert line.fields == () and line.note == "a 1,048,622-byte line, not shown"


def test_hostile_lines_in_the_window_reach_the_email_reduced(aws: AlertWorld) -> None:
    # GIVEN failed lines carrying a presigned URL, a token, control characters, and a 1 MB line
    aws.write_lines(
        log_line(
            CHANGED - timedelta(seconds=40),
            LogEvent.FAILED,
            "ERROR",
            key="uploads/u/a.jpg",
            error_message=f"fetch {PRESIGNED}",
        ),
        log_line(
            CHANGED - timedelta(seconds=30),
            LogEvent.FAILED,
            "ERROR",
            key="uploads/u/b\r\nBcc: x@evil.example.jpg",
            error_message=f"id_token={JWT}",
        ),
    )
    big = log_line(CHANGED - timedelta(seconds=20), LogEvent.FAILED, "ERROR", error_message="B" * (300 * 1024))
    import json

    aws.logs.put_log_events(
        logGroupName="/aws/lambda/imagepipe-test-image-processor",
        logStreamName="s",
        logEvents=[
            {"timestamp": int((CHANGED - timedelta(seconds=20)).timestamp() * 1000), "message": json.dumps(big)}
        ],
    )
    aws.invoke(aws.notification("lambda-errors"))
    (email,) = aws.inbox("email")
    body = email["Message"]
    # THEN no URL, signature or token, and no line break inside a value
    assert "X-Amz-Signature" not in body and "amazonaws.com/uploads" not in body and JWT not in body
    assert "key: uploads/u/b Bcc: x@evil.example.jpg" in body
    assert "\r" not in body
    assert "-byte line, not shown)" in body
    assert "B" * 200 not in body
