"""Only the Lambda layer needs Pillow: the program, the components and the plugin load and evaluate without it."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from program.config import ROOT
from tests.package.requirements_files import pinned

BLOCKED_RUN = Path(__file__).with_name("pillow_blocked.py")


@pytest.fixture(scope="module")
def blocked_run() -> dict[str, Any]:
    """One fresh interpreter with Pillow unimportable: imports program/*, components/*, the plugin's entry,
    then evaluates the dev and prod programs under the mocks."""
    result = subprocess.run(
        [sys.executable, str(BLOCKED_RUN)], cwd=ROOT, capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return report


def test_program_components_and_plugin_never_try_to_import_pillow(blocked_run: dict[str, Any]) -> None:
    assert blocked_run["pil_attempts"] == []


def test_dev_and_prod_programs_evaluate_whole_without_pillow(blocked_run: dict[str, Any]) -> None:
    # The same counts as with Pillow installed (tests/snapshots): nothing was left out for want of it.
    snapshots = {
        stack: json.loads((ROOT / "tests" / "snapshots" / f"{stack}.json").read_text()) for stack in ("dev", "prod")
    }
    assert blocked_run["resources"] == {stack: len(plan["resources"]) for stack, plan in snapshots.items()}


def test_the_rendition_spec_loads_without_the_image_code(blocked_run: dict[str, Any]) -> None:
    imaging = [name for name in blocked_run["loaded"] if name.startswith("handlers.imaging")]
    assert imaging == [
        "handlers.imaging",
        "handlers.imaging.errors",
        "handlers.imaging.renditions",
        "handlers.imaging.types",
    ]


def test_the_programs_requirements_leave_pillow_to_the_layer_and_the_dev_tools_take_its_pin() -> None:
    layer = pinned(ROOT / "layers" / "pillow" / "requirements.txt")

    assert "pillow" not in pinned(ROOT / "requirements.txt")
    assert layer == {"pillow": "13.0.0"}
    assert pinned(ROOT / "requirements-dev.txt")["pillow"] == layer["pillow"]
