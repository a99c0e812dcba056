"""The answer S3 Batch Operations expects: a result code and a short result string per task.

Response (S3 User Guide, batch-ops-invoke-lambda, "Response and result codes")::

    {"invocationSchemaVersion": "2.0", "treatMissingKeysAs": "PermanentFailure", "invocationId": "...",
     "results": [{"taskId": "...", "resultCode": "Succeeded", "resultString": "..."}]}

``Succeeded``: the task's result string goes into a report of all tasks. ``TemporaryFailure``: "the
task ... will be redriven before the job completes", and only the last try's message reaches the report.
``PermanentFailure``: the task is marked failed, with its message, in the report. ``treatMissingKeysAs``
covers a task the answer leaves out: this function answers every task, and a missing one would be a bug
worth seeing as a failure.

The guide sets no length for ``resultString`` that we could find, but each one becomes a line of the
CSV completion report (its ``ResultMessage`` column): the function keeps it to ``MAX_RESULT_STRING``
characters, cutting a long Pillow message rather than bloating the report.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

MAX_RESULT_STRING: Final = 256
_ELLIPSIS: Final = "..."


class ResultCode(StrEnum):
    SUCCEEDED = "Succeeded"
    TEMPORARY_FAILURE = "TemporaryFailure"
    PERMANENT_FAILURE = "PermanentFailure"


# What the function answers for a task it leaves out of its results (never, unless it has a bug).
TREAT_MISSING_KEYS_AS: Final = ResultCode.PERMANENT_FAILURE


@dataclass(frozen=True)
class TaskResult:
    task_id: str
    code: ResultCode
    text: str

    def as_json(self) -> dict[str, str]:
        return {"taskId": self.task_id, "resultCode": self.code.value, "resultString": short(self.text)}


def short(text: str) -> str:
    """``text`` on one line and at most MAX_RESULT_STRING characters."""
    line = " ".join(text.split())
    if len(line) <= MAX_RESULT_STRING:
        return line
    return line[: MAX_RESULT_STRING - len(_ELLIPSIS)] + _ELLIPSIS


def response(schema_version: str, invocation_id: str, results: list[TaskResult]) -> dict[str, object]:
    return {
        "invocationSchemaVersion": schema_version,
        "treatMissingKeysAs": TREAT_MISSING_KEYS_AS.value,
        "invocationId": invocation_id,
        "results": [result.as_json() for result in results],
    }
