"""Every workflow: valid against GitHub's schema, clean under zizmor, actions pinned to reviewed commits."""

import json
import re
import subprocess
import sysconfig
from pathlib import Path

import pytest

from tests.workflows.workflow_files import (
    DECLARED_INPUTS,
    FULL_SHA,
    WORKFLOWS,
    action,
    all_steps,
    jobs,
    load,
    triggers,
    workflow_paths,
)

# The venv's own copies (requirements-dev.txt): both work offline.
SCRIPTS = Path(sysconfig.get_path("scripts"))
CHECK_JSONSCHEMA = SCRIPTS / "check-jsonschema"
ZIZMOR = SCRIPTS / "zizmor"

DANGEROUS = """\
name: dangerous
on:
  pull_request_target:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
"""


def zizmor_findings(target: Path) -> tuple[int, list[dict[str, object]]]:
    """zizmor's findings as JSON, offline (no GitHub API calls); any zizmor config in the repo applies."""
    run = subprocess.run(
        [str(ZIZMOR), "--offline", "--format", "json", str(target)], capture_output=True, text=True, check=False
    )
    findings: list[dict[str, object]] = json.loads(run.stdout or "[]")
    return run.returncode, findings


def test_there_are_the_two_workflows() -> None:
    assert [p.name for p in workflow_paths()] == ["ci.yml", "preview.yml"]


def test_every_workflow_matches_the_github_workflow_schema() -> None:
    # GIVEN every workflow file WHEN checked against the schema check-jsonschema ships THEN it is valid
    run = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", *map(str, workflow_paths())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ok -- validation done" in run.stdout


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    code, findings = zizmor_findings(WORKFLOWS)
    assert findings == []
    assert code == 0


def test_zizmor_really_audits_offline(tmp_path: Path) -> None:
    # GIVEN a workflow with the classic mistakes WHEN audited the same way THEN zizmor names each of them,
    # so the clean result above is a real one
    bad = tmp_path / "dangerous.yml"
    bad.write_text(DANGEROUS)
    code, findings = zizmor_findings(bad)
    assert code != 0
    assert {"dangerous-triggers", "template-injection", "unpinned-uses", "artipacked"} <= {
        str(f["ident"]) for f in findings
    }


def test_no_workflow_runs_on_pull_request_target() -> None:
    # It runs with the base repository's token and secrets, whoever opened the pull request.
    for path in workflow_paths():
        assert "pull_request_target" not in triggers(load(path)), path.name


# `uses: owner/repo@<commit>  # v1.2.3`: the commit runs, the comment tells a reader (and Dependabot) the release.
PINNED_LINE = re.compile(r"^(- )?uses: [\w.-]+/[\w./-]+@(?P<sha>[0-9a-f]{40})  # v\d+\.\d+\.\d+$")


@pytest.mark.parametrize("path", workflow_paths(), ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit_sha_with_its_tag(path: Path) -> None:
    lines = [line.strip() for line in path.read_text().splitlines() if re.match(r"^\s*(- )?uses:", line)]
    step_uses = [step["uses"] for p, step in all_steps() if p == path and "uses" in step]
    assert len(lines) == len(step_uses) > 0
    for line in lines:
        assert PINNED_LINE.match(line), f"{path.name}: not pinned to a commit with its tag: {line}"
    for uses in step_uses:
        assert FULL_SHA.match(action(uses)[1]), uses


def test_each_action_is_pinned_to_one_commit_everywhere() -> None:
    refs: dict[str, set[str]] = {}
    for _, step in all_steps():
        if "uses" in step:
            name, ref = action(step["uses"])
            refs.setdefault(name, set()).add(ref)
    assert {name: len(found) for name, found in refs.items()} == dict.fromkeys(refs, 1)


def test_every_pinned_commit_is_one_whose_inputs_were_read() -> None:
    pinned = {action(step["uses"]) for _, step in all_steps() if "uses" in step}
    assert pinned <= set(DECLARED_INPUTS), pinned - set(DECLARED_INPUTS)


def test_every_input_given_to_an_action_is_one_it_declares() -> None:
    # The schema lets a misspelt input through; the action would silently ignore it.
    for path, step in all_steps():
        declared = DECLARED_INPUTS.get(action(step.get("uses", "")))
        if declared is not None:  # an unread commit fails the test above
            unknown = set(step.get("with", {})) - declared
            assert not unknown, f"{path.name}: {step['uses']} has no input {sorted(unknown)}"


def test_every_job_has_a_timeout() -> None:
    for path in workflow_paths():
        for name, job in jobs(load(path)).items():
            assert 0 < job["timeout-minutes"] <= 30, f"{path.name}:{name}"


def test_no_checkout_leaves_the_token_in_git_config() -> None:
    for path, step in all_steps():
        if action(step.get("uses", ""))[0] == "actions/checkout":
            assert step["with"]["persist-credentials"] is False, path.name
