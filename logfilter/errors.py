"""The one exception the package raises for a pattern or metric value it cannot accept."""


class FilterPatternError(ValueError):
    """A filter pattern (or metric value) that CloudWatch Logs would reject, or that this evaluator
    does not model. ``position`` is the 0-based offset in ``pattern`` where the problem was found."""

    def __init__(self, reason: str, pattern: str, position: int) -> None:
        self.reason = reason
        self.pattern = pattern
        self.position = position
        super().__init__(f"{reason} at column {position + 1} of {pattern!r}")
