"""Deciding whether one log event matches a parsed filter pattern.

What is modelled, and where it comes from (AWS page titles in quotes):

- Selectors must point to a value node, a string or a number ("Using filter patterns to match
  terms in JSON log events"; the older "Filter and Pattern Syntax": both ``{$.users = 1}`` and
  ``{$.users != 1}`` fail when ``users`` is an array). So every comparison, ``!=`` included, is
  false for a missing field, an object, an array, ``null`` or a boolean; ``IS NULL``, ``IS TRUE``,
  ``IS FALSE`` and ``NOT EXISTS`` are the only ways to test those.
- A number value (``2``, ``1e+3``, ``+1000``) compares numerically with JSON numbers, and with
  strings that hold a plain decimal such as ``"400"``. Strings in scientific notation, or not
  numbers at all, satisfy no numeric comparison (AWS: "Strings don't support scientific notation").
  AWS does not spell the string cases out; this is the model, stated here so tests can rely on it.
- A string value (quoted, or a bare word like ``UpdateTrail`` or ``123.123.*``) compares with a
  string's text, or with a number's text exactly as written in the log line, which is how
  ``{ $.errorCode = 4* }`` matches ``404`` (AWS: "Use the asterisk as a wild card to match numbers").
- ``*`` alone matches any string or number. A leading ``*`` matches any text before, a trailing
  ``*`` any text after; a ``*`` in the middle is a literal character (the older "Filter and
  Pattern Syntax": "Ev*ent will only match the actual string Ev*ent").
- Matching is case sensitive. A line that is not a JSON object matches no JSON pattern.
- Plain-text terms match as case-sensitive substrings of the whole line; ``-term`` excludes;
  ``?term`` terms match when any is present, and are ignored when the pattern also has other
  terms ("Using filter patterns to match terms in unstructured log events").
"""

import operator as op
from collections.abc import Callable
from decimal import Decimal
from typing import Final

from logfilter.jsonvalues import MISSING, JsonNumber, load_event, numeric_value, resolve
from logfilter.nodes import (
    And,
    Check,
    Comparison,
    Condition,
    Expression,
    JsonExpression,
    MatchAll,
    NumberLiteral,
    Operator,
    Or,
    TermRole,
    TermsExpression,
)

_NUMERIC: Final[dict[Operator, Callable[[Decimal, Decimal], bool]]] = {
    Operator.EQ: op.eq,
    Operator.NE: op.ne,
    Operator.LT: op.lt,
    Operator.LE: op.le,
    Operator.GT: op.gt,
    Operator.GE: op.ge,
}


def matches(expression: Expression, event: str) -> bool:
    """Whether one raw log line matches the pattern."""
    if isinstance(expression, MatchAll):
        return True
    if isinstance(expression, TermsExpression):
        return _terms_match(expression, event)
    document = load_event(event)
    return document is not None and _json_match(expression, document)


def _json_match(expression: JsonExpression, document: dict[str, object]) -> bool:
    if isinstance(expression, And):
        return all(_json_match(operand, document) for operand in expression.operands)
    if isinstance(expression, Or):
        return any(_json_match(operand, document) for operand in expression.operands)
    node = resolve(document, expression.selector.path)
    if isinstance(expression, Condition):
        return _check(expression.check, node)
    return _compare(expression, node)


def _check(check: Check, node: object) -> bool:
    if check is Check.NOT_EXISTS:
        return node is MISSING
    if check is Check.IS_NULL:
        return node is None
    if check is Check.IS_TRUE:
        return node is True
    return node is False


def _compare(comparison: Comparison, node: object) -> bool:
    if not isinstance(node, (str, JsonNumber)):
        return False
    literal = comparison.literal
    if isinstance(literal, NumberLiteral):
        number = numeric_value(node)
        return number is not None and _NUMERIC[comparison.operator](number, literal.value)
    text = node if isinstance(node, str) else node.text
    found = wildcard_match(literal.text, text)
    return found if comparison.operator is Operator.EQ else not found


def wildcard_match(pattern: str, text: str) -> bool:
    """Match ``text`` against a value with optional leading/trailing ``*`` wildcards."""
    core = pattern.strip("*")
    if not core:
        return True  # "*" (or "**") matches any value
    leading = pattern.startswith("*")
    trailing = pattern.endswith("*")
    if leading and trailing:
        return core in text
    if leading:
        return text.endswith(core)
    if trailing:
        return text.startswith(core)
    return text == pattern


def _terms_match(expression: TermsExpression, event: str) -> bool:
    required = [term.text for term in expression.terms if term.role is TermRole.REQUIRED]
    excluded = [term.text for term in expression.terms if term.role is TermRole.EXCLUDED]
    optional = [term.text for term in expression.terms if term.role is TermRole.OPTIONAL]
    if required or excluded:
        # AWS: combined with other terms, the question-mark terms are ignored.
        return all(text in event for text in required) and not any(text in event for text in excluded)
    return any(text in event for text in optional)
