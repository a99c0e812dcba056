"""Golden plan snapshots (per stack and of the example consumer), the package schema, the README config
table and cost section and docs/alerts.md, compared by the tests.

    python3 tasks.py snapshots      # regenerate tests/snapshots/*.json after an intended change

Commit the regenerated files: the pull request's diff then shows every infrastructure change.
"""

import sys
from pathlib import Path

from offline.config_table import sync_readme
from offline.cost_section import sync_cost_section
from offline.document import dumps, plan_document
from offline.example_program import EXAMPLE_SNAPSHOT, evaluate_example
from offline.generated_files import write_if_changed
from offline.package_schema import SCHEMA, sync_schema
from offline.runbook_file import sync_runbook
from offline.runtime import evaluate_program
from program.config import ROOT, STACKS

SNAPSHOT_DIR = ROOT / "tests" / "snapshots"


def snapshot_path(stack: str) -> Path:
    return SNAPSHOT_DIR / f"{stack}.json"


def render_snapshot(stack: str) -> str:
    return dumps(plan_document(evaluate_program(stack), stack))


def render_example_snapshot() -> str:
    return dumps(plan_document(evaluate_example(), "dev"))


def main(argv: list[str] | None = None) -> int:
    for stack in STACKS:
        path = snapshot_path(stack)
        changed = write_if_changed(path, render_snapshot(stack))
        print(f"{path.relative_to(ROOT)}: {'updated' if changed else 'unchanged'}")
    changed = write_if_changed(EXAMPLE_SNAPSHOT, render_example_snapshot())
    print(f"{EXAMPLE_SNAPSHOT.relative_to(ROOT)}: {'updated' if changed else 'unchanged'}")
    print(f"{SCHEMA.relative_to(ROOT)}: {'updated' if sync_schema() else 'unchanged'}")
    print(f"README.md config table: {'updated' if sync_readme() else 'unchanged'}")
    print(f"README.md cost section: {'updated' if sync_cost_section() else 'unchanged'}")
    print(f"docs/alerts.md: {'updated' if sync_runbook() else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
