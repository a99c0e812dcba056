"""The offline plan and the golden snapshots that make every infrastructure change visible."""

from pathlib import Path

import pytest

from offline import plan
from offline.config_table import README, render_config_table
from offline.runtime import Evaluation
from offline.snapshots import render_snapshot, snapshot_path
from program.config import STACKS

REGENERATE = "run `python3 tasks.py snapshots` and commit the result if the change is intended"


@pytest.mark.parametrize("stack", STACKS)
def test_plan_matches_the_golden_snapshot(stack: str) -> None:
    assert render_snapshot(stack) == snapshot_path(stack).read_text(), REGENERATE


def test_readme_config_table_is_current() -> None:
    assert render_config_table() in README.read_text(), REGENERATE


def test_plan_groups_resources_by_component_with_review_settings(dev: Evaluation) -> None:
    text = plan.render(dev, "dev")
    assert text.splitlines()[0] == f"Offline plan for stack 'dev': {len(dev.resources)} resources to create"
    assert "+ ImagePipeline imagepipe-dev" in text
    assert "  + SecureBucket imagepipe-dev-uploads" in text
    assert "    + BucketVersioning imagepipe-dev-uploads-versioning" in text
    assert "python3.12 arm64, 1152 MB, timeout 60 s" in text
    assert "rule expire-type-thumbnail [tag Type=thumbnail]: expire after 90 d" in text


def test_plan_command_writes_the_json_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "plan.json"
    assert plan.main(["prod", "--json", str(target)]) == 0
    assert '"stack": "prod"' in target.read_text()
    assert "Offline plan for stack 'prod'" in capsys.readouterr().out


def test_snapshot_masks_the_layer_zip_and_lists_code_entries() -> None:
    text = snapshot_path("dev").read_text()
    assert '"handlers/image_processor.py"' in text
    assert "__pycache__" not in text
