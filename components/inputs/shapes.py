"""Type checks derived from a component's Args TypedDict: the annotations Pulumi's schema is inferred from.

Values arrive from Python programs as written and from other languages through the provider, where
every number travels as a float (pulumi/provider/experimental/component.py, ``map_input_properties``:
the ``int()`` it computes for an integer property is then overwritten by the raw value). So a whole
number given as ``512.0`` is taken as 512, while ``512.5`` or ``"512"`` is refused.
"""

import collections.abc
import difflib
import types
from collections.abc import Callable, Mapping
from typing import Any, ForwardRef, NotRequired, Required, Union, get_args, get_origin, is_typeddict

import pulumi

from components.inputs.errors import Violation
from components.inputs.rules import plural_of

# Called for an Output (or awaitable) given where the annotation is ``pulumi.Input[X]``, with X;
# returns what stands in its place (the Output, checked when it resolves).
Defer = Callable[[pulumi.Output[Any], object], object]

_NOUNS: dict[object, str] = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}
_PLURALS: dict[object, str] = {bool: "booleans", int: "whole numbers", float: "numbers", str: "strings"}


def unwrap_required(annotation: object) -> object:
    """``NotRequired[X]`` or ``Required[X]`` -> ``X``."""
    if get_origin(annotation) in (NotRequired, Required):
        return get_args(annotation)[0]
    return annotation


def input_inner(annotation: object) -> object | None:
    """``pulumi.Input[X]`` (``X | Awaitable[X] | 'Output[T]'``) -> ``X``; any other annotation -> None."""
    if get_origin(annotation) not in (Union, types.UnionType):
        return None
    members = get_args(annotation)
    plain = [m for m in members if get_origin(m) is not collections.abc.Awaitable and not isinstance(m, ForwardRef)]
    return plain[0] if len(plain) == 1 and len(members) == 3 else None


def _bare(annotation: object) -> object:
    annotation = unwrap_required(annotation)
    inner = input_inner(annotation)
    return annotation if inner is None else inner


def describe(annotation: object) -> str:
    """The annotation in words, to complete "must be ...": ``a list of strings``."""
    annotation = _bare(annotation)
    if annotation in _NOUNS:
        return _NOUNS[annotation]
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is list:
        return f"a list of {_plural(args[0])}"
    if origin is dict:
        return f"a mapping of {_plural(args[0])} to {_plural(args[1])}"
    if is_typeddict(annotation):
        return f"a mapping with the fields of {getattr(annotation, '__name__', 'its type')}"
    raise TypeError(f"no words for annotation {annotation!r}")


def _plural(annotation: object) -> str:
    annotation = _bare(annotation)
    return _PLURALS[annotation] if annotation in _PLURALS else plural_of(describe(annotation))


def fields_of(typed_dict: type) -> dict[str, object]:
    """Every field of a TypedDict with its annotation, unevaluated (pulumi.Input holds forward references)."""
    found: dict[str, object] = {}
    for klass in reversed(typed_dict.__mro__):
        found.update(getattr(klass, "__annotations__", {}))
    return found


def required_fields(typed_dict: type) -> frozenset[str]:
    required: frozenset[str] = getattr(typed_dict, "__required_keys__", frozenset())
    return required


def conform(value: object, annotation: object, defer: Defer) -> object:
    """``value`` checked against ``annotation`` and normalised (whole floats to int, tuples to lists).

    Raises Violation, with the path below the field where the value breaks the annotation.
    """
    annotation = unwrap_required(annotation)
    if (inner := input_inner(annotation)) is not None:
        if isinstance(value, pulumi.Output | collections.abc.Awaitable):
            return defer(pulumi.Output.from_input(value), inner)
        return conform(value, inner, defer)
    if annotation is int:
        return _whole(value)
    if annotation is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Violation(describe(annotation), value)
        return value
    if annotation in (bool, str):
        if not isinstance(value, annotation):
            raise Violation(describe(annotation), value)
        return value
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is list:
        # A bare string is a sequence too: refused here, or "abc" would become ["a", "b", "c"].
        if not isinstance(value, list | tuple):
            raise Violation(describe(annotation), value)
        return [_below(f"[{i}]", item, args[0], defer) for i, item in enumerate(value)]
    if origin is dict:
        if not isinstance(value, Mapping):
            raise Violation(describe(annotation), value)
        for key in value:
            if not isinstance(key, str):
                raise Violation("a mapping with string keys", key, f"[{key!r}]")
        return {key: _below(f"[{key!r}]", item, args[1], defer) for key, item in value.items()}
    if is_typeddict(annotation):
        if not isinstance(value, Mapping):
            raise Violation(describe(annotation), value)
        return conform_fields(value, annotation, defer)  # type: ignore[arg-type]
    raise TypeError(f"no check for annotation {annotation!r}")


def check_keys(value: Mapping[Any, object], typed_dict: type, nested: bool = False) -> None:
    """No unknown keys (the closest known one suggested) and no missing ones."""
    known = fields_of(typed_dict)
    step = "." if nested else ""
    for key in value:
        if key not in known:
            close = difflib.get_close_matches(str(key), list(known), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise Violation(f"an input of {typed_dict.__name__}{hint}", value[key], f"{step}{key}")
    for key in sorted(required_fields(typed_dict) - set(value)):
        raise Violation(f"given ({describe(known[key])})", None, f"{step}{key}")


def conform_fields(value: Mapping[Any, object], typed_dict: type, defer: Defer) -> dict[str, object]:
    """A nested TypedDict's value: its keys, then each field typed."""
    check_keys(value, typed_dict, nested=True)
    known = fields_of(typed_dict)
    return {key: _below(f".{key}", item, known[key], defer) for key, item in value.items()}


def _whole(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise Violation("a whole number", value)


def _below(step: str, value: object, annotation: object, defer: Defer) -> object:
    try:
        return conform(value, annotation, defer)
    except Violation as exc:
        raise exc.below(step) from None
