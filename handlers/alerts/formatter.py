"""One alarm notification in, one email out: claim the change, gather evidence, compose, publish, mark it sent.

Evidence never stops an email: a failed or refused evidence call becomes "evidence unavailable: why"
in the body. Only publishing can fail the invocation (then Lambda retries it twice and sends it to
the formatter's failure queue, which pages through a path that does not need the formatter).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Final, TypeVar

from handlers import contract
from handlers.alerts.clients import AlertClients
from handlers.alerts.compose import Email, Evidence, Links, alarm_body, alarm_subject, resolved_body, resolved_subject
from handlers.alerts.console_links import insights_query, insights_url
from handlers.alerts.errors import AlreadyInProgress
from handlers.alerts.evidence import datapoints, matching_lines
from handlers.alerts.guide import AlarmGuide, runbook_section
from handlers.alerts.ledger import Ledger
from handlers.alerts.notification import ALARM, OK, AlarmNotification
from handlers.alerts.redaction import scrub
from handlers.alerts.settings import AlertSettings
from handlers.aws_calls import aws_error_code
from handlers.telemetry import events as ev
from handlers.telemetry.logger import log_event

LOGGER: Final = logging.getLogger("handlers.alerts")
T = TypeVar("T")
# Without a Trigger (a composite alarm) and without a guide, the window shown is this long.
FALLBACK_WINDOW_S: Final = 300


@dataclass(frozen=True)
class Outcome:
    """What happened to one notification: ``sent``, ``duplicate``."""

    status: str
    email: Email | None = None


def _why(exc: BaseException) -> str:
    code = aws_error_code(exc)
    text = scrub(str(exc), opaque=False)
    return f"{code}: {text}" if code else f"{type(exc).__name__}: {text}"


def _gather(what: str, n: AlarmNotification, gather: Callable[[], T]) -> tuple[T | None, str | None]:
    try:
        return gather(), None
    except Exception as exc:  # any failure of evidence becomes a sentence in the email, never a lost alert
        why = _why(exc)
        log_event(
            LOGGER,
            ev.Level.WARNING,
            ev.LogEvent.ALERT_EVIDENCE_UNAVAILABLE,
            {ev.FIELD_ALARM: n.alarm_name, ev.FIELD_DETAIL: f"{what}: {why}"},
        )
        return None, why


def compose_alarm(settings: AlertSettings, clients: AlertClients, n: AlarmNotification) -> Email:
    guide: AlarmGuide | None = settings.guides.get(n.alarm_name)
    window_s = n.window_s or (guide.window_s if guide else FALLBACK_WINDOW_S)
    end = n.state_change_time
    start = end - timedelta(seconds=window_s)
    links = Links(dashboard=settings.dashboard_url)
    if guide is not None and settings.runbook_url:
        links = Links(dashboard=settings.dashboard_url, runbook=runbook_section(settings.runbook_url, guide.alarm_id))
    evidence = Evidence()
    if guide is not None and guide.logs is not None:
        source = guide.logs
        query = insights_query(source.insights_filter)
        url = insights_url(n.region or "us-east-1", source.log_group, query, start, end)
        links = Links(dashboard=links.dashboard, insights=url, query=query, runbook=links.runbook)
        lines, why = _gather(
            "log lines",
            n,
            lambda: matching_lines(
                clients.logs, source.log_group, source.filter_pattern, start, end, settings.evidence_lines
            ),
        )
        evidence = replace(evidence, lines=lines, lines_unavailable=why)
    if n.queries:
        series, why = _gather("datapoints", n, lambda: datapoints(clients.cloudwatch, n.queries, start, end))
        evidence = replace(evidence, series=series, series_unavailable=why)
    return Email(alarm_subject(settings.stack, n, guide), alarm_body(settings.stack, n, guide, evidence, links, start))


def compose_resolved(settings: AlertSettings, ledger: Ledger, n: AlarmNotification) -> Email:
    guide = settings.guides.get(n.alarm_name)
    since = None
    if n.old_state == ALARM:
        since, _ = _gather("alarm start", n, lambda: ledger.alarm_start(n.alarm_name))
    lasted = None if since is None else n.state_change_time - since
    return Email(resolved_subject(settings.stack, n, guide, lasted), resolved_body(settings.stack, n, since))


def _ledger_unavailable(fields: dict[str, str], what: str, exc: Exception) -> None:
    log_event(
        LOGGER,
        ev.Level.WARNING,
        ev.LogEvent.ALERT_LEDGER_UNAVAILABLE,
        {**fields, ev.FIELD_DETAIL: f"{what}: {_why(exc)}"},
    )


def handle_notification(settings: AlertSettings, clients: AlertClients, n: AlarmNotification) -> Outcome:
    """Claim, compose, publish, mark sent. The ledger only prevents repeats: when it cannot be read or
    written, the email is sent all the same (a possible repeat beats a lost alert)."""
    ledger = Ledger(clients.dynamodb, settings.ledger_table)
    change = Ledger.change_key(n.alarm_name, n.new_state, n.state_change_time)
    fields = {ev.FIELD_ALARM: n.alarm_name, ev.FIELD_STATE: n.new_state, ev.FIELD_STATE_CHANGE_TIME: change}
    claimed = False
    try:
        if not ledger.claim(change):
            log_event(LOGGER, ev.Level.INFO, ev.LogEvent.ALERT_DUPLICATE, fields)
            return Outcome("duplicate")
        claimed = True
    except AlreadyInProgress:
        raise
    except Exception as exc:
        _ledger_unavailable(fields, "claim", exc)
    try:
        email = compose_resolved(settings, ledger, n) if n.new_state == OK else compose_alarm(settings, clients, n)
        clients.sns.publish(
            TopicArn=n.topic_arn,
            Subject=email.subject,
            Message=email.body,
            MessageAttributes={
                contract.ALERT_ATTRIBUTE: {"DataType": "String", "StringValue": contract.ALERT_ATTRIBUTE_VALUE}
            },
        )
    except Exception as exc:
        log_event(LOGGER, ev.Level.ERROR, ev.LogEvent.ALERT_FAILED, {**fields, ev.FIELD_DETAIL: _why(exc)})
        if claimed:
            _gather("release", n, lambda: ledger.release(change))
        raise
    # The email is out: a failure to record it must not fail the invocation (a retry would send it again).
    try:
        ledger.mark_sent(change)
        if n.new_state == ALARM:
            ledger.remember_alarm_start(n.alarm_name, n.state_change_time)
    except Exception as exc:
        _ledger_unavailable(fields, "record", exc)
    log_event(LOGGER, ev.Level.INFO, ev.LogEvent.ALERT_SENT, fields)
    return Outcome("sent", email)
