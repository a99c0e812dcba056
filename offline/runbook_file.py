"""docs/alerts.md rendered for the committed stacks."""

from components.config import ROOT, load_stack_file
from components.monitoring.runbook import render_runbook
from components.monitoring.stack_facts import stack_facts

RUNBOOK = ROOT / "docs" / "alerts.md"
STACKS = ("dev", "prod")


def render_stack_runbook() -> str:
    return render_runbook({stack: stack_facts(load_stack_file(stack)) for stack in STACKS})


def sync_runbook() -> bool:
    new = render_stack_runbook()
    old = RUNBOOK.read_text() if RUNBOOK.exists() else ""
    if new != old:
        RUNBOOK.parent.mkdir(parents=True, exist_ok=True)
        RUNBOOK.write_text(new)
    return new != old
