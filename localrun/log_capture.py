"""Keep the lines written to stdout while still printing them (the demo's view of CloudWatch Logs)."""

import sys
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, redirect_stdout
from typing import TextIO


class TeeLines:
    """A text stream that writes through to `target` and remembers each complete line."""

    def __init__(self, target: TextIO) -> None:
        self._target = target
        self._partial = ""
        self._lock = threading.Lock()  # handlers running on several threads write at once
        self.lines: list[str] = []

    def write(self, text: str) -> int:
        with self._lock:
            self._target.write(text)
            *complete, self._partial = (self._partial + text).split("\n")
            self.lines.extend(line for line in complete if line.strip())
        return len(text)

    def flush(self) -> None:
        self._target.flush()


@contextmanager
def captured_stdout_lines() -> Iterator[TeeLines]:
    tee = TeeLines(sys.stdout)
    with redirect_stdout(tee):
        yield tee


def without(lines: Iterable[str], taken: Iterable[str]) -> list[str]:
    """``lines`` in order, less one occurrence of each of ``taken`` (lines another function wrote)."""
    left = Counter(taken)
    kept = []
    for line in lines:
        if left[line] > 0:
            left[line] -= 1
        else:
            kept.append(line)
    return kept
