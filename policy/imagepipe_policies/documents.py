"""IAM-style policy documents (role policies, bucket policies) read statement by statement.

A document arrives as JSON text (pulumi-aws types `policy` as a string) or, rarely, as an object;
`Statement`, `Action`, `Resource` and `Principal` may each be one item or a list of them.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .properties import is_sequence, listed


class UnreadableDocument(ValueError):
    """The document is not a JSON policy with a Statement; say so instead of judging it."""


@dataclass(frozen=True)
class Statement:
    label: str
    """The Sid, or `statement N` (1-based) without one: what a violation message names."""
    effect: str
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    principals: tuple[str, ...] = ()
    """Every principal named, whatever its kind (`*` for `"Principal": "*"`)."""
    condition: Mapping[str, Any] = field(default_factory=dict)

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    def condition_values(self, operators: tuple[str, ...], key: str) -> list[str]:
        """The values a condition compares `key` with under any of `operators`, as lowercase text.

        Operators and keys are matched without regard to case, as IAM does (`aws:SecureTransport`)."""
        found: list[str] = []
        for operator, clauses in self.condition.items():
            if operator.lower() not in {o.lower() for o in operators} or not isinstance(clauses, Mapping):
                continue
            for clause_key, values in clauses.items():
                if clause_key.lower() == key.lower():
                    found.extend(str(v).lower() for v in listed(values))
        return found


def statements(document: Any) -> list[Statement]:
    """Every statement of a policy document. Raises UnreadableDocument for anything else."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError as error:
            raise UnreadableDocument(f"not JSON: {error}") from error
    if not isinstance(document, Mapping) or "Statement" not in document:
        raise UnreadableDocument("no Statement")
    raw = document["Statement"]
    parts = list(raw) if is_sequence(raw) else [raw]
    out: list[Statement] = []
    for number, part in enumerate(parts, start=1):
        if not isinstance(part, Mapping):
            raise UnreadableDocument(f"statement {number} is not an object")
        out.append(
            Statement(
                label=str(part.get("Sid") or f"statement {number}"),
                effect=str(part.get("Effect", "")),
                actions=_texts(part.get("Action")),
                not_actions=_texts(part.get("NotAction")),
                resources=_texts(part.get("Resource")),
                not_resources=_texts(part.get("NotResource")),
                principals=_principals(part.get("Principal")),
                condition=part.get("Condition") or {},
            )
        )
    return out


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in listed(value))


def _principals(value: Any) -> tuple[str, ...]:
    if isinstance(value, Mapping):
        return tuple(str(p) for kind in value.values() for p in listed(kind))
    return _texts(value)
