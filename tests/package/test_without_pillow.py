"""Only the Lambda layer needs Pillow: the program, the components and the plugin load and evaluate without it."""

import ast
import importlib.metadata
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from layers.pins import normalize_name
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
    # the data modules only: the spec, the rendering fingerprint (the stack exports it) and the core's version
    assert imaging == [
        "handlers.imaging",
        "handlers.imaging.core_version",
        "handlers.imaging.errors",
        "handlers.imaging.fingerprint",
        "handlers.imaging.memory",
        "handlers.imaging.renditions",
        "handlers.imaging.types",
    ]


def test_the_programs_requirements_leave_pillow_to_the_layer_and_the_dev_tools_take_its_pin() -> None:
    layer = pinned(ROOT / "layers" / "pillow" / "requirements.txt")

    assert "pillow" not in pinned(ROOT / "requirements.txt")
    assert layer == {"pillow": "13.0.0"}
    assert pinned(ROOT / "requirements-dev.txt")["pillow"] == layer["pillow"]


def imported_distributions(files: list[Path]) -> set[str]:
    """The distributions these files import from (stdlib and the repository's own packages left out)."""
    top_level: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                top_level |= {alias.name.partition(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                top_level.add(node.module.partition(".")[0])
    providers = importlib.metadata.packages_distributions()
    distributions: set[str] = set()
    for name in top_level - set(sys.stdlib_module_names):
        if (ROOT / name / "__init__.py").is_file():
            continue  # the repository's own
        distributions |= {normalize_name(dist) for dist in providers[name]}
    return distributions


def test_plugin_requirements_are_exactly_what_the_package_code_imports(blocked_run: dict[str, Any]) -> None:
    # GIVEN every module of the package the program and the plugin loaded (the components, the Lambda
    # code they read, the layer builder), and the plugin's entry
    package = [name for name in blocked_run["loaded"] if name.partition(".")[0] in ("components", "handlers", "layers")]
    files = [Path(str(importlib.util.find_spec(name).origin)) for name in package]  # type: ignore[union-attr]
    files.append(ROOT / "plugin" / "__main__.py")

    # THEN the plugin's requirements name exactly the distributions they import, at the program's pins
    plugin = pinned(ROOT / "plugin" / "requirements.txt")
    assert set(plugin) == imported_distributions(files) == {"pulumi", "pulumi-aws", "packaging"}
    program = pinned(ROOT / "requirements.txt")
    assert plugin == {name: program[name] for name in plugin}
