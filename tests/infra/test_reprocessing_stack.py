"""What a stack declares for reprocessing jobs, and nothing more: a function of its own, a bucket, a job role.

The reprocessing function runs the image processor's code, layer and settings, is invoked by S3 Batch
Operations only (synchronously: no trigger, no retries of its own, no failure queue) and may do exactly
what the processor's code does. The job role may be assumed by S3 Batch Operations for this account,
read manifests, write reports and invoke that one function. Manifests and reports expire.
"""

from dataclasses import asdict
from typing import Any

import pytest

from handlers import contract
from handlers.imaging.fingerprint import rendering_fingerprint
from offline.runtime import Evaluation, RecordedResource
from program.config import load_stack_file
from reprocess.outputs import ReprocessOutputs
from tests.infra.policy_reading import statements

FUNCTION = "aws:lambda/function:Function"
ACCOUNT = "123456789012"


def function(ev: Evaluation, stem: str) -> dict[str, Any]:
    return ev.one(FUNCTION, f"imagepipe-{ev.stack}-{stem}").inputs


def policy(ev: Evaluation, name: str) -> dict[str, dict[str, Any]]:
    return statements(ev.one("aws:iam/rolePolicy:RolePolicy", f"imagepipe-{ev.stack}-{name}").inputs["policy"])


def bucket(ev: Evaluation, suffix: str) -> RecordedResource:
    (b,) = [r for r in ev.of_type("aws:s3/bucket:Bucket") if r.name.endswith(f"-{suffix}")]
    return b


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_reprocessing_function_runs_the_processors_code_layer_and_settings(
    stack: str, request: pytest.FixtureRequest
) -> None:
    ev: Evaluation = request.getfixturevalue(stack)
    processor, reprocess = function(ev, "image-processor"), function(ev, "image-reprocess")
    assert reprocess["handler"] == contract.REPROCESS_HANDLER == "handlers.reprocessor.handler"
    same = ("runtime", "layers", "memorySize", "timeout", "architectures", "environment", "vpcConfig")
    assert {k: reprocess.get(k) for k in same} == {k: processor.get(k) for k in same}
    assert reprocess["code"].assets.keys() == processor["code"].assets.keys()


def test_its_concurrency_is_capped_apart_from_the_processors(dev: Evaluation, prod: Evaluation) -> None:
    assert "reservedConcurrentExecutions" not in function(dev, "image-reprocess")
    assert function(prod, "image-reprocess")["reservedConcurrentExecutions"] == 10
    assert function(prod, "image-processor")["reservedConcurrentExecutions"] == 50


def test_nothing_but_a_job_invokes_it_and_nothing_retries_it(prod: Evaluation) -> None:
    name = function(prod, "image-reprocess")["name"]
    configs = prod.of_type("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig")
    # Asynchronous invocation settings exist for the functions invoked asynchronously, never for this one.
    assert function(prod, "image-processor")["name"] in [c.inputs["functionName"] for c in configs]
    assert name not in [c.inputs["functionName"] for c in configs]
    # No service but a job's role may invoke it: no resource-based permission names it.
    assert name not in [p.inputs["function"] for p in prod.of_type("aws:lambda/permission:Permission")]
    (notification,) = prod.of_type("aws:s3/bucketNotification:BucketNotification")
    assert all(name not in entry["lambdaFunctionArn"] for entry in notification.inputs["lambdaFunctions"])


def test_its_role_grants_the_processors_statements_but_the_failure_queue_and_unnamed_versions(
    prod: Evaluation,
) -> None:
    processor = policy(prod, "image-processor-policy")
    reprocess = policy(prod, "image-reprocess-policy")
    assert set(processor) - set(reprocess) == {"SendToFailureQueue"}
    # every manifest line names a version: reading the current object is never needed
    assert reprocess["ReadUploads"]["Action"] == ["s3:GetObjectVersion"]
    for sid in set(reprocess) - {"WriteOwnLogs", "ReadUploads"}:
        assert reprocess[sid] == processor[sid], sid
    assert reprocess["WriteOwnLogs"]["Resource"] == [
        f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/aws/lambda/imagepipe-prod-image-reprocess:*"
    ]


def test_only_s3_batch_operations_for_this_account_may_assume_the_job_role(prod: Evaluation) -> None:
    role = prod.one("aws:iam/role:Role", "imagepipe-prod-reprocess-job-role")
    (trust,) = statements(role.inputs["assumeRolePolicy"]).values()
    assert trust == {
        "Effect": "Allow",
        "Principal": {"Service": "batchoperations.s3.amazonaws.com"},
        "Action": ["sts:AssumeRole"],
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
    }


def test_the_job_role_reads_manifests_writes_reports_and_invokes_exactly_the_reprocessing_function(
    dev: Evaluation,
) -> None:
    files = bucket(dev, "reprocess").outputs["arn"]
    assert policy(dev, "reprocess-job-policy") == {
        "ReadManifests": {
            "Sid": "ReadManifests",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetObjectVersion"],
            "Resource": [f"{files}/manifests/*"],
        },
        "WriteReports": {
            "Sid": "WriteReports",
            "Effect": "Allow",
            "Action": ["s3:PutObject"],
            "Resource": [f"{files}/reports/*"],
        },
        "InvokeReprocessing": {
            "Sid": "InvokeReprocessing",
            "Effect": "Allow",
            "Action": ["lambda:InvokeFunction"],
            "Resource": [dev.one(FUNCTION, "imagepipe-dev-image-reprocess").outputs["arn"]],
        },
    }


def test_in_compliance_mode_the_job_role_uses_the_data_key_the_bucket_is_encrypted_with(prod: Evaluation) -> None:
    data_key = prod.one("aws:kms/key:Key", "imagepipe-prod-data-key").outputs["arn"]
    assert policy(prod, "reprocess-job-policy")["UseDataKey"]["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert policy(prod, "reprocess-job-policy")["UseDataKey"]["Resource"] == [data_key]
    sse = prod.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "imagepipe-prod-reprocess-encryption",
    ).inputs["rules"][0]
    assert sse == {
        "applyServerSideEncryptionByDefault": {"kmsMasterKeyId": data_key, "sseAlgorithm": "aws:kms"},
        "bucketKeyEnabled": True,
    }


def test_the_reprocessing_bucket_accepts_reports_batch_operations_writes_with_sse_s3(prod: Evaluation) -> None:
    # The other buckets deny uploads that ask for another encryption than the data key; this one must not.
    reprocess = policy_of_bucket(prod, "reprocess")
    assert set(reprocess) == {"DenyInsecureTransport"}
    assert "DenyOtherEncryption" in policy_of_bucket(prod, "processed")


def policy_of_bucket(ev: Evaluation, name: str) -> dict[str, dict[str, Any]]:
    return statements(
        ev.one("aws:s3/bucketPolicy:BucketPolicy", f"imagepipe-{ev.stack}-{name}-tls-only").inputs["policy"]
    )


def test_manifests_and_reports_expire_and_nothing_moves_to_infrequent_access(dev: Evaluation) -> None:
    lifecycle = dev.one(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "imagepipe-dev-reprocess-lifecycle"
    )
    rules = {rule["id"]: rule for rule in lifecycle.inputs["rules"]}
    assert set(rules) == {"expire-current-objects", "expire-noncurrent-versions", "abort-incomplete-multipart-uploads"}
    assert rules["expire-current-objects"]["expiration"] == {"days": 30}
    assert rules["expire-current-objects"]["filter"] == {"prefix": ""}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_stack_exports_what_the_reprocess_command_reads(stack: str, request: pytest.FixtureRequest) -> None:
    ev: Evaluation = request.getfixturevalue(stack)
    config = load_stack_file(stack)
    assert ev.exports["reprocess"] == asdict(
        ReprocessOutputs(
            function_arn=ev.one(FUNCTION, f"imagepipe-{stack}-image-reprocess").outputs["arn"],
            job_role_arn=ev.one("aws:iam/role:Role", f"imagepipe-{stack}-reprocess-job-role").outputs["arn"],
            bucket=bucket(ev, "reprocess").outputs["bucket"],
            manifest_prefix="manifests/",
            report_prefix="reports/",
            fingerprint=rendering_fingerprint(config.processing.renditions),
            table=f"imagepipe-{stack}-images",
            concurrency=config.function.reprocess_concurrency,
            memory_mb=config.function.memory_mb,
            architecture=config.function.architecture,
        )
    )
