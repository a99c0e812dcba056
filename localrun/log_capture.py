"""Keep the lines written to stdout while still printing them (the demo's view of CloudWatch Logs)."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from typing import TextIO


class TeeLines:
    """A text stream that writes through to `target` and remembers each complete line."""

    def __init__(self, target: TextIO) -> None:
        self._target = target
        self._partial = ""
        self.lines: list[str] = []

    def write(self, text: str) -> int:
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
