"""The Pulumi engine's side of the policy pack, offline: the arguments it builds, the config it hands over.

What the engine sends, and so what these helpers send:
- a resource policy (`Analyze`) gets one resource's **inputs** (a preview sends nothing else);
- a stack policy (`AnalyzeStack`) gets every resource's **outputs**: for a program evaluated under the
  mocks, its inputs merged with what `offline.runtime.ProgramMocks` computes (a bucket's `bucket` name
  and `arn`, a function's `arn`, an alarm's `arn`), which is what the stack policies match on;
- props go through the SDK's `unknown_checking_proxy`, as the engine's do, so the policies meet the same
  Mapping and Sequence proxies (and, where a test puts one, the same unknown-value sentinels);
- each policy's config is the pack config file reconciled as the CLI does it: the defaults of the
  policy's config schema, overwritten by the file's entry for that policy.

The recorded evaluations carry no property dependencies (the mock monitor does not record them), so
the stack policies match companions by value there; tests of hand-made resources cover the other path.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi_policy import (
    Policy,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.policy import _NotApplicableError  # what `args.not_applicable()` raises; the SDK catches it
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from offline.runtime import Evaluation
from policy.imagepipe_policies.registry import POLICIES
from program.config import ROOT

PACK = ROOT / "policy"
# The environment the pack's own processes get: nothing of the repository, no bytecode left in it.
QUIET_ENV = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
DEV_CONFIG = PACK / "config.dev.json"
PROD_CONFIG = PACK / "config.prod.json"


@dataclass(frozen=True)
class Violation:
    policy: str
    message: str
    urn: str


@dataclass
class Verdict:
    violations: list[Violation] = field(default_factory=list)
    not_applicable: str | None = None
    """The reason the policy gave for not applying, if it did not."""
    unknown: str | None = None
    """What a preview could not know, when the policy stopped on it: the SDK reports "can't run policy
    during preview" (advisory) beside whatever the policy reported before."""

    @property
    def messages(self) -> list[str]:
        return [v.message for v in self.violations]


def options(parent: str | None = None) -> PolicyResourceOptions:
    return PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], parent)


def urn_of(resource_type: str, name: str) -> str:
    return f"urn:pulumi:test::imagepipe::{resource_type}::{name}"


def engine_props(props: Mapping[str, Any]) -> Mapping[str, Any]:
    """Props as the engine hands them: a copy behind the SDK's unknown-checking proxies."""
    proxied: Mapping[str, Any] = unknown_checking_proxy(deepcopy(dict(props)))
    return proxied


def resource_args(
    resource_type: str, props: Mapping[str, Any], name: str = "subject", config: Mapping[str, Any] | None = None
) -> ResourceValidationArgs:
    return ResourceValidationArgs(
        resource_type, engine_props(props), urn_of(resource_type, name), name, options(), None, config
    )


def stack_resource(
    resource_type: str,
    props: Mapping[str, Any],
    name: str,
    property_dependencies: Mapping[str, list[PolicyResource]] | None = None,
) -> PolicyResource:
    return PolicyResource(
        resource_type,
        engine_props(props),
        urn_of(resource_type, name),
        name,
        options(),
        None,
        None,
        [d for deps in (property_dependencies or {}).values() for d in deps],
        dict(property_dependencies or {}),
    )


def judge(policy: Policy, args: ResourceValidationArgs | StackValidationArgs) -> Verdict:
    """Run one policy as the SDK's analyzer does, collecting what it reports."""
    verdict = Verdict()

    def report(message: str, urn: str | None = None) -> None:
        # For a resource policy the SDK ignores `urn` and reports against the resource.
        where = args.urn if isinstance(args, ResourceValidationArgs) else (urn or "")
        verdict.violations.append(Violation(policy.name, message, where))

    try:
        if isinstance(policy, ResourceValidationPolicy):
            assert isinstance(args, ResourceValidationArgs), f"{policy.name} judges one resource"
            policy.validate(args, report)
        else:
            assert isinstance(policy, StackValidationPolicy) and isinstance(args, StackValidationArgs), policy.name
            policy.validate(args, report)
    except _NotApplicableError as reason:
        verdict.not_applicable = reason.reason or ""
    except UnknownValueError as unknown:
        verdict.unknown = unknown.message
    return verdict


def judge_stack(
    policy: Policy, resources: Sequence[PolicyResource], config: Mapping[str, Any] | None = None
) -> Verdict:
    return judge(policy, StackValidationArgs(list(resources), config))


def load_pack_config(path: Path) -> dict[str, dict[str, Any]]:
    document: dict[str, dict[str, Any]] = json.loads(path.read_text())
    return document


def policy_config(policy: Policy, pack_config: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The config the CLI hands `policy`: its schema's defaults, then the file's entry for it."""
    schema = policy.config_schema.properties if policy.config_schema is not None else {}
    defaults = {key: spec["default"] for key, spec in schema.items() if "default" in spec}
    given = {key: value for key, value in pack_config.get(policy.name, {}).items() if key != "enforcementLevel"}
    return {**defaults, **given}


def stack_view(evaluation: Evaluation) -> list[PolicyResource]:
    """Every registered resource as a stack policy sees it (outputs), linked to its parent and dependencies."""
    resources = {
        r.urn: PolicyResource(
            r.type,
            engine_props({**r.inputs, **r.outputs}),
            r.urn,
            r.name,
            options(r.parent_urn or None),
            None,
            None,
            [],
            {},
        )
        for r in evaluation.resources
    }
    for r in evaluation.resources:
        resources[r.urn].parent = resources.get(r.parent_urn)
        resources[r.urn].dependencies = [resources[d] for d in r.dependencies if d in resources]
    return list(resources.values())


def judge_evaluation(
    evaluation: Evaluation, pack_config: Path | Mapping[str, Mapping[str, Any]], policies: Iterable[Policy] = POLICIES
) -> list[Violation]:
    """Every violation the pack reports on a whole evaluated program, as `pulumi preview --policy-pack` would,
    with the pack config from a file (`--policy-pack-config`) or given directly."""
    if isinstance(pack_config, Path):
        pack_config = load_pack_config(pack_config)
    stack = stack_view(evaluation)
    verdicts: list[Verdict] = []
    for policy in policies:
        config = policy_config(policy, pack_config)
        if isinstance(policy, StackValidationPolicy):
            verdicts.append(judge_stack(policy, stack, config))
            continue
        for r in evaluation.resources:
            args = ResourceValidationArgs(r.type, engine_props(r.inputs), r.urn, r.name, options(), None, config)
            verdicts.append(judge(policy, args))
    # Under the mocks every value is known (preview=False): a policy stopping on one is a harness error.
    stopped = [v.unknown for v in verdicts if v.unknown]
    assert not stopped, f"policies stopped on unknown values: {stopped}"
    return [violation for verdict in verdicts for violation in verdict.violations]
