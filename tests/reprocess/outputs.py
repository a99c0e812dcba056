"""A deployed stack's ``reprocess`` output, as `pulumi stack output --json` would print it, for the tests."""

from reprocess.outputs import ReprocessOutputs

ACCOUNT = "123456789012"
REPROCESS_BUCKET = "imagepipe-test-reprocess"


def stack_outputs(fingerprint: str, table: str, concurrency: int = 10) -> ReprocessOutputs:
    return ReprocessOutputs(
        function_arn=f"arn:aws:lambda:eu-west-1:{ACCOUNT}:function:imagepipe-test-image-reprocess",
        job_role_arn=f"arn:aws:iam::{ACCOUNT}:role/imagepipe-test-reprocess-job-role-0a1b2c3",
        bucket=REPROCESS_BUCKET,
        manifest_prefix="manifests/",
        report_prefix="reports/",
        fingerprint=fingerprint,
        table=table,
        concurrency=concurrency,
        memory_mb=1024,
        architecture="arm64",
    )
