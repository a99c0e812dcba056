"""Stand-ins for the context object Lambda hands the handler (``handlers.edge.lambda_context``)."""

import time
import uuid
from dataclasses import dataclass, field


@dataclass
class LocalLambdaContext:
    """What Lambda hands the handler: a request id and the time left before the timeout."""

    timeout_ms: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_name: str = "image-processor"
    _deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@dataclass
class FrozenLambdaContext:
    """Lambda's context object for a test: a fixed request id and a clock that does not move."""

    aws_request_id: str = "c0ffee00-0000-4000-8000-000000000001"
    remaining_ms: int = 60_000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms
