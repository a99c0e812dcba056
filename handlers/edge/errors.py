"""Errors of the edge, named for what the caller should do."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordFailure:
    """One record that may succeed when the event is retried."""

    key: str
    error_type: str
    error_code: str
    message: str = ""
    # Throttling, a 5xx, a dropped connection or too little time: the same request may well pass later.
    # An S3 event is retried either way; a Batch Operations task only then (TemporaryFailure).
    temporary: bool = True


class TransientError(Exception):
    """Some records failed for a reason that may pass: let Lambda retry the whole event.

    Records already finished are recognised on the retry and skipped, so retrying is safe.
    """

    def __init__(self, failures: list[RecordFailure]) -> None:
        listed = ", ".join(f"{f.key} ({f.error_code})" for f in failures)
        super().__init__(f"{len(failures)} record(s) failed transiently and will be retried: {listed}")
        self.failures = tuple(failures)


class RemainingTimeTooShort(Exception):
    """Too little of the invocation is left to finish a record safely; a retry starts afresh."""


class SourceMissing(Exception):
    """The object version named in the event no longer exists; there is nothing to process."""
