"""The parsed form of a filter pattern: immutable nodes, no behaviour beyond describing themselves."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


@dataclass(frozen=True)
class Selector:
    """A JSON property selector such as ``$.objectList[1].id`` or ``$.['cluster.name']``."""

    text: str
    """The selector as written in the pattern."""
    path: tuple[str | int, ...]
    """Object keys (str) and array indexes (int), outermost first."""


class Operator(StrEnum):
    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="


ORDERING_OPERATORS = frozenset({Operator.LT, Operator.LE, Operator.GT, Operator.GE})


@dataclass(frozen=True)
class NumberLiteral:
    """An unquoted number: optional sign, digits, optional decimals, optional ``e`` exponent."""

    text: str
    value: Decimal


@dataclass(frozen=True)
class StringLiteral:
    """A quoted or unquoted string; a leading and/or trailing ``*`` is a wildcard."""

    text: str
    """The characters between the quotes (or the bare word), wildcards included."""
    quoted: bool


Literal = NumberLiteral | StringLiteral


@dataclass(frozen=True)
class Comparison:
    """``selector operator literal``, e.g. ``$.latency >= 500``."""

    selector: Selector
    operator: Operator
    literal: Literal


class Check(StrEnum):
    IS_NULL = "IS NULL"
    IS_TRUE = "IS TRUE"
    IS_FALSE = "IS FALSE"
    NOT_EXISTS = "NOT EXISTS"


@dataclass(frozen=True)
class Condition:
    """``selector IS NULL`` and friends (a named check rather than a comparison)."""

    selector: Selector
    check: Check


@dataclass(frozen=True)
class And:
    operands: tuple["JsonExpression", ...]


@dataclass(frozen=True)
class Or:
    operands: tuple["JsonExpression", ...]


JsonExpression = Comparison | Condition | And | Or


class TermRole(StrEnum):
    REQUIRED = ""
    OPTIONAL = "?"
    EXCLUDED = "-"


@dataclass(frozen=True)
class Term:
    """One word or quoted phrase of a plain-text pattern, with its ``?``/``-`` prefix."""

    text: str
    role: TermRole


@dataclass(frozen=True)
class TermsExpression:
    """A plain-text pattern such as ``ERROR -ARGUMENTS`` or ``?ERROR ?WARN``."""

    terms: tuple[Term, ...]


@dataclass(frozen=True)
class MatchAll:
    """The empty pattern (or a blank quoted phrase): every event matches."""


Expression = JsonExpression | TermsExpression | MatchAll
