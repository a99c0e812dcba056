"""docs/alerts.md, generated from the catalogue: what each alarm means and what to do."""

from collections.abc import Mapping

from components.monitoring.alarms import condition_text
from components.monitoring.catalogue import ALARMS, LOG_METRICS, StackFacts, Tier, format_threshold

HEADER = """# Alerts runbook

Generated from `components/monitoring/catalogue.py` by `python3 tasks.py snapshots`; a test fails when
it is stale. Each alarm is named `{project}-{stack}-{alarm}-{tier}`, notifies its tier's SNS topic when it
fires and again when it recovers (OK), and its email carries the same text as below; where the alert
formatter composes the emails, with the evidence (matching log lines or datapoints, links) beneath it. The
formatter's own alarms (`alert-formatter-errors`, `alert-formatter-failures`) notify the direct topic, which
reaches every email recipient with CloudWatch's own text.

Tiers: **critical** (email and SMS) — uploads are not being processed; **performance** (email) — slower
or saturated but working; **log-alerts** (email) — signals from the handler's own log lines.

Quiet is not an outage. Silence alarms (`no-invocations`, `too-few-successes`) treat missing data as
breaching, so on their own they would page by SMS in every quiet hour and in the first hour after the first
deploy. They therefore notify nobody themselves: each pages through a composite alarm,
`{project}-{stack}-{alarm}-while-uploading-{tier}`, that is in ALARM only while the upload bucket's request
metrics (filter `uploads`, prefix `uploads/`) show requests in the same window. No uploads, no page; uploads
with nothing processing them, a page.
"""


def render_runbook(facts_by_stack: Mapping[str, StackFacts]) -> str:
    stacks = list(facts_by_stack)
    lines = [HEADER, "## Alarms", ""]
    lines.append("| alarm | tier | " + " | ".join(f"{s} threshold" for s in stacks) + " |")
    lines.append("| --- | --- | " + " | ".join("---" for _ in stacks) + " |")
    for spec in ALARMS:
        cells = []
        for stack in stacks:
            value = spec.threshold_for(facts_by_stack[stack])
            cells.append("not created" if value is None else f"{format_threshold(value)} {spec.threshold_text}".strip())
        lines.append(f"| [{spec.id}](#{spec.id}) | {spec.tier.value} | " + " | ".join(cells) + " |")
    for tier in Tier:
        lines += ["", f"## {tier.value}"]
        for spec in (a for a in ALARMS if a.tier is tier):
            lines += ["", f"### {spec.id}", "", spec.what, "", f"**Why it matters:** {spec.why}", ""]
            for stack in stacks:
                value = spec.threshold_for(facts_by_stack[stack])
                facts = facts_by_stack[stack]
                period = spec.period_for(facts)
                condition = "not created for this stack" if value is None else condition_text(spec, value, period)
                pages = "; pages through its while-uploading composite" if spec.only_while_uploading else ""
                lines.append(f"- **{stack}:** {condition}; missing data: {spec.treat_missing_data}{pages}")
            lines += ["", "First checks:", ""]
            lines += [f"{i}. {check}" for i, check in enumerate(spec.checks, start=1)]
    lines += ["", "## Log-derived metrics", "", "| metric | unit | filter pattern | value | default |"]
    lines.append("| --- | --- | --- | --- | --- |")
    for metric in LOG_METRICS:
        lines.append(
            # A "|" splits a Markdown table cell even inside backticks.
            f"| {metric.name} | {metric.unit.value} | `{metric.filter_pattern.replace('|', chr(92) + '|')}` "
            f"| `{metric.value}` "
            f"| {'none' if metric.default_value is None else format_threshold(metric.default_value)} |"
        )
    return "\n".join(lines) + "\n"
