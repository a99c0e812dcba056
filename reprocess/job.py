"""The S3 Batch Operations job: one ``s3control.create_job`` request, built as data and then sent.

Operation ``LambdaInvoke`` with invocation schema 2.0 (the schema that carries ``UserArguments`` and
names buckets rather than bucket ARNs; API reference, LambdaInvokeOperation: at most 10 arguments,
keys of 1-64 and values of up to 1024 characters), a completion report of failed tasks only, a
priority, no confirmation step, and the manifest's ETag so a manifest changed after the request is
refused rather than run. ``ClientRequestToken`` (CreateJob's idempotency token, 1-64 characters) is
derived from the stack, the function, the fingerprint and the manifest's content: sending the same
request again, after a timeout or a crash, answers with the job the first one made instead of a
second job.

moto has no S3 Control jobs; tests/reprocess check the request against botocore's own service model
(a ``Stubber`` validates every parameter) instead.
"""

import hashlib
from dataclasses import dataclass
from typing import Any, Final

from handlers.batch.invocation import SCHEMA_VERSION
from handlers.contract import REPROCESS_ARGUMENT_FINGERPRINT, REPROCESS_ARGUMENT_REQUESTED_BY
from reprocess.manifest import MANIFEST_FIELDS, MANIFEST_FORMAT
from reprocess.outputs import ReprocessOutputs

REPORT_FORMAT: Final = "Report_CSV_20180820"
# Failed tasks only: a million succeeded lines would bury the few that matter.
REPORT_SCOPE: Final = "FailedTasksOnly"
DEFAULT_PRIORITY: Final = 10
REQUESTED_BY: Final = "tasks.py reprocess"
MAX_DESCRIPTION: Final = 256


@dataclass(frozen=True)
class JobPlan:
    stack: str
    outputs: ReprocessOutputs
    manifest_key: str
    manifest_etag: str
    manifest_digest: str
    images: int
    priority: int = DEFAULT_PRIORITY

    @property
    def client_token(self) -> str:
        """64 hex digits: the same plan always gives the same token."""
        basis = "\n".join(
            (self.stack, self.outputs.function_arn, self.outputs.fingerprint, self.manifest_key, self.manifest_digest)
        )
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()

    def request(self) -> dict[str, Any]:
        """The keyword arguments of ``s3control.create_job``."""
        o = self.outputs
        description = f"imagepipe {self.stack}: re-render {self.images} images with renditions {o.fingerprint}"
        return {
            "AccountId": o.account_id,
            "ConfirmationRequired": False,
            "Operation": {
                "LambdaInvoke": {
                    "FunctionArn": o.function_arn,
                    "InvocationSchemaVersion": SCHEMA_VERSION,
                    "UserArguments": {
                        REPROCESS_ARGUMENT_FINGERPRINT: o.fingerprint,
                        REPROCESS_ARGUMENT_REQUESTED_BY: REQUESTED_BY,
                    },
                }
            },
            "Report": {
                "Bucket": f"arn:aws:s3:::{o.bucket}",
                "Format": REPORT_FORMAT,
                "Enabled": True,
                "Prefix": o.report_prefix.rstrip("/"),
                "ReportScope": REPORT_SCOPE,
            },
            "ClientRequestToken": self.client_token,
            "Manifest": {
                "Spec": {"Format": MANIFEST_FORMAT, "Fields": list(MANIFEST_FIELDS)},
                "Location": {"ObjectArn": f"arn:aws:s3:::{o.bucket}/{self.manifest_key}", "ETag": self.manifest_etag},
            },
            "Description": description[:MAX_DESCRIPTION],
            "Priority": self.priority,
            "RoleArn": o.job_role_arn,
        }


def create_job(s3control: Any, plan: JobPlan) -> str:
    """The job's id."""
    job_id: str = s3control.create_job(**plan.request())["JobId"]
    return job_id
