"""The email: a subject under 100 characters and a plain-text body that reads well in any mail client.

Pure: everything it says is handed to it (the notification, the alarm's guide, the evidence gathered
or why it could not be, the links), so the tests and the demo read exactly what on-call reads.
SNS's Publish takes a Subject of "UTF-8 text with no line breaks or control characters, and less
than 100 characters long" (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html; the same text
is in botocore's data/sns/2010-03-31/service-2.json, PublishInput.Subject).
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from handlers.alerts.evidence import LineEvidence, Series
from handlers.alerts.guide import AlarmGuide
from handlers.alerts.notification import OK, AlarmNotification
from handlers.alerts.redaction import EvidenceLine, scrub

MAX_SUBJECT: Final = 99
# Of a title that must give way, this much is kept before the stack's name is shortened too.
TITLE_KEPT: Final = 24
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_RULE: Final = "-" * 72


@dataclass(frozen=True)
class Links:
    dashboard: str | None = None
    insights: str | None = None
    query: str | None = None
    runbook: str | None = None


@dataclass(frozen=True)
class Evidence:
    """What was gathered; a field left None with its ``*_unavailable`` set says why it is missing."""

    lines: LineEvidence | None = None
    lines_unavailable: str | None = None
    series: list[Series] | None = None
    series_unavailable: str | None = None


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


def _figure(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3g}"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _clock(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%H:%M:%S")


def _minutes(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"


def _duration(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def subject_line(text: str) -> str:
    """``text`` as SNS accepts a Subject: one line, no control characters, at most 99 characters."""
    flat = " ".join(_CONTROL.sub(" ", text).split())
    return flat if len(flat) <= MAX_SUBJECT else flat[: MAX_SUBJECT - 3].rstrip() + "..."


def _cut(text: str, room: int) -> str:
    return text if len(text) <= room else text[: max(room - 3, 0)].rstrip() + "..."


def _title(n: AlarmNotification, guide: AlarmGuide | None) -> str:
    return guide.title if guide is not None else n.alarm_name


def alarm_subject(stack: str, n: AlarmNotification, guide: AlarmGuide | None) -> str:
    """``[CRITICAL] imagepipe-prod: image function errors, 3 in 5 min (threshold 0)``."""
    tier = (guide.tier if guide else "alarm").upper()
    value = n.newest_datapoint()
    period = n.period_s or (guide.window_s if guide else None)
    unit = guide.unit if guide else ""
    threshold = n.threshold if n.threshold is not None else (guide.threshold if guide else None)
    figure = "threshold crossed" if value is None else _figure(value) + unit
    if value is not None and period:
        figure += f" in {_minutes(period)}"
    tail = "" if threshold is None else f" (threshold {_figure(threshold)}{unit})"
    rest = f", {figure}{tail}"
    # Tier, figure and threshold are what the inbox must show; the title gives way first, then the stack.
    room = MAX_SUBJECT - len(f"[{tier}] ") - len(rest) - len(": ")
    title = _title(n, guide)
    if len(stack) + len(title) > room:
        title = _cut(title, max(room - len(stack), min(len(title), TITLE_KEPT)))
        stack = _cut(stack, room - len(title))
    return subject_line(f"[{tier}] {stack}: {title}{rest}")


def resolved_subject(stack: str, n: AlarmNotification, guide: AlarmGuide | None, lasted: timedelta | None) -> str:
    how_long = f", lasted {_duration(lasted)}" if lasted is not None else ""
    return subject_line(f"[RESOLVED] {stack}: {_title(n, guide)}{how_long}")


def _line_text(index: int, line: EvidenceLine) -> list[str]:
    moment = datetime.fromtimestamp(line.time_ms / 1000, tz=UTC)
    if line.note:
        return [f"  {index}. {_clock(moment)} UTC  ({line.note})"]
    values = dict(line.fields)
    head = "  ".join(v for v in (values.get("event"), values.get("error")) if v)
    out = [f"  {index}. {_clock(moment)} UTC  {head}".rstrip()]
    for label in ("message", "reason", "processing ms", "key", "api_request_id", "request_id"):
        if label in values:
            out.append(f"     {label.replace('_', ' ')}: {values[label]}")
    return out


def evidence_section(e: Evidence, window: str) -> list[str]:
    out = ["EVIDENCE", _RULE]
    if e.lines is not None:
        shown = len(e.lines.lines)
        count = f"{e.lines.count}" if e.lines.complete else f"at least {e.lines.count}"
        if e.lines.count == 0:
            out.append(f"No matching log lines {window}.")
        else:
            noun = "line" if e.lines.count == 1 else "lines"
            out.append(f"{count} matching log {noun} {window}; the {shown} most recent, newest first:")
            for i, line in enumerate(e.lines.lines, start=1):
                out += _line_text(i, line)
    elif e.lines_unavailable is not None:
        out.append(f"Log lines: evidence unavailable: {e.lines_unavailable}")
    if e.series is not None:
        for s in e.series:
            points = ", ".join(f"{_clock(t)} {_figure(v)}" for t, v in s.points) or "no datapoints"
            out.append(f"Datapoints of {s.label}, {window}: {points}")
    elif e.series_unavailable is not None:
        out.append(f"Datapoints: evidence unavailable: {e.series_unavailable}")
    if len(out) == 2:
        out.append("No evidence is gathered for this alarm; see its condition above.")
    return out


def alarm_body(
    stack: str, n: AlarmNotification, guide: AlarmGuide | None, evidence: Evidence, links: Links, window_start: datetime
) -> str:
    window = f"from {_clock(window_start)} to {_clock(n.state_change_time)} UTC"
    lines = [
        f"{n.alarm_name} is in {n.new_state} ({stack}).",
        "",
        f"Started:   {_utc(n.state_change_time)}",
        f"Evaluated: {_utc(window_start)} to {_utc(n.state_change_time)}",
        f"CloudWatch: {scrub(n.reason, opaque=False)}",
        "",
        "WHAT THE ALARM SAYS",
        _RULE,
        *(_CONTROL.sub(" ", line) for line in n.description.splitlines()),
        "",
        *evidence_section(evidence, window),
        "",
        "LINKS",
        _RULE,
    ]
    if links.dashboard:
        lines.append(f"Dashboard: {links.dashboard}")
    if links.insights:
        lines.append(f"Logs Insights (this query, this window): {links.insights}")
    if links.query:
        lines.append(f"Query: {links.query}")
    if links.runbook:
        lines.append(f"Runbook: {links.runbook}")
    return "\n".join(lines) + "\n"


def resolved_body(stack: str, n: AlarmNotification, since: datetime | None) -> str:
    if since is None:
        lasted = "How long it lasted is unknown: no ALARM notification for it was recorded in the last 90 days."
    else:
        lasted = f"In ALARM since {_utc(since)}: it lasted {_duration(n.state_change_time - since)}."
    return (
        f"{n.alarm_name} is back to {OK} ({stack}) at {_utc(n.state_change_time)}.\n"
        f"{lasted}\n"
        f"CloudWatch: {scrub(n.reason, opaque=False)}\n"
    )
