"""One S3 Batch Operations LambdaInvoke invocation (schema 2.0), parsed; every task on its own.

Request::

    {"invocationSchemaVersion": "2.0", "invocationId": "...",
     "job": {"id": "...", "userArguments": {"k": "v"}},
     "tasks": [{"taskId": "...", "s3Key": "uploads%2Fu%2Fphoto.jpg", "s3VersionId": "..." | null,
                "s3Bucket": "bucket-name"}]}

Keys arrive URL-encoded, as they stand in the manifest: "keys from S3 Batch Operations are URL
encoded ... URL decode the key" (S3 User Guide, batch-ops-invoke-lambda, the example function), and
the manifest's keys "must be URL-encoded" (batch-ops-create-job, "Specifying a manifest"). They are
decoded as aws-lambda-powertools decodes them (``unquote_plus``,
aws_lambda_powertools/utilities/data_classes/s3_batch_operation_event.py, ``S3BatchOperationTask.s3_key``),
with the S3 event path's own decoder: ``%2B`` is a plus sign and ``%20`` (or ``+``) a space. The
reprocess command writes ``%20`` and ``%2B`` (reprocess/manifest.py), which both decodings agree on.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from handlers.edge.events import decode_key

SCHEMA_VERSION: Final = "2.0"


class MalformedInvocation(ValueError):
    """Not a Batch Operations invocation at all (no id to answer to): the invocation fails, as a whole."""


@dataclass(frozen=True)
class BatchTask:
    task_id: str
    bucket: str
    key: str  # decoded
    version_id: str | None


@dataclass(frozen=True)
class MalformedTask:
    """A task the function cannot act on; answered with a PermanentFailure that says why."""

    task_id: str
    detail: str


@dataclass(frozen=True)
class Invocation:
    schema_version: str
    invocation_id: str
    job_id: str
    user_arguments: Mapping[str, str] = field(default_factory=dict)
    tasks: tuple[BatchTask | MalformedTask, ...] = ()


def parse_invocation(event: object) -> Invocation:
    if not isinstance(event, dict):
        raise MalformedInvocation(f"the event must be an object, got {type(event).__name__}")
    invocation_id = event.get("invocationId")
    if not isinstance(invocation_id, str) or not invocation_id:
        raise MalformedInvocation("the event has no invocationId: it is not an S3 Batch Operations invocation")
    version = event.get("invocationSchemaVersion")
    job = event.get("job")
    job_id = job.get("id") if isinstance(job, dict) else None
    arguments = job.get("userArguments") if isinstance(job, dict) else None
    tasks = event.get("tasks")
    if not isinstance(tasks, list):
        raise MalformedInvocation("the event's tasks must be a list")
    if version != SCHEMA_VERSION:
        # A job created with schema 1.0 sends bucket ARNs and no userArguments: refuse every task plainly.
        detail = f"invocation schema {version!r}: the job must be created with InvocationSchemaVersion {SCHEMA_VERSION}"
        return Invocation(
            str(version), invocation_id, str(job_id), {}, tuple(MalformedTask(_task_id(t), detail) for t in tasks)
        )
    return Invocation(
        version,
        invocation_id,
        job_id if isinstance(job_id, str) else "",
        _arguments(arguments),
        tuple(_task(task, index) for index, task in enumerate(tasks)),
    )


def _arguments(raw: object) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {str(k): str(v) for k, v in raw.items()}


def _task_id(task: object) -> str:
    task_id = task.get("taskId") if isinstance(task, dict) else None
    return task_id if isinstance(task_id, str) else ""


def _task(task: object, index: int) -> BatchTask | MalformedTask:
    where = f"tasks[{index}]"
    task_id = _task_id(task)
    if not isinstance(task, dict) or not task_id:
        return MalformedTask(task_id, f"{where} has no taskId")
    bucket, raw_key, version_id = task.get("s3Bucket"), task.get("s3Key"), task.get("s3VersionId")
    if not isinstance(bucket, str) or not bucket:
        return MalformedTask(task_id, f"{where}.s3Bucket must name a bucket (a schema 2.0 task)")
    if not isinstance(raw_key, str):
        return MalformedTask(task_id, f"{where}.s3Key must be a string")
    if version_id is not None and not isinstance(version_id, str):
        return MalformedTask(task_id, f"{where}.s3VersionId must be a string or null")
    try:
        key = decode_key(raw_key, f"{where}.s3Key", bucket)
    except ValueError as exc:
        return MalformedTask(task_id, str(exc))
    return BatchTask(task_id, bucket, key, version_id or None)
