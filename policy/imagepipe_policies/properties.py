"""Reading the properties the engine hands a policy.

Resource policies get a resource's inputs, stack policies every resource's outputs; either way nested
values arrive as the SDK's Mapping and Sequence proxies (not dicts and lists), and during a preview a
value computed from another resource is unknown: reading it raises `UnknownValueError`, which the SDK
turns into an advisory "can't run policy during preview" note instead of a verdict.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy.proxy import UnknownValueError

__all__ = ["UnknownValueError", "is_sequence", "is_set", "listed", "value_at", "value_if_known"]

Step = str | int


def is_sequence(value: object) -> bool:
    """A list as the engine hands it (a text is not one)."""
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def value_at(props: Mapping[str, Any], *path: Step) -> Any:
    """The value at `path` (keys and list indexes), None when a step is absent.

    Raises `UnknownValueError` when the value, or a step on the way, is not known yet (preview).
    """
    current: Any = props
    for step in path:
        if isinstance(step, str):
            if not isinstance(current, Mapping):
                return None
            current = current.get(step)
        else:
            if not is_sequence(current) or not -len(current) <= step < len(current):
                return None
            current = current[step]
        if current is None:
            return None
    return current


def value_if_known(props: Mapping[str, Any], *path: Step) -> Any:
    """Like `value_at`, but None for a value not known yet."""
    try:
        return value_at(props, *path)
    except UnknownValueError:
        return None


def is_set(props: Mapping[str, Any], *path: Step) -> bool:
    """Present and not empty. A value not known yet counts as set: it is another resource's output
    (a key's ARN, a subnet's id), so it will hold something."""
    try:
        value = value_at(props, *path)
    except UnknownValueError:
        return True
    if value is None or value == "":
        return False
    if is_sequence(value) or isinstance(value, Mapping):
        return len(value) > 0
    return True


def listed(value: Any) -> list[Any]:
    """A value IAM and AWS accept as one item or a list of them (Action, Resource), as a list."""
    if value is None:
        return []
    if is_sequence(value):
        return list(value)
    return [value]
