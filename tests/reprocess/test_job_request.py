"""The CreateJob request, checked against botocore's own S3 Control model (moto has no Batch Operations).

``botocore.stub.Stubber`` validates every parameter against the service model (types, required
members, enums, lengths, patterns) before it answers, and compares the request with the one expected.
"""

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ParamValidationError
from botocore.stub import Stubber

from reprocess.job import JobPlan, create_job
from tests.reprocess.outputs import ACCOUNT, REPROCESS_BUCKET, stack_outputs

OUTPUTS = stack_outputs("e0c9c8a0e4bc6041", "imagepipe-test-images")
PLAN = JobPlan(
    "dev",
    OUTPUTS,
    "manifests/dev/e0c9c8a0e4bc6041/1234567890abcdef.csv",
    "9b2cf535f27731c974343645a3985328",
    "d" * 64,
    1234,
)


def s3control() -> object:
    return boto3.session.Session(
        aws_access_key_id="emulated", aws_secret_access_key="emulated", region_name="eu-west-1"
    ).client("s3control")


def test_the_request_is_valid_for_s3_controls_service_model() -> None:
    client = s3control()
    with Stubber(client) as stub:
        stub.add_response("create_job", {"JobId": "job-1"}, expected_params=PLAN.request())
        assert create_job(client, PLAN) == "job-1"
        stub.assert_no_pending_responses()


def test_the_request_is_the_documented_lambda_invoke_job() -> None:
    assert PLAN.request() == {
        "AccountId": ACCOUNT,
        "ConfirmationRequired": False,
        "Operation": {
            "LambdaInvoke": {
                "FunctionArn": OUTPUTS.function_arn,
                "InvocationSchemaVersion": "2.0",
                "UserArguments": {"fingerprint": "e0c9c8a0e4bc6041", "requestedBy": "tasks.py reprocess"},
            }
        },
        "Report": {
            "Bucket": f"arn:aws:s3:::{REPROCESS_BUCKET}",
            "Format": "Report_CSV_20180820",
            "Enabled": True,
            "Prefix": "reports",
            "ReportScope": "FailedTasksOnly",
        },
        "ClientRequestToken": PLAN.client_token,
        "Manifest": {
            "Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": ["Bucket", "Key", "VersionId"]},
            "Location": {
                "ObjectArn": f"arn:aws:s3:::{REPROCESS_BUCKET}/manifests/dev/e0c9c8a0e4bc6041/1234567890abcdef.csv",
                "ETag": "9b2cf535f27731c974343645a3985328",
            },
        },
        "Description": "imagepipe dev: re-render 1234 images with renditions e0c9c8a0e4bc6041",
        "Priority": 10,
        "RoleArn": OUTPUTS.job_role_arn,
    }


def test_the_client_token_follows_from_the_plan_so_a_retry_makes_no_second_job() -> None:
    again = JobPlan(PLAN.stack, PLAN.outputs, PLAN.manifest_key, PLAN.manifest_etag, PLAN.manifest_digest, PLAN.images)
    other_manifest = JobPlan(PLAN.stack, PLAN.outputs, PLAN.manifest_key, PLAN.manifest_etag, "e" * 64, PLAN.images)
    assert again.client_token == PLAN.client_token
    assert other_manifest.client_token != PLAN.client_token
    assert len(PLAN.client_token) == 64  # CreateJob's limit


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda r: r.pop("RoleArn"), id="a required member missing"),
        pytest.param(lambda r: r.update(Priority=-1), id="a priority under the minimum"),
        pytest.param(lambda r: r["Manifest"]["Location"].pop("ETag"), id="the manifest without its ETag"),
    ],
)
def test_the_model_would_refuse_a_request_it_does_not_describe(spoil: Callable[[dict[str, Any]], object]) -> None:
    # The check is real: botocore validates required members, types and minimums (not maximums or enums,
    # which the request's own constants and tests above cover).
    request = PLAN.request()
    spoil(request)
    client = s3control()
    with Stubber(client) as stub, pytest.raises(ParamValidationError):
        stub.add_response("create_job", {"JobId": "job-1"}, expected_params=request)
        client.create_job(**request)  # type: ignore[attr-defined]
