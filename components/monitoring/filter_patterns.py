"""CloudWatch Logs JSON filter patterns, built rather than typed: `{ $.event = "image.processed" }`."""

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Condition:
    field: str
    value: str

    def render(self) -> str:
        # json.dumps quotes and escapes the value the way the filter syntax expects.
        return f"$.{self.field} = {json.dumps(self.value)}"


@dataclass(frozen=True)
class FilterPattern:
    conditions: tuple[Condition, ...]

    def render(self) -> str:
        return "{ " + " && ".join(c.render() for c in self.conditions) + " }"


def equals(field: str, value: str) -> FilterPattern:
    return FilterPattern((Condition(field, str(value)),))


def all_of(*patterns: FilterPattern) -> FilterPattern:
    return FilterPattern(tuple(c for p in patterns for c in p.conditions))
