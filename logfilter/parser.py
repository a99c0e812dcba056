"""Recursive-descent parser for CloudWatch Logs filter patterns (JSON and plain-text terms).

Grammar of a JSON pattern, as the AWS pages "Filter pattern syntax for metric filters,
subscription filters, filter log events, and Live Tail" and "Using filter patterns to match terms
in JSON log events" describe it (whitespace is allowed between any two tokens)::

    pattern    := '{' or_expr '}'
    or_expr    := and_expr ('||' and_expr)*         # () > && > ||
    and_expr   := primary ('&&' primary)*
    primary    := '(' or_expr ')' | condition
    condition  := selector (operator value | 'IS' ('NULL' | 'TRUE' | 'FALSE') | 'NOT' 'EXISTS')
    selector   := '$' ('.' name | ".['" key "']") ('.' name | ".['" key "']" | '[' digits ']')*
    name       := [A-Za-z0-9_-]+
    value      := number | '"' any but '"' '"' | [A-Za-z0-9_.*]+
    number     := [+-]? digits ('.' digits)? ('e' [+-]? digits)?

``<``, ``<=``, ``>``, ``>=`` need a number. Not modelled, rejected with a FilterPatternError:
regex values (``%...%``), wildcard selectors (``$.*``, ``[*]``), space-delimited patterns, and
``EXISTS`` / ``IS NOT``, which AWS documents as unsupported.
"""

import re
from decimal import Decimal
from typing import Final

from logfilter.errors import FilterPatternError
from logfilter.nodes import (
    ORDERING_OPERATORS,
    And,
    Check,
    Comparison,
    Condition,
    Expression,
    JsonExpression,
    Literal,
    MatchAll,
    NumberLiteral,
    Operator,
    Or,
    Selector,
    StringLiteral,
    Term,
    TermRole,
    TermsExpression,
)

# PutMetricFilter: filterPattern "Length Constraints: Minimum length of 0. Maximum length of 1024."
MAX_PATTERN_LENGTH: Final = 1024

_NAME = re.compile(r"[A-Za-z0-9_-]+")
_DIGITS = re.compile(r"[0-9]+")
_WORD = re.compile(r"[A-Za-z]+")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?")
_BARE_STRING = re.compile(r"[A-Za-z0-9_.*]+")
_BARE_TERM = re.compile(r"[A-Za-z0-9_]+")
# A bare value runs until whitespace or a character that ends a condition.
_BARE_VALUE_END = frozenset(' \t\r\n(){}&|"')
# Longest first, so "<=" is not read as "<" followed by "=".
_OPERATORS: Final = ("!=", "<=", ">=", "=", "<", ">")


class _Cursor:
    """The pattern text and a read position, with the error helper every rule uses."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def error(self, reason: str, position: int | None = None) -> FilterPatternError:
        return FilterPatternError(reason, self.text, self.pos if position is None else position)

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self, length: int = 1) -> str:
        return self.text[self.pos : self.pos + length]

    def skip_whitespace(self) -> bool:
        """Skip whitespace; True when there was any."""
        start = self.pos
        while not self.at_end() and self.text[self.pos].isspace():
            self.pos += 1
        return self.pos > start

    def take(self, literal: str) -> bool:
        if self.text.startswith(literal, self.pos):
            self.pos += len(literal)
            return True
        return False

    def take_regex(self, pattern: re.Pattern[str]) -> str | None:
        found = pattern.match(self.text, self.pos)
        if found is None:
            return None
        self.pos = found.end()
        return found.group()

    def describe_here(self) -> str:
        return "end of pattern" if self.at_end() else repr(self.text[self.pos])


def parse_expression(pattern: str) -> Expression:
    """Parse a whole filter pattern into its expression tree."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise FilterPatternError(
            f"filter pattern is longer than {MAX_PATTERN_LENGTH} characters", pattern, MAX_PATTERN_LENGTH
        )
    cursor = _Cursor(pattern)
    cursor.skip_whitespace()
    if cursor.at_end():
        return MatchAll()
    first = cursor.peek()
    if first == "{":
        return _json_pattern(cursor)
    if first == "[":
        raise cursor.error("space-delimited patterns ([...]) are not supported by this evaluator")
    if first == "%":
        raise cursor.error("regular expression patterns (%...%) are not supported by this evaluator")
    return _terms(cursor)


def parse_selector(text: str) -> Selector:
    """Parse a lone JSON selector such as a metric value ``$.processing_time_ms``."""
    cursor = _Cursor(text)
    selector = _selector(cursor)
    if not cursor.at_end():
        raise cursor.error(f"unexpected {cursor.describe_here()} after selector")
    return selector


# --- JSON patterns -------------------------------------------------------------------------------


def _json_pattern(cursor: _Cursor) -> JsonExpression:
    cursor.take("{")
    expression = _or(cursor)
    cursor.skip_whitespace()
    if not cursor.take("}"):
        raise cursor.error(f"expected '&&', '||' or '}}', found {cursor.describe_here()}")
    cursor.skip_whitespace()
    if not cursor.at_end():
        raise cursor.error(f"unexpected {cursor.describe_here()} after the closing '}}'")
    return expression


def _or(cursor: _Cursor) -> JsonExpression:
    operands = [_and(cursor)]
    while True:
        cursor.skip_whitespace()
        if not cursor.take("||"):
            break
        operands.append(_and(cursor))
    return operands[0] if len(operands) == 1 else Or(tuple(operands))


def _and(cursor: _Cursor) -> JsonExpression:
    operands = [_primary(cursor)]
    while True:
        cursor.skip_whitespace()
        if not cursor.take("&&"):
            break
        operands.append(_primary(cursor))
    return operands[0] if len(operands) == 1 else And(tuple(operands))


def _primary(cursor: _Cursor) -> JsonExpression:
    cursor.skip_whitespace()
    if cursor.take("("):
        inner = _or(cursor)
        cursor.skip_whitespace()
        if not cursor.take(")"):
            raise cursor.error(f"expected ')', '&&' or '||', found {cursor.describe_here()}")
        return inner
    if cursor.peek() != "$":
        raise cursor.error(f"expected a selector starting with '$.' or '(', found {cursor.describe_here()}")
    return _condition(cursor)


def _condition(cursor: _Cursor) -> JsonExpression:
    selector = _selector(cursor)
    spaced = cursor.skip_whitespace()
    for symbol in _OPERATORS:
        operator_at = cursor.pos
        if cursor.take(symbol):
            operator = Operator(symbol)
            if cursor.peek() == "=":
                raise cursor.error(f"'{symbol}=' is not an operator (use '=' or '!=')", operator_at)
            return Comparison(selector, operator, _value(cursor, operator))
    if _WORD.match(cursor.text, cursor.pos):
        if not spaced:
            raise cursor.error("expected whitespace between the selector and the keyword")
        return Condition(selector, _keyword_check(cursor))
    raise cursor.error(
        f"expected an operator (=, !=, <, <=, >, >=), IS or NOT EXISTS after {selector.text}, "
        f"found {cursor.describe_here()}"
    )


def _keyword_check(cursor: _Cursor) -> Check:
    start = cursor.pos
    word = cursor.take_regex(_WORD)
    if word == "IS":
        cursor.skip_whitespace()
        target_at = cursor.pos
        target = cursor.take_regex(_WORD)
        if target == "NOT":
            raise cursor.error("IS NOT is not supported by CloudWatch Logs", start)
        checks = {"NULL": Check.IS_NULL, "TRUE": Check.IS_TRUE, "FALSE": Check.IS_FALSE}
        if target not in checks or target_at == start + len("IS"):
            raise cursor.error("expected NULL, TRUE or FALSE after IS", target_at)
        return checks[target]
    if word == "NOT":
        cursor.skip_whitespace()
        target_at = cursor.pos
        if cursor.take_regex(_WORD) != "EXISTS" or target_at == start + len("NOT"):
            raise cursor.error("expected EXISTS after NOT", target_at)
        return Check.NOT_EXISTS
    if word == "EXISTS":
        raise cursor.error(
            "EXISTS is not supported by CloudWatch Logs (only NOT EXISTS); "
            'to require a string or number value use = "*"',
            start,
        )
    raise cursor.error(
        f"unknown keyword {word!r} (keywords are upper case: IS NULL, IS TRUE, IS FALSE, NOT EXISTS)", start
    )


def _selector(cursor: _Cursor) -> Selector:
    start = cursor.pos
    if not cursor.take("$"):
        raise cursor.error("expected a selector starting with '$.'")
    path: list[str | int] = []
    while True:
        if cursor.take(".["):
            path.append(_bracket_key(cursor))
        elif cursor.take("."):
            if cursor.peek() == "*":
                raise cursor.error("wildcard selectors ($.*) are not supported by this evaluator")
            name = cursor.take_regex(_NAME)
            if name is None:
                raise cursor.error("expected a property name (letters, digits, '-', '_') or ['key'] after '.'")
            path.append(name)
        elif cursor.peek() == "[":
            if not path:
                raise cursor.error("an array index must follow a property, as in $.items[0]")
            cursor.take("[")
            if cursor.peek() == "*":
                raise cursor.error("wildcard selectors ([*]) are not supported by this evaluator")
            digits = cursor.take_regex(_DIGITS)
            if digits is None:
                raise cursor.error("expected an array index (digits) after '['")
            if not cursor.take("]"):
                raise cursor.error("expected ']' after the array index")
            path.append(int(digits))
        else:
            break
    if not path:
        raise cursor.error("expected '.' and a property name after '$'")
    return Selector(cursor.text[start : cursor.pos], tuple(path))


def _bracket_key(cursor: _Cursor) -> str:
    """The key of ``.['cluster.name']`` (the cursor is just past ``.[``)."""
    if not cursor.take("'"):
        raise cursor.error("expected a single-quoted key, as in $.['cluster.name']")
    end = cursor.text.find("'", cursor.pos)
    if end < 0:
        raise cursor.error("unterminated quoted key")
    key = cursor.text[cursor.pos : end]
    if not key:
        raise cursor.error("empty quoted key")
    cursor.pos = end + 1
    if not cursor.take("]"):
        raise cursor.error("expected ']' after the quoted key")
    return key


def _value(cursor: _Cursor, operator: Operator) -> Literal:
    cursor.skip_whitespace()
    start = cursor.pos
    literal: Literal
    if cursor.peek() == "%":
        raise cursor.error("regular expression values (%...%) are not supported by this evaluator")
    if cursor.take('"'):
        end = cursor.text.find('"', cursor.pos)
        if end < 0:
            raise cursor.error("unterminated string", start)
        literal = StringLiteral(cursor.text[cursor.pos : end], quoted=True)
        cursor.pos = end + 1
    else:
        while not cursor.at_end() and cursor.text[cursor.pos] not in _BARE_VALUE_END:
            cursor.pos += 1
        word = cursor.text[start : cursor.pos]
        if not word:
            raise cursor.error(f"expected a value after '{operator}', found {cursor.describe_here()}")
        if _NUMBER.fullmatch(word):
            literal = NumberLiteral(word, Decimal(word))
        elif _BARE_STRING.fullmatch(word):
            literal = StringLiteral(word, quoted=False)
        else:
            raise cursor.error(
                f"unquoted value {word!r} may hold only letters, digits, '_', '.' and '*'; put it in double quotes",
                start,
            )
    if operator in ORDERING_OPERATORS and not isinstance(literal, NumberLiteral):
        found = cursor.text[start : cursor.pos]
        raise cursor.error(f"operator '{operator}' compares numbers; found {found}", start)
    return literal


# --- Plain-text term patterns ----------------------------------------------------------------------


def _terms(cursor: _Cursor) -> TermsExpression:
    terms: list[Term] = []
    while True:
        cursor.skip_whitespace()
        if cursor.at_end():
            return TermsExpression(tuple(terms))
        role = TermRole.REQUIRED
        if cursor.take("?"):
            role = TermRole.OPTIONAL
        elif cursor.take("-"):
            role = TermRole.EXCLUDED
        terms.append(Term(_term_text(cursor), role))
        if not cursor.at_end() and not cursor.peek().isspace():
            raise cursor.error(f"expected whitespace between terms, found {cursor.describe_here()}")


def _term_text(cursor: _Cursor) -> str:
    start = cursor.pos
    if cursor.take('"'):
        end = cursor.text.find('"', cursor.pos)
        if end < 0:
            raise cursor.error("unterminated quoted phrase", start)
        phrase = cursor.text[cursor.pos : end]
        cursor.pos = end + 1
        # AWS: '" "' matches everything, so a blank phrase is the empty substring.
        return "" if phrase.isspace() else phrase
    word = cursor.take_regex(_BARE_TERM)
    if word is None or not (cursor.at_end() or cursor.peek().isspace()):
        raise cursor.error(
            "terms holding characters other than letters, digits and '_' must be in double quotes", start
        )
    return word
