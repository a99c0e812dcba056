"""Values made once per Lambda container, on first use: the functions' boto3 clients.

Importing boto3 costs about 130 ms and the first client about 105 ms more, so nothing that merely
imports a handler pays for them; every later invocation in the container reuses them.
"""

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
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


class PerContainerMap(Generic[K, T]):
    """``make(key)`` once per key, on the first ``get(key)``; thread-safe.

    For clients that differ by their call budget: a container only ever meets a handful of keys.
    """

    def __init__(self, make: Callable[[K], T]) -> None:
        self._make = make
        self._values: dict[K, T] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> T:
        with self._lock:
            if key not in self._values:
                self._values[key] = self._make(key)
            return self._values[key]

    def reset(self) -> None:
        """Forget every value (tests, demo)."""
        with self._lock:
            self._values.clear()
