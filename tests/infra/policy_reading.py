"""Read IAM policy documents statement by statement in tests."""

import json
from typing import Any


def statements(policy: str | dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Statements keyed by Sid, with Action and Resource always lists."""
    doc = json.loads(policy) if isinstance(policy, str) else policy
    out: dict[str, dict[str, Any]] = {}
    for s in doc["Statement"]:
        normal = dict(s)
        for key in ("Action", "Resource"):
            if key in normal and not isinstance(normal[key], list):
                normal[key] = [normal[key]]
        out[s.get("Sid", "")] = normal
    return out
