"""The reprocessing function as S3 Batch Operations calls it, on uploads the handler tests' deployment made."""

from typing import Any

from emulated_aws.batch_operations import ManifestLine, batch_task, lambda_invoke_event
from emulated_aws.lambda_context import FrozenLambdaContext
from handlers.reprocessor import handler
from reprocess.manifest import encode_key
from tests.handler.deployment import UPLOAD_BUCKET, Upload

JOB_ID = "5b3c1c7e-9c1d-4d0e-8f33-0a2f2b6e9d41"
TASK_ID = "dGFzay0x"


def task(upload: Upload, task_id: str = TASK_ID, version_id: str | None = None) -> dict[str, Any]:
    """The task for one manifest line naming the upload, its key URL-encoded as the manifest writes it."""
    line = ManifestLine(UPLOAD_BUCKET, encode_key(upload.key), version_id or upload.version_id)
    return batch_task(task_id, line)


def invoke(*tasks: dict[str, Any], context: FrozenLambdaContext | None = None) -> dict[str, Any]:
    return handler(lambda_invoke_event(JOB_ID, list(tasks), {"fingerprint": "f"}), context or FrozenLambdaContext())


def result(response: dict[str, Any]) -> tuple[str, str]:
    """The one task's result code and string."""
    ((answer),) = response["results"]
    return answer["resultCode"], answer["resultString"]
