"""A value made once per Lambda container, on first use: the functions' boto3 clients.

Importing boto3 costs about 130 ms and the first client about 105 ms more, so nothing that merely
imports a handler pays for them; every later invocation in the container reuses them.
"""

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerContainer(Generic[T]):
    """``make()`` once, on the first ``get()``; thread-safe (boto3 clients are, creating them is not)."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        with self._lock:
            if self._value is None:
                self._value = self._make()
            return self._value

    def reset(self) -> None:
        """Forget the value, so the next ``get()`` makes it from the environment again (tests, demo)."""
        with self._lock:
            self._value = None
