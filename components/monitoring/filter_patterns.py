"""CloudWatch Logs JSON filter patterns, built rather than typed: `{ $.event = "image.processed" }`.

A pattern is a tree of `field = value` conditions joined by `all_of` (`&&`) and `any_of` (`||`).
The same tree renders as a metric filter's pattern and as a Logs Insights `filter` predicate, so a
dashboard query selects exactly the lines a metric counts. Syntax: CloudWatch Logs, "Using filter
patterns to match terms in JSON log events" (compound expressions; `()` binds before `&&`, `&&`
before `||`); Logs Insights, the `filter` command (`and`, `or`, parentheses).
"""

import json
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Condition:
    """`$.field = "value"`; `field` is the selector after `$.`, dotted for nested keys (`record.status`)."""

    field: str
    value: str

    def render(self) -> str:
        # json.dumps quotes and escapes the value the way the filter syntax expects.
        return f"$.{self.field} = {json.dumps(self.value)}"

    def insights(self) -> str:
        if "'" in self.value:
            raise ValueError(f"a Logs Insights string in single quotes cannot hold {self.value!r}")
        return f"{self.field} = '{self.value}'"


class Join(Enum):
    """How a compound joins its operands: (filter pattern operator, Logs Insights operator)."""

    ALL = ("&&", "and")
    ANY = ("||", "or")


@dataclass(frozen=True)
class Compound:
    join: Join
    operands: tuple["Condition | Compound", ...]

    def render(self) -> str:
        return f" {self.join.value[0]} ".join(_nested(o, o.render()) for o in self.operands)

    def insights(self) -> str:
        return f" {self.join.value[1]} ".join(_nested(o, o.insights()) for o in self.operands)


def _nested(operand: Condition | Compound, text: str) -> str:
    # Parenthesised whatever the precedence, so a reader never has to know it.
    return text if isinstance(operand, Condition) else f"({text})"


@dataclass(frozen=True)
class FilterPattern:
    expression: Condition | Compound

    def render(self) -> str:
        """The metric filter's pattern: `{ ... }`."""
        return "{ " + self.expression.render() + " }"

    def insights(self) -> str:
        """The same predicate for a Logs Insights `filter` command."""
        return self.expression.insights()


def equals(field: str, value: str) -> FilterPattern:
    return FilterPattern(Condition(field, str(value)))


def _combine(join: Join, patterns: tuple[FilterPattern, ...]) -> FilterPattern:
    if not patterns:
        raise ValueError("a compound filter pattern needs at least one pattern")
    operands: list[Condition | Compound] = []
    for p in patterns:
        e = p.expression
        # all_of(all_of(a, b), c) is a && b && c: same join, one level.
        operands += e.operands if isinstance(e, Compound) and e.join is join else (e,)
    return FilterPattern(operands[0] if len(operands) == 1 else Compound(join, tuple(operands)))


def all_of(*patterns: FilterPattern) -> FilterPattern:
    """Matches a line that every pattern matches."""
    return _combine(Join.ALL, patterns)


def any_of(*patterns: FilterPattern) -> FilterPattern:
    """Matches a line that at least one pattern matches."""
    return _combine(Join.ANY, patterns)
