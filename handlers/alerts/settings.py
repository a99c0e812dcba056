"""The formatter's environment, read into a frozen ``AlertSettings``; errors name the variable."""

from collections.abc import Mapping
from dataclasses import dataclass

from handlers import contract
from handlers.alerts.guide import AlarmGuides, guides_from_json
from handlers.environment import SettingsError, SettingsReader, positive, required


@dataclass(frozen=True)
class AlertSettings:
    stack: str
    guides: AlarmGuides
    ledger_table: str
    evidence_lines: int
    dashboard_url: str | None
    runbook_url: str | None


def _load(environ: Mapping[str, str]) -> AlertSettings:
    try:
        guides = guides_from_json(required(environ, contract.ENV_ALERT_GUIDES, "the alarms' guides (JSON)"))
    except ValueError as exc:
        raise SettingsError(f"{contract.ENV_ALERT_GUIDES} is not a map of alarm guides: {exc}") from None
    return AlertSettings(
        stack=required(environ, contract.ENV_ALERT_STACK, "the stack the subjects name"),
        guides=guides,
        ledger_table=required(environ, contract.ENV_ALERT_LEDGER_TABLE, "the formatter's ledger table"),
        evidence_lines=positive(environ, contract.ENV_EVIDENCE_LINES, contract.DEFAULT_EVIDENCE_LINES),
        dashboard_url=environ.get(contract.ENV_DASHBOARD_URL, "").strip() or None,
        runbook_url=environ.get(contract.ENV_RUNBOOK_URL, "").strip() or None,
    )


load_alert_settings = SettingsReader(
    (
        contract.ENV_ALERT_STACK,
        contract.ENV_ALERT_GUIDES,
        contract.ENV_ALERT_LEDGER_TABLE,
        contract.ENV_EVIDENCE_LINES,
        contract.ENV_DASHBOARD_URL,
        contract.ENV_RUNBOOK_URL,
    ),
    _load,
)
