"""Each task of an invocation through the pipeline, and what became of it as Batch Operations reads it.

| outcome | result code | result string |
| --- | --- | --- |
| rendered | Succeeded | ``rendered 6 renditions (fingerprint ...), removed 2 no longer made`` |
| already current, superseded, duplicate | Succeeded | ``already_current: ...`` (nothing was written) |
| rejected (not an image we accept), source gone, no item, deleted | PermanentFailure | the reason and its detail |
| throttled, a 5xx, a dropped connection, too little time left | TemporaryFailure | the error code and message |
| any other error (AccessDenied, a bug) | PermanentFailure | the error code and message |

One ``reprocess.task`` line per task feeds the dashboard's reprocessing widget (the catalogue's
REPROCESS_LOG_METRICS); no alarm watches this function: a job's failures are in its completion report.
"""

import logging
from collections.abc import Callable

from handlers.batch.invocation import BatchTask, Invocation, MalformedTask
from handlers.batch.results import ResultCode, TaskResult
from handlers.edge.errors import RecordFailure
from handlers.edge.outcomes import Outcome, Refused, Rendered, SkipReason, Unchanged
from handlers.telemetry.events import (
    FIELD_BUCKET,
    FIELD_DETAIL,
    FIELD_JOB_ARGUMENTS,
    FIELD_JOB_ID,
    FIELD_KEY,
    FIELD_OUTCOME,
    FIELD_RESULT_CODE,
    FIELD_TASK_ID,
    FIELD_VERSION_ID,
    OUTCOME_RENDERED,
    Level,
    LogEvent,
)
from handlers.telemetry.logger import log_event

_logger = logging.getLogger(__name__)

# Outcome names in reprocess.task lines (FIELD_OUTCOME) besides OUTCOME_RENDERED and the skip reasons.
REJECTED = "rejected"
FAILED = "failed"
MALFORMED = "malformed_task"
# Nothing to do, and nothing the job could ever do about it: the image is gone.
_GONE = frozenset({SkipReason.SOURCE_MISSING, SkipReason.NOT_RECORDED, SkipReason.DELETED})

Reprocess = Callable[[str, str, str | None], Outcome]


def answer(invocation: Invocation, reprocess: Reprocess, fingerprint: str) -> list[TaskResult]:
    """Every task's result, in the invocation's order."""
    return [_answer(invocation, task, reprocess, fingerprint) for task in invocation.tasks]


def _answer(
    invocation: Invocation, task: BatchTask | MalformedTask, reprocess: Reprocess, fingerprint: str
) -> TaskResult:
    if isinstance(task, MalformedTask):
        result, outcome = TaskResult(task.task_id, ResultCode.PERMANENT_FAILURE, task.detail), MALFORMED
        _log(invocation, task.task_id, None, result, outcome)
        return result
    result, outcome = result_of(task.task_id, reprocess(task.bucket, task.key, task.version_id), fingerprint)
    _log(invocation, task.task_id, task, result, outcome)
    return result


def result_of(task_id: str, outcome: Outcome, fingerprint: str) -> tuple[TaskResult, str]:
    """The task's result and the outcome's name for the log line."""
    if isinstance(outcome, Rendered):
        text = f"rendered {outcome.renditions} renditions (fingerprint {fingerprint})"
        if outcome.removed:
            text += f", removed {outcome.removed} no longer made"
        if outcome.not_removed:
            text += f", {outcome.not_removed} no longer made could not be removed (see the function's log)"
        return TaskResult(task_id, ResultCode.SUCCEEDED, text), OUTCOME_RENDERED
    if isinstance(outcome, Unchanged):
        code = ResultCode.PERMANENT_FAILURE if outcome.reason in _GONE else ResultCode.SUCCEEDED
        text = outcome.reason.value + (f": {outcome.detail}" if outcome.detail else "")
        return TaskResult(task_id, code, text), outcome.reason.value
    if isinstance(outcome, Refused):
        text = outcome.reason + (f": {outcome.detail}" if outcome.detail else "")
        return TaskResult(task_id, ResultCode.PERMANENT_FAILURE, text), REJECTED
    return _failure(task_id, outcome), FAILED


def _failure(task_id: str, failure: RecordFailure) -> TaskResult:
    code = ResultCode.TEMPORARY_FAILURE if failure.temporary else ResultCode.PERMANENT_FAILURE
    return TaskResult(task_id, code, f"{failure.error_code}: {failure.message}")


def _log(invocation: Invocation, task_id: str, task: BatchTask | None, result: TaskResult, outcome: str) -> None:
    level = Level.INFO if result.code is ResultCode.SUCCEEDED else Level.WARNING
    fields = {
        FIELD_JOB_ID: invocation.job_id,
        FIELD_TASK_ID: task_id,
        FIELD_BUCKET: task.bucket if task else None,
        FIELD_KEY: task.key if task else None,
        FIELD_VERSION_ID: task.version_id if task else None,
        FIELD_RESULT_CODE: result.code.value,
        FIELD_OUTCOME: outcome,
        FIELD_DETAIL: result.as_json()["resultString"],
        FIELD_JOB_ARGUMENTS: dict(invocation.user_arguments) or None,
    }
    log_event(_logger, level, LogEvent.REPROCESS_TASK, fields)
