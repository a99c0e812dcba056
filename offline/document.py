"""Turn an Evaluation into a stable JSON document: the plan file and the golden snapshots."""

import json
from typing import Any

import pulumi

from offline.runtime import Evaluation, RecordedResource

MASK = "<masked>"


def _normalise(value: Any) -> Any:
    """JSON-ready and stable: whole floats as ints, archives as their entry names, sorted keys."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    if isinstance(value, pulumi.AssetArchive):
        # Entry names show what ships; contents and hashes would churn on every edit.
        return {"archive": sorted(value.assets)}
    if isinstance(value, pulumi.FileArchive):
        return {"archive": MASK}
    if isinstance(value, (pulumi.Asset, pulumi.Archive)):
        return {"asset": MASK}
    return repr(value)


def _json_string_inputs(inputs: dict[str, Any]) -> dict[str, Any]:
    """Policies and dashboards arrive as JSON text; parse them so a diff shows the changed line."""
    out: dict[str, Any] = {}
    for key, value in inputs.items():
        if isinstance(value, str) and value[:1] in "{[" and key in {"policy", "assumeRolePolicy", "dashboardBody"}:
            try:
                out[key] = json.loads(value)
                continue
            except json.JSONDecodeError:
                pass
        out[key] = value
    return out


def resource_label(resource: RecordedResource | None) -> str | None:
    return None if resource is None else f"{resource.type}::{resource.name}"


def plan_document(evaluation: Evaluation, stack: str) -> dict[str, Any]:
    def entry(r: RecordedResource) -> dict[str, Any]:
        deps = sorted(
            label for urn in r.dependencies if (label := resource_label(_safe_by_urn(evaluation, urn))) is not None
        )
        return {
            "type": r.type,
            "name": r.name,
            "parent": resource_label(evaluation.parent_of(r)),
            "dependsOn": deps,
            "inputs": _normalise(_json_string_inputs(r.inputs)),
        }

    resources = sorted((entry(r) for r in evaluation.resources), key=lambda e: (e["type"], e["name"]))
    return {"stack": stack, "resources": resources, "exports": _normalise(evaluation.exports)}


def _safe_by_urn(evaluation: Evaluation, urn: str) -> RecordedResource | None:
    try:
        return evaluation.by_urn(urn)
    except LookupError:
        return None


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
