"""The repository's GitHub workflows, parsed, and what the tests know about the actions they pin."""

import re
from pathlib import Path
from typing import Any

import yaml

from program.config import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
FULL_SHA = re.compile(r"^[0-9a-f]{40}$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Every input each pinned action declares, read from its action.yml at that commit (`fetch` the repository,
# then `git show <sha>:action.yml`). GitHub's schema does not check action inputs (a misspelt one passes);
# this does. Bumping a pin means reading the new action.yml and updating its entry here.
DECLARED_INPUTS: dict[tuple[str, str], frozenset[str]] = {
    ("actions/checkout", "3d3c42e5aac5ba805825da76410c181273ba90b1"): _words(
        "allow-unsafe-pr-checkout clean fetch-depth fetch-tags filter github-server-url lfs path "
        "persist-credentials ref repository set-safe-directory show-progress sparse-checkout "
        "sparse-checkout-cone-mode ssh-key ssh-known-hosts ssh-strict ssh-user submodules token"
    ),
    ("actions/setup-python", "5fda3b95a4ea91299a34e894583c3862153e4b97"): _words(
        "allow-prereleases architecture cache cache-dependency-path check-latest freethreaded pip-version "
        "python-version python-version-file token update-environment"
    ),
    ("aws-actions/configure-aws-credentials", "e6de054238d6b7531b4efff3b6587d9aade6a06c"): _words(
        "action-timeout-s allowed-account-ids audience aws-access-key-id aws-profile aws-region "
        "aws-secret-access-key aws-session-token custom-tags disable-retry force-skip-oidc http-proxy "
        "inline-session-policy managed-session-policies mask-aws-account-id no-proxy output-credentials "
        "output-env-credentials overwrite-aws-profile retry-max-attempts role-chaining role-duration-seconds "
        "role-external-id role-session-name role-skip-session-tagging role-to-assume "
        "special-characters-workaround sts-endpoint transitive-tag-keys unset-current-credentials "
        "use-existing-credentials web-identity-token-file"
    ),
    ("pulumi/actions", "8e5e406f4007fca908480587cb9893c07090f58d"): _words(
        "always-include-summary cloud-url color command comment-on-pr comment-on-pr-number comment-on-summary "
        "config-map continue-on-error debug diff edit-pr-comment exclude exclude-dependents exclude-protected "
        "expect-no-changes github-token log-flow log-verbosity message parallel plan policyPackConfigs "
        "policyPacks pulumi-version pulumi-version-file refresh remove replace secrets-provider stack-name "
        "suppress-outputs suppress-progress target target-dependents upsert work-dir"
    ),
    ("actions/github-script", "ed597411d8f924073f98dfc5c65a23a2325f34cd"): _words(
        "base-url debug github-token previews result-encoding retries retry-exempt-status-codes script user-agent"
    ),
}


def workflow_paths() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def load(path: Path) -> dict[str, Any]:
    """A workflow as a dict. YAML 1.1 reads the bare key `on` as the boolean True; it is put back as "on"."""
    document: dict[Any, Any] = yaml.safe_load(path.read_text())
    if True in document:
        document["on"] = document.pop(True)
    return document


def triggers(workflow: dict[str, Any]) -> set[str]:
    """The events a workflow runs on, whichever of the three forms `on` takes (name, list, mapping)."""
    on = workflow["on"]
    return {on} if isinstance(on, str) else set(on)


def jobs(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = workflow["jobs"]
    return found


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = job["steps"]
    return found


def action(uses: str) -> tuple[str, str]:
    """`owner/repo[/path]@ref` as (owner/repo, ref)."""
    name, _, ref = uses.partition("@")
    return "/".join(name.split("/")[:2]), ref


def step_index(job: dict[str, Any], action_name: str) -> int:
    """Where the one step that uses `action_name` sits in the job."""
    found = [i for i, step in enumerate(steps(job)) if action(step.get("uses", ""))[0] == action_name]
    assert len(found) == 1, f"expected one step using {action_name}, found {len(found)}"
    return found[0]


def step_using(job: dict[str, Any], action_name: str) -> dict[str, Any]:
    return steps(job)[step_index(job, action_name)]


def all_steps() -> list[tuple[Path, dict[str, Any]]]:
    return [(path, step) for path in workflow_paths() for job in jobs(load(path)).values() for step in steps(job)]
