"""What a deployed stack knows each resource by: its URN and, for a custom resource, its inputs.

    python -m offline.identity record     # write tests/snapshots/deployed/{stack}.json from this tree

The engine matches a program's resources to a deployed stack's by URN, or by an alias that
resolves to the old URN; a resource matched by neither is created anew and the old one deleted.
``tests/snapshots/deployed/`` holds the identities of a tree that was deployed (recorded before a
reshaping), and the tests prove the program still reaches every one of them with the same inputs.
Alias specs are resolved the way the engine does it, including the aliases a child inherits from
its parent's aliases (the SDK leaves those to the engine).
"""

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from offline.document import _json_string_inputs, _normalise
from offline.generated_files import write_if_changed
from offline.runtime import Evaluation, RecordedResource, evaluate_program
from offline.urns import make_urn, urn_parts
from program.config import ROOT, STACKS

DEPLOYED_DIR = ROOT / "tests" / "snapshots" / "deployed"
# Code archives change with every handler edit; Lambda updates the code in place.
ARCHIVE = "<archive>"


def deployed_path(stack: str) -> Path:
    return DEPLOYED_DIR / f"{stack}.json"


def _without_archives(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"archive"}:
            return ARCHIVE
        return {k: _without_archives(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_archives(v) for v in value]
    return value


def resource_inputs(resource: RecordedResource) -> Any:
    return _without_archives(_normalise(_json_string_inputs(resource.inputs)))


def identity_document(evaluation: Evaluation) -> dict[str, Any]:
    """URN -> whether it is a custom resource and, if so, its inputs."""
    return {
        r.urn: {"custom": r.custom, "inputs": resource_inputs(r) if r.custom else None}
        for r in sorted(evaluation.resources, key=lambda r: r.urn)
    }


# --- aliases, as the engine resolves them ---


def _own_alias_urns(resource: RecordedResource) -> Iterator[str]:
    stack, project, _, _ = urn_parts(resource.urn)
    for alias in resource.aliases:
        if alias.urn:
            yield alias.urn
            continue
        parent = None if alias.no_parent else (alias.parent_urn or resource.parent_urn or None)
        yield make_urn(
            alias.stack or stack,
            alias.project or project,
            parent,
            alias.type or resource.type,
            alias.name or resource.name,
        )


def _inherited(child_urn: str, parent_name: str, parent_alias: str) -> str:
    """The child's URN under an alias of its parent; a name derived from the parent's follows it."""
    stack, project, chain, name = urn_parts(child_urn)
    alias_name = urn_parts(parent_alias)[3]
    if name.startswith(parent_name):
        name = alias_name + name[len(parent_name) :]
    return make_urn(stack, project, parent_alias, chain.split("$")[-1], name)


def alias_urns(evaluation: Evaluation, resource: RecordedResource) -> set[str]:
    """Every old URN the engine would match to ``resource``: its own aliases and those inherited."""
    own = set(_own_alias_urns(resource))
    parent = evaluation.parent_of(resource)
    if parent is None:
        return own
    inherited = {
        _inherited(candidate, parent.name, parent_alias)
        for parent_alias in alias_urns(evaluation, parent)
        for candidate in {resource.urn, *own}
    }
    return own | inherited


def main(argv: list[str]) -> int:
    if argv != ["record"]:
        print(__doc__)
        return 2
    for stack in STACKS:
        document = identity_document(evaluate_program(stack))
        changed = write_if_changed(deployed_path(stack), json.dumps(document, indent=2, sort_keys=True) + "\n")
        print(f"{deployed_path(stack).relative_to(ROOT)}: {'updated' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


__all__ = ["alias_urns", "identity_document", "make_urn", "resource_inputs"]
