"""Parsers for config values: (key name, raw text) -> typed value, or ConfigError naming the key.

Pulumi hands every value as text, lists and objects as JSON text. A parser here turns the text into
the value's type; what the value may then be is the component's rule, applied with ``checked`` and
reported against the config key (the rule itself lives once, beside the component field it guards).
"""

import json
from collections.abc import Callable
from typing import TypeVar

from components.inputs import Rule, Violation
from components.inputs.errors import quoted
from components.inputs.rules import Each
from handlers.imaging.renditions import RenditionSpec, RenditionSpecError, parse_renditions
from program.config_keys import ConfigError

T = TypeVar("T")
Parse = Callable[[str, str], T]


def checked(parse: Parse[T], rule: Rule) -> Parse[T]:
    """``parse``, then the component's ``rule``: a broken rule is reported against the config key."""

    def parse_and_check(key: str, raw: str) -> T:
        value = parse(key, raw)
        try:
            rule.check(value)
        except Violation as exc:
            detail = f" ({exc.detail})" if exc.detail else ""
            raise ConfigError(key, f"must be {exc.allowed}{detail}, got {quoted(exc.given)}", at=exc.at) from None
        return value

    return parse_and_check


def optional(parse: Parse[T]) -> Parse[T | None]:
    """Empty text for None (a key whose default is "not set"), else ``parse``."""
    return lambda key, raw: None if not raw.strip() else parse(key, raw)


def integer(key: str, raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ConfigError(key, f"must be a whole number, got {raw!r}") from None


def boolean(key: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered not in ("true", "false"):
        raise ConfigError(key, f"must be true or false, got {raw!r}")
    return lowered == "true"


def text(key: str, raw: str) -> str:
    """Non-empty text, stripped."""
    if not raw.strip():
        raise ConfigError(key, "must not be empty")
    return raw.strip()


def json_list(key: str, raw: str) -> list[object]:
    """A JSON list (Pulumi hands lists as JSON text)."""
    value = _json(key, raw)
    if not isinstance(value, list):
        raise ConfigError(key, f"must be a list, got {raw!r}")
    return value


def json_object(key: str, raw: str) -> dict[str, object]:
    """A JSON object (Pulumi hands objects as JSON text)."""
    value = _json(key, raw)
    if not isinstance(value, dict):
        raise ConfigError(key, f"must be an object, got {raw!r}")
    return value


def strings(key: str, raw: str) -> tuple[str, ...]:
    """A JSON list of strings."""
    values = json_list(key, raw)
    for value in values:
        if not isinstance(value, str):
            raise ConfigError(key, f"must list strings, got {value!r}")
    return tuple(str(v) for v in values)


def _json(key: str, raw: str) -> object:
    try:
        value: object = json.loads(raw)
    except json.JSONDecodeError:
        raise ConfigError(key, f"must be JSON, got {raw!r}") from None
    return value


def renditions(key: str, raw: str) -> tuple[RenditionSpec, ...]:
    """A JSON list of rendition objects, checked by the function's own parser (as the component checks them)."""
    try:
        decoded: object = json.loads(raw)
    except json.JSONDecodeError:
        raise ConfigError(key, f"must be a list of rendition objects, got {raw!r}") from None
    try:
        return parse_renditions(decoded)
    except RenditionSpecError as exc:
        raise ConfigError(key, f"is invalid: {exc}") from None


def thresholds(rule: Rule) -> Parse[dict[str, float]]:
    """A JSON object of numbers by name that meets ``rule``, as floats."""
    check = checked(json_object, rule)
    return lambda key, raw: {name: float(value) for name, value in check(key, raw).items()}  # type: ignore[arg-type]


def lists_by_name(noun: str, names: tuple[str, ...], item: Rule) -> Parse[dict[str, tuple[str, ...]]]:
    """A JSON object whose keys are ``noun``s among ``names`` and whose values are lists of items meeting ``item``."""
    each_item = checked(strings, Each(item))

    def parse(key: str, raw: str) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for name, values in json_object(key, raw).items():
            if name not in names:
                raise ConfigError(key, f"has unknown {noun} {name!r}; {noun}s: {', '.join(names)}")
            out[name] = each_item(f"{key}.{name}", json.dumps(values))
        return out

    return parse
