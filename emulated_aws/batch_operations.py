"""S3 Batch Operations' LambdaInvoke, on this machine: the invocations a job sends for its manifest.

AWS reads the CSV manifest (bucket, key, version id; keys URL-encoded) and invokes the function
synchronously with invocation schema 2.0, one task per invocation, each task with an id of its own
and the key as the manifest spells it (S3 User Guide, batch-ops-invoke-lambda). moto has no S3
Batch Operations; the local demo and the tests build the same invocations here and hand them to
``handlers.reprocessor.handler`` in-process.
"""

import base64
import csv
import io
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from handlers.batch.invocation import SCHEMA_VERSION

BatchEvent = dict[str, Any]


@dataclass(frozen=True)
class ManifestLine:
    bucket: str
    key: str  # as written in the manifest: URL-encoded
    version_id: str | None


def read_manifest(body: str) -> list[ManifestLine]:
    """The lines of a CSV manifest with Bucket, Key and (optionally) VersionId columns."""
    return [
        ManifestLine(row[0], row[1], row[2] if len(row) > 2 and row[2] else None)
        for row in csv.reader(io.StringIO(body))
        if row
    ]


def task_id(job_id: str, index: int) -> str:
    """An opaque task id, as AWS sends them (base64 text)."""
    return base64.b64encode(f"{job_id}:{index}".encode()).decode().rstrip("=")


def batch_task(task: str, line: ManifestLine) -> dict[str, Any]:
    return {"taskId": task, "s3Key": line.key, "s3VersionId": line.version_id, "s3Bucket": line.bucket}


def lambda_invoke_event(
    job_id: str, tasks: list[dict[str, Any]], user_arguments: Mapping[str, str] | None = None
) -> BatchEvent:
    job: dict[str, Any] = {"id": job_id}
    if user_arguments:
        job["userArguments"] = dict(user_arguments)
    return {
        "invocationSchemaVersion": SCHEMA_VERSION,
        "invocationId": base64.b64encode(uuid.uuid4().bytes).decode(),
        "job": job,
        "tasks": tasks,
    }


def invocations(
    job_id: str, manifest_body: str, user_arguments: Mapping[str, str] | None = None
) -> Iterator[BatchEvent]:
    """One invocation per manifest line, in manifest order."""
    for index, line in enumerate(read_manifest(manifest_body)):
        yield lambda_invoke_event(job_id, [batch_task(task_id(job_id, index), line)], user_arguments)
