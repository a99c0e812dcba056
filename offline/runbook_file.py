"""docs/alerts.md rendered for the committed stacks."""

from components.monitoring.runbook import render_runbook
from offline.generated_files import write_if_changed
from program.config import ROOT, STACKS, load_stack_file
from program.stack_args import alarm_facts

RUNBOOK = ROOT / "docs" / "alerts.md"


def render_stack_runbook() -> str:
    return render_runbook({stack: alarm_facts(load_stack_file(stack)) for stack in STACKS})


def sync_runbook() -> bool:
    return write_if_changed(RUNBOOK, render_stack_runbook())
