"""preview.yml: Pulumi's preview of each stack with the policy pack, and the offline plan diff, on a pull request.

Credentials come from GitHub's OIDC token only (a read-only AWS role); forks never get there.
"""

from typing import Any

import pytest
import yaml

from offline.plan_diff import HEADER
from program.config import ROOT, STACKS
from tests.workflows.workflow_files import WORKFLOWS, jobs, load, step_index, step_using, steps, triggers

PREVIEW = WORKFLOWS / "preview.yml"
FORK_GUARD = "github.event.pull_request.head.repo.full_name == github.repository"


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return load(PREVIEW)


@pytest.fixture(scope="module")
def job(workflow: dict[str, Any]) -> dict[str, Any]:
    (only,) = jobs(workflow).values()
    return only


def run_step(job: dict[str, Any], step_id: str) -> dict[str, Any]:
    (found,) = [step for step in steps(job) if step.get("id") == step_id]
    return found


def test_runs_on_pull_requests_only(workflow: dict[str, Any]) -> None:
    assert triggers(workflow) == {"pull_request"}


def test_skips_pull_requests_from_forks(job: dict[str, Any]) -> None:
    assert job["if"] == FORK_GUARD


def test_grants_oidc_read_and_comment_to_the_job_and_nothing_to_the_workflow(
    workflow: dict[str, Any], job: dict[str, Any]
) -> None:
    assert workflow["permissions"] == {}
    assert job["permissions"] == {"contents": "read", "id-token": "write", "pull-requests": "write"}


def test_previews_every_configured_stack(job: dict[str, Any]) -> None:
    assert job["strategy"]["matrix"] == {"stack": list(STACKS)}
    assert job["strategy"]["fail-fast"] is False


def test_uses_no_stored_secret() -> None:
    assert "secrets." not in PREVIEW.read_text()


def test_assumes_the_read_only_preview_role_by_oidc_in_the_stacks_region(job: dict[str, Any]) -> None:
    inputs = step_using(job, "aws-actions/configure-aws-credentials")["with"]
    assert inputs["role-to-assume"] == "${{ vars.AWS_PREVIEW_ROLE_ARN }}"
    assert not {"aws-access-key-id", "aws-secret-access-key", "aws-session-token"} & set(inputs)
    regions = {yaml.safe_load((ROOT / f"Pulumi.{s}.yaml").read_text())["config"]["aws:region"] for s in STACKS}
    assert regions == {inputs["aws-region"]}


def test_pulumi_previews_the_stack_with_the_policy_pack_and_comments(job: dict[str, Any]) -> None:
    inputs = step_using(job, "pulumi/actions")["with"]
    assert inputs["command"] == "preview"
    assert inputs["stack-name"] == "${{ matrix.stack }}"
    assert inputs["work-dir"] == "."
    assert inputs["comment-on-pr"] is True
    assert inputs["policyPacks"] == "policy"
    assert inputs["policyPackConfigs"] == "policy/config.${{ matrix.stack }}.json"
    assert inputs["cloud-url"] == "${{ vars.PULUMI_BACKEND_URL }}"


def test_each_stack_has_the_policy_config_the_preview_names(job: dict[str, Any]) -> None:
    configs = step_using(job, "pulumi/actions")["with"]["policyPackConfigs"]
    for stack in job["strategy"]["matrix"]["stack"]:
        assert (ROOT / configs.replace("${{ matrix.stack }}", stack)).is_file(), stack
    assert (ROOT / step_using(job, "pulumi/actions")["with"]["policyPacks"] / "PulumiPolicy.yaml").is_file()


def test_pulumi_cli_matches_the_sdk_the_program_runs_on(job: dict[str, Any]) -> None:
    pins = dict(line.split("==") for line in (ROOT / "requirements.txt").read_text().splitlines() if "==" in line)
    assert step_using(job, "pulumi/actions")["with"]["pulumi-version"] == pins["pulumi"]


def test_offline_diff_runs_first_then_credentials_then_the_preview(job: dict[str, Any]) -> None:
    # The diff needs no credentials, so it runs before there are any in the job's environment.
    diff = steps(job).index(run_step(job, "plan-diff"))
    assert diff < step_index(job, "aws-actions/configure-aws-credentials") < step_index(job, "pulumi/actions")


def test_the_preview_runs_only_with_credentials(job: dict[str, Any]) -> None:
    assert step_using(job, "pulumi/actions")["if"] == "steps.aws.outcome == 'success'"


def test_checkout_has_the_base_branch_for_the_diff(job: dict[str, Any]) -> None:
    assert step_using(job, "actions/checkout")["with"] == {"fetch-depth": 0, "persist-credentials": False}


def test_offline_plan_diff_compares_with_the_base_branch_into_the_job_summary(job: dict[str, Any]) -> None:
    script = run_step(job, "plan-diff")["run"]
    assert job["env"] == {"STACK": "${{ matrix.stack }}", "BASE_REF": "${{ github.base_ref }}"}
    assert 'python3 tasks.py plan "$STACK" --against "origin/$BASE_REF"' in script
    assert '>> "$GITHUB_STEP_SUMMARY"' in script
    # the report is cut out of tasks.py's output at the header plan_diff prints
    assert f"/^{HEADER}/" in script


def test_the_comment_script_interpolates_no_expression(job: dict[str, Any]) -> None:
    comment = step_using(job, "actions/github-script")
    assert "${{" not in comment["with"]["script"]
    assert comment["env"]["REPORT"] == "${{ runner.temp }}/plan-diff.txt"
