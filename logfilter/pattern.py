"""A parsed filter pattern, ready to test log lines against."""

from dataclasses import dataclass

from logfilter.evaluate import matches
from logfilter.nodes import Expression, MatchAll, TermsExpression
from logfilter.parser import parse_expression


@dataclass(frozen=True)
class Pattern:
    """One CloudWatch Logs filter pattern."""

    text: str
    """The pattern as written."""
    expression: Expression
    """Its parsed form."""

    @property
    def is_json(self) -> bool:
        """True for ``{ ... }`` patterns, which only ever match JSON log lines."""
        return not isinstance(self.expression, (MatchAll, TermsExpression))

    def matches(self, event: str) -> bool:
        """Whether one raw log line (the event's message) matches."""
        return matches(self.expression, event)


def parse(pattern: str) -> Pattern:
    """Parse a filter pattern; raises FilterPatternError naming the position of a syntax error."""
    return Pattern(pattern, parse_expression(pattern))
