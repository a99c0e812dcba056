"""The pack as Pulumi runs it: its entry point, project file, requirements and config files."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pulumi_policy import EnforcementLevel

from handlers import contract
from policy.imagepipe_policies import protected
from policy.imagepipe_policies.posture import COMPLIANCE, PROTECTED
from policy.imagepipe_policies.registry import PACK_NAME, POLICIES
from program.config import ROOT
from tests.policy.engine import DEV_CONFIG, PACK, PROD_CONFIG, QUIET_ENV, load_pack_config

# Runs the entry point with PolicyPack replaced by a recorder, so nothing serves or blocks.
_RECORD_PACK = """
import json, runpy, sys
import pulumi_policy

class RecordedPack:
    def __init__(self, **kwargs):
        print(json.dumps({
            "name": kwargs["name"],
            "enforcement_level": kwargs["enforcement_level"].value,
            "policies": [p.name for p in kwargs["policies"]],
        }))

pulumi_policy.PolicyPack = RecordedPack
runpy.run_path(sys.argv[1], run_name="__main__")
"""


@pytest.mark.parametrize("target", ["policy", "policy/__main__.py"], ids=["folder (as Pulumi runs it)", "file"])
def test_the_entry_point_builds_one_mandatory_pack_of_every_registered_policy(target: str, tmp_path: Path) -> None:
    # GIVEN a process outside the repository, with nothing of it on the import path
    run = subprocess.run(
        [sys.executable, "-c", _RECORD_PACK, str(ROOT / target)],
        cwd=tmp_path,
        env=QUIET_ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(run.stdout) == {
        "name": "imagepipe-guard-rails",
        "enforcement_level": "mandatory",
        "policies": [p.name for p in POLICIES],
    }


def test_policy_names_are_unique_and_the_pack_name_is_one_pulumi_accepts() -> None:
    names = [p.name for p in POLICIES]
    assert len(names) == len(set(names)) == 18
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) for name in names)
    assert re.fullmatch(r"[a-zA-Z0-9-_.]{1,100}", PACK_NAME)


def test_exactly_the_rules_with_honest_exceptions_are_advisory() -> None:
    advisory = {p.name for p in POLICIES if p.enforcement_level is EnforcementLevel.ADVISORY}
    assert advisory == {"s3-bucket-lifecycle-rules", "functions-declared-log-group", "functions-reserved-concurrency"}
    assert all(p.enforcement_level is EnforcementLevel.MANDATORY for p in POLICIES if p.name not in advisory)


def test_the_project_file_runs_the_pack_with_python_from_its_own_virtualenv() -> None:
    project = yaml.safe_load((PACK / "PulumiPolicy.yaml").read_text())
    assert project["runtime"] == {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}}
    assert project["description"].startswith("imagepipe guard rails")
    assert (PACK / ".gitignore").read_text().splitlines()[-1] == "venv/"


def pins(path: Path) -> dict[str, str]:
    lines = (line.split("#")[0].strip() for line in path.read_text().splitlines())
    return dict(line.split("==") for line in lines if "==" in line)


def test_the_pack_pins_the_sdks_the_tests_ran_it_with() -> None:
    tested = {**pins(ROOT / "requirements.txt"), **pins(ROOT / "requirements-dev.txt")}
    assert pins(PACK / "requirements.txt") == {
        "pulumi-policy": tested["pulumi-policy"],
        "pulumi": tested["pulumi"],
    }


def posture_flags(policy_name: str) -> set[str]:
    policy = next(p for p in POLICIES if p.name == policy_name)
    schema = policy.config_schema.properties if policy.config_schema else {}
    return {flag for flag in (PROTECTED, COMPLIANCE) if flag in schema}


@pytest.mark.parametrize(("config_file", "posture"), [(DEV_CONFIG, False), (PROD_CONFIG, True)])
def test_each_config_file_sets_every_posture_flag_the_pack_declares(config_file: Path, posture: bool) -> None:
    config = load_pack_config(config_file)
    declared = {p.name: posture_flags(p.name) for p in POLICIES if posture_flags(p.name)}
    assert {name: set(values) for name, values in config.items()} == declared
    assert {value for values in config.values() for value in values.values()} == {posture}


def test_every_posture_flag_defaults_to_the_strict_side() -> None:
    for policy in POLICIES:
        schema = policy.config_schema.properties if policy.config_schema else {}
        for flag in {PROTECTED, COMPLIANCE} & set(schema):
            assert schema[flag] == {"type": "boolean", "default": True, "description": schema[flag]["description"]}


def test_the_packs_copies_of_handler_names_match_the_contract() -> None:
    # The pack is deployed on its own (Pulumi Cloud unpacks only this folder), so it cannot import them.
    assert protected.CORS_ORIGINS_VARIABLE == contract.ENV_CORS_ORIGINS
    assert protected.CLEANUP_HANDLER == contract.CLEANUP_HANDLER
