"""A log line as JSON, keeping each number's text as written so wildcards can match it."""

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Final


@dataclass(frozen=True)
class JsonNumber:
    """A JSON number with the text it had in the log line (``1.50`` stays ``1.50``)."""

    text: str
    value: Decimal


class _Missing:
    """The selector leads nowhere in this event."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()

# AWS: "Strings don't support scientific notation", so only plain decimals count as numeric strings.
_NUMERIC_STRING = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def load_event(event: str) -> dict[str, object] | None:
    """The event as a JSON object, or None when it is not one (plain text, arrays, scalars)."""
    try:
        document: object = json.loads(
            event,
            parse_int=lambda text: JsonNumber(text, Decimal(text)),
            parse_float=lambda text: JsonNumber(text, Decimal(text)),
            parse_constant=_reject_constant,  # NaN and Infinity are Python extensions, not JSON
        )
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def resolve(document: object, path: tuple[str | int, ...]) -> object:
    """The node at ``path``, or MISSING when a key is absent, an index is out of range, or the
    path steps into something that is not an object (for keys) or an array (for indexes)."""
    node = document
    for step in path:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return MISSING
            node = node[step]
        else:
            if not isinstance(node, dict) or step not in node:
                return MISSING
            node = node[step]
    return node


def numeric_value(node: object) -> Decimal | None:
    """The number a value node stands for: a JSON number, or a string holding a plain decimal.

    Numeric strings count because CloudWatch compares and publishes text fields of
    space-delimited events as numbers too; strings in scientific notation do not (see above).
    """
    if isinstance(node, JsonNumber):
        return node.value
    if isinstance(node, str) and _NUMERIC_STRING.fullmatch(node):
        return Decimal(node)
    return None
