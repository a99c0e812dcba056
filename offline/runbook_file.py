"""docs/alerts.md rendered for the committed stacks."""

from components.config import ROOT, STACKS, load_stack_file
from components.monitoring.runbook import render_runbook
from components.monitoring.stack_facts import stack_facts
from offline.generated_files import write_if_changed

RUNBOOK = ROOT / "docs" / "alerts.md"


def render_stack_runbook() -> str:
    return render_runbook({stack: stack_facts(load_stack_file(stack)) for stack in STACKS})


def sync_runbook() -> bool:
    return write_if_changed(RUNBOOK, render_stack_runbook())
