"""The part of Lambda's context object the handler uses (the real one, or a test's stand-in)."""

from typing import Protocol


class LambdaContext(Protocol):
    @property
    def aws_request_id(self) -> str: ...

    def get_remaining_time_in_millis(self) -> int: ...
