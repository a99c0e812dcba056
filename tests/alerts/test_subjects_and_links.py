"""Subjects SNS accepts for every alarm of the catalogue, and Logs Insights links the console can read back."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

from hypothesis import given, settings
from hypothesis import strategies as st

from components.monitoring.alarms import paging_alarm_name
from components.monitoring.alert_guides import alarm_guides
from components.monitoring.catalogue import StackFacts
from emulated_aws.alarm_notifications import alarm_message, reason_text, sns_event
from handlers.alerts.compose import MAX_SUBJECT, alarm_subject, subject_line
from handlers.alerts.console_links import insights_url
from handlers.alerts.notification import parse_record

CHANGED = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)
EVERY_ALARM = StackFacts(60, 50, True, 60, api=True, cleanup=True, formatter=True)
# Pulumi stack and project names are free text: a long one must not push the figure out of the subject.
LONG_STACK = "imagepipe-production-eu-west-1-blue-green-canary-stack"


def notification(alarm: str, value: float, threshold: float) -> object:
    message = alarm_message(
        alarm,
        new_state="ALARM",
        changed=CHANGED,
        reason=reason_text([value], threshold, CHANGED),
        metric=("AWS/Lambda", "Errors", {}, "Sum"),
        threshold=threshold,
    )
    return parse_record(sns_event("arn:aws:sns:eu-west-1:123456789012:t", message)["Records"][0])


def test_every_alarms_subject_fits_and_keeps_its_figure_and_threshold() -> None:
    for name, guide in alarm_guides(LONG_STACK, EVERY_ALARM, "/aws/lambda/x").items():
        subject = alarm_subject(LONG_STACK, notification(name, 123456.5, guide.threshold or 0), guide)  # type: ignore[arg-type]
        assert len(subject) <= MAX_SUBJECT < 100, subject
        assert subject.startswith(f"[{guide.tier.upper()}] imagepipe-pro"), subject
        assert re.search(r", 1.23e\+05(%| ms)? in \d+ min \(threshold [0-9.]+(%| ms)?\)$", subject), subject


@given(st.text(max_size=300))
@settings(max_examples=200)
def test_any_text_becomes_a_subject_sns_accepts(text: str) -> None:
    subject = subject_line(text)
    assert len(subject) < 100
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", subject)


def decode_query_detail(url: str) -> str:
    """What the console reads back: `$` is `%`, then two rounds of percent-decoding (the answer the link cites)."""
    fragment = url.split("#logsV2:logs-insights", 1)[1]
    return unquote(unquote(fragment.replace("$", "%")))


def decode_value(value: str) -> str:
    return unquote(value.replace("*", "%"))


def test_the_insights_link_carries_the_group_the_query_and_the_window_encoded_as_the_console_reads_them() -> None:
    query = "fields @timestamp | filter event = 'image.failed' and (a = 'b~c') | limit 50"
    url = insights_url(
        "eu-west-1", "/aws/lambda/imagepipe-prod-image-processor", query, CHANGED - timedelta(minutes=5), CHANGED
    )
    assert url.startswith(
        "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:logs-insights"
        "$3FqueryDetail$3D$257E$2528end$257E$2527"
    )
    detail = decode_query_detail(url)
    assert detail.startswith("?queryDetail=~(") and detail.endswith("))")
    fields = dict(re.findall(r"(end|start|timeType|tz|editorString)~'([^~)]*)", detail))
    assert decode_value(fields["editorString"]) == query
    assert decode_value(fields["start"]) == "2026-12-04T16:25:00.000Z"
    assert decode_value(fields["end"]) == "2026-12-04T16:30:00.000Z"
    assert fields["timeType"] == "ABSOLUTE" and fields["tz"] == "UTC"
    (group,) = re.findall(r"source~\(~'([^)]*)\)", detail)
    assert decode_value(group) == "/aws/lambda/imagepipe-prod-image-processor"
    # No raw character of the query could end a value early.
    assert "(" not in fields["editorString"] and "~" not in fields["editorString"]


def test_the_guides_name_the_paging_alarm_of_a_composite() -> None:
    guides = alarm_guides("imagepipe-prod", EVERY_ALARM, "/aws/lambda/x")
    from components.monitoring.catalogue import ALARMS

    no_invocations = next(s for s in ALARMS if s.id == "no-invocations")
    assert paging_alarm_name("imagepipe-prod", no_invocations) in guides
    assert "imagepipe-prod-alert-formatter-errors-log-alerts" not in guides
