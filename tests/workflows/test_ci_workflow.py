"""ci.yml: the README's test command on pull requests and pushes to main, with nothing but read access."""

from typing import Any

import pytest

from tests.workflows.workflow_files import WORKFLOWS, jobs, load, step_using, steps, triggers

CI = WORKFLOWS / "ci.yml"


@pytest.fixture(scope="module")
def ci() -> dict[str, Any]:
    return load(CI)


def test_runs_on_pull_requests_and_on_pushes_to_main(ci: dict[str, Any]) -> None:
    assert triggers(ci) == {"pull_request", "push"}
    assert ci["on"]["push"] == {"branches": ["main"]}


def test_may_only_read_the_repository(ci: dict[str, Any]) -> None:
    assert ci["permissions"] == {"contents": "read"}
    assert [job["permissions"] for job in jobs(ci).values()] == [{"contents": "read"}]


def test_runs_the_readme_test_command_on_python_3_11(ci: dict[str, Any]) -> None:
    (job,) = jobs(ci).values()
    # a string: YAML would read 3.10 as the number 3.1
    assert step_using(job, "actions/setup-python")["with"]["python-version"] == "3.11"
    assert [step["run"] for step in steps(job) if "run" in step] == ["python3 tasks.py test"]
