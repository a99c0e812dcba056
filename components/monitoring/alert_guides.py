"""What the alert formatter is told of each alarm, built from the catalogue: never retyped.

For every alarm that pages through the formatter (all but the formatter's own), its title, tier,
window and threshold, and for an alarm fed by or explained by log lines, the log group and the
filter pattern (with the same predicate for Logs Insights) that select them.
"""

from collections.abc import Mapping

from components.monitoring.alarms import paging_alarm_name
from components.monitoring.catalogue import ALARMS, StackFacts
from handlers import contract
from handlers.alerts.guide import AlarmGuide, LogSource, guides_to_json


def alarm_guides(prefix: str, facts: StackFacts, log_group_name: str) -> dict[str, AlarmGuide]:
    """By paging alarm name (the composite where an alarm pages through one)."""
    guides: dict[str, AlarmGuide] = {}
    for spec in ALARMS:
        threshold = spec.threshold_for(facts)
        if threshold is None or spec.needs_formatter:
            continue
        lines = spec.evidence_lines
        logs = None if lines is None else LogSource(log_group_name, lines.filter_pattern, lines.pattern.insights())
        guides[paging_alarm_name(prefix, spec)] = AlarmGuide(
            title=spec.title,
            alarm_id=spec.id,
            tier=spec.tier.value,
            window_s=spec.period_for(facts) * spec.evaluation_periods,
            unit=spec.subject_unit,
            threshold=threshold,
            logs=logs,
        )
    return guides


def alarm_guides_json(prefix: str, facts: StackFacts, log_group_name: str) -> str:
    return guides_to_json(alarm_guides(prefix, facts, log_group_name))


def formatter_environment(
    *,
    stack: str,
    guides_json: str,
    ledger_table: str,
    evidence_lines: int,
    dashboard_url: str,
    runbook_url: str | None,
) -> Mapping[str, str]:
    """The formatter's environment (names from handlers.contract)."""
    environment = {
        contract.ENV_ALERT_STACK: stack,
        contract.ENV_ALERT_GUIDES: guides_json,
        contract.ENV_ALERT_LEDGER_TABLE: ledger_table,
        contract.ENV_EVIDENCE_LINES: str(evidence_lines),
        contract.ENV_DASHBOARD_URL: dashboard_url,
    }
    if runbook_url:
        environment[contract.ENV_RUNBOOK_URL] = runbook_url
    return environment
