"""``python3 tasks.py reprocess STACK`` end to end: moto for the table and the bucket, botocore's Stubber for
S3 Control (moto has no Batch Operations), the stack's outputs injected as `pulumi stack output` prints them."""

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber
from moto import mock_aws

from emulated_aws.environment import REGION
from emulated_aws.provisioning import create_versioned_bucket
from handlers import contract
from handlers.imaging.fingerprint import rendering_fingerprint
from handlers.imaging.renditions import DEFAULT_RENDITIONS, renditions_from_json
from reprocess.command import AwsClients, main
from reprocess.manifest import manifest_csv
from reprocess.outputs import OutputsUnavailable, ReprocessOutputs, read_stack_outputs
from reprocess.selection import select
from tests.conftest import boto_session
from tests.handler import images
from tests.handler.deployment import TABLE, Deployment, Upload, handler_environment
from tests.reprocess.outputs import REPROCESS_BUCKET, stack_outputs

CHANGED = [{"name": "thumbnail", "width": 150, "height": 150}]
STALE = rendering_fingerprint(DEFAULT_RENDITIONS)  # what the uploads below are rendered with


@pytest.fixture
def aws(fake_credentials: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Deployment]:
    with mock_aws():
        session = boto_session()
        deployment = Deployment.create(session.client("s3"), session.client("dynamodb"))
        create_versioned_bucket(deployment.s3, REPROCESS_BUCKET, REGION)
        for name, value in handler_environment().items():
            monkeypatch.setenv(name, value)
        yield deployment


@pytest.fixture
def stored(aws: Deployment) -> list[Upload]:
    """Three images rendered with the default renditions."""
    uploads = [aws.upload(f"{n}.jpg", images.jpeg((400, 300))) for n in ("a", "b", "c d+e")]
    for upload in uploads:
        aws.invoke(upload.event())
    return uploads


@pytest.fixture
def s3control() -> Iterator[Stubber]:
    client = boto3.session.Session(
        aws_access_key_id="emulated", aws_secret_access_key="emulated", region_name=REGION
    ).client("s3control")
    with Stubber(client) as stub:
        yield stub


def run(aws: Deployment, s3control: Stubber, argv: list[str], outputs: ReprocessOutputs) -> int:
    clients = AwsClients(aws.dynamodb, aws.s3, s3control.client)
    return main(argv, read_outputs=lambda stack, file: outputs, clients_for=lambda region: clients)


def manifests(aws: Deployment) -> list[str]:
    return [o["Key"] for o in aws.s3.list_objects_v2(Bucket=REPROCESS_BUCKET).get("Contents", [])]


def test_a_dry_run_prints_the_count_duration_and_cost_and_writes_nothing(
    aws: Deployment, stored: list[Upload], s3control: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN three images rendered with renditions the stack no longer makes
    outputs = stack_outputs(rendering_fingerprint(()), TABLE, concurrency=2)
    # WHEN a dry run is asked for
    code = run(aws, s3control, ["dev", "--dry-run"], outputs)
    # THEN it says how many, how long at the function's concurrency, and roughly what cost
    printed = capsys.readouterr().out
    assert code == 0
    assert "  3 items read, 0 already current\n  3 images to re-render\n" in printed
    assert "  estimate: 3 images at concurrency 2: about " in printed
    assert "    concurrency 2 reserved; list prices for us-east-1 (costs/prices.json)\n" in printed
    assert printed.endswith("dry run: no manifest written, no job created\n")
    # AND nothing was written or created (the Stubber answers nothing: any call would fail)
    assert manifests(aws) == []


def test_a_protected_stack_needs_yes(
    aws: Deployment, stored: list[Upload], s3control: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(aws, s3control, ["prod"], stack_outputs("other", TABLE))
    assert code == 2
    assert capsys.readouterr().err == (
        "error: prod is a protected stack: add --yes to create a job there (try --dry-run first)\n"
    )
    assert manifests(aws) == []


def test_a_protected_stack_may_be_dry_run_without_yes(
    aws: Deployment, stored: list[Upload], s3control: Stubber
) -> None:
    assert run(aws, s3control, ["prod", "--dry-run"], stack_outputs("other", TABLE)) == 0
    assert manifests(aws) == []


def test_a_job_is_created_for_the_manifest_it_wrote(
    aws: Deployment,
    stored: list[Upload],
    s3control: Stubber,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN the stack now makes other renditions, and one image was uploaded since, with them
    monkeypatch.setenv(contract.ENV_RENDITIONS, json.dumps(CHANGED))
    aws.invoke(aws.upload("new.jpg", images.jpeg((400, 300))).event())
    fingerprint = rendering_fingerprint(renditions_from_json(json.dumps(CHANGED)))
    outputs = stack_outputs(fingerprint, TABLE)
    s3control.add_response("create_job", {"JobId": "job-7"}, expected_params=_request_shape())
    # WHEN the command runs with --stale-only
    code = run(aws, s3control, ["dev", "--stale-only"], outputs)
    # THEN it wrote the manifest of the three stale images, URL-encoded, and created one job for it
    assert code == 0
    (key,) = manifests(aws)
    body = aws.s3.get_object(Bucket=REPROCESS_BUCKET, Key=key)["Body"].read().decode()
    expected = select(aws.dynamodb, TABLE, fingerprint=fingerprint, stale_only=True).originals
    assert body == manifest_csv(expected)
    assert [line.split(",")[1] for line in body.splitlines()] == [
        "uploads/user-42/a.jpg",
        "uploads/user-42/b.jpg",
        "uploads/user-42/c%20d%2Be.jpg",
    ]
    printed = capsys.readouterr().out
    assert "  4 items read, 1 already current\n  1 left out: completed\n  3 images to re-render\n" in printed
    assert f"manifest s3://{REPROCESS_BUCKET}/{key} (3 lines)\n" in printed
    assert "job job-7 created (priority 10; a retry of this command returns the same job)\n" in printed
    s3control.assert_no_pending_responses()


def test_running_it_again_sends_the_same_client_token_and_manifest(
    aws: Deployment, stored: list[Upload], s3control: Stubber
) -> None:
    # GIVEN a first run whose answer was lost (a timeout): AWS made the job; the operator runs it again
    outputs = stack_outputs("other", TABLE)
    sent: list[dict[str, Any]] = []
    s3control.client.meta.events.register(
        "provide-client-params.s3-control.CreateJob", lambda params, **_: sent.append(params)
    )
    for _ in range(2):
        s3control.add_response("create_job", {"JobId": "job-7"}, expected_params=None)
        assert run(aws, s3control, ["dev"], outputs) == 0
    # THEN both requests carry the same token and the same manifest, which AWS answers with the same job
    assert sent[0]["ClientRequestToken"] == sent[1]["ClientRequestToken"]
    assert sent[0]["Manifest"] == sent[1]["Manifest"]
    assert len(manifests(aws)) == 1


def test_the_manifest_etag_is_the_objects(aws: Deployment, stored: list[Upload], s3control: Stubber) -> None:
    sent: list[dict[str, Any]] = []
    s3control.client.meta.events.register(
        "provide-client-params.s3-control.CreateJob", lambda params, **_: sent.append(params)
    )
    s3control.add_response("create_job", {"JobId": "job-7"}, expected_params=None)
    run(aws, s3control, ["dev"], stack_outputs("other", TABLE))
    (key,) = manifests(aws)
    head = aws.s3.head_object(Bucket=REPROCESS_BUCKET, Key=key)
    assert sent[0]["Manifest"]["Location"]["ETag"] == head["ETag"].strip('"')


def test_the_manifest_may_be_written_with_sse_s3(aws: Deployment, stored: list[Upload], s3control: Stubber) -> None:
    s3control.add_response("create_job", {"JobId": "job-7"}, expected_params=None)
    run(aws, s3control, ["dev", "--manifest-sse-s3"], stack_outputs("other", TABLE))
    (key,) = manifests(aws)
    assert aws.s3.head_object(Bucket=REPROCESS_BUCKET, Key=key)["ServerSideEncryption"] == "AES256"


def test_nothing_to_re_render_creates_no_job(
    aws: Deployment, stored: list[Upload], s3control: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(aws, s3control, ["dev", "--stale-only"], stack_outputs(STALE, TABLE)) == 0
    assert capsys.readouterr().out.endswith("nothing to re-render: no job created\n")
    assert manifests(aws) == []


def _request_shape() -> dict[str, Any]:
    """The request, with what other tests pin exactly (tests/reprocess/test_job_request.py) left open."""
    return {
        "AccountId": "123456789012",
        "ConfirmationRequired": False,
        "Operation": ANY,
        "Report": ANY,
        "ClientRequestToken": ANY,
        "Manifest": ANY,
        "Description": ANY,
        "Priority": 10,
        "RoleArn": "arn:aws:iam::123456789012:role/imagepipe-test-reprocess-job-role-0a1b2c3",
    }


# --- reading the stack's outputs ---


def test_without_the_pulumi_cli_the_error_says_what_to_do() -> None:
    def missing(*_: Any, **__: Any) -> subprocess.CompletedProcess[str]:
        raise FileNotFoundError("pulumi")

    with pytest.raises(OutputsUnavailable) as raised:
        read_stack_outputs("dev", run=missing)
    assert str(raised.value) == (
        "the Pulumi CLI is not installed (https://www.pulumi.com/docs/install/); or save "
        "`pulumi stack output --json --stack dev` from a machine that has it and pass the file with --outputs"
    )


def test_the_cli_is_asked_for_the_stacks_outputs_as_json() -> None:
    asked: list[list[str]] = []
    document = {"reprocess": stack_outputs("fp", "t").__dict__, "upload_bucket": "b"}

    def pulumi(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        asked.append(command)
        return subprocess.CompletedProcess(command, 0, json.dumps(document), "")

    assert read_stack_outputs("prod", run=pulumi) == stack_outputs("fp", "t")
    assert asked == [["pulumi", "stack", "output", "--json", "--stack", "prod"]]


def test_outputs_saved_to_a_file_need_no_cli(tmp_path: Path) -> None:
    saved = tmp_path / "outputs.json"
    saved.write_text(json.dumps({"reprocess": stack_outputs("fp", "t").__dict__}))
    assert read_stack_outputs("dev", saved) == stack_outputs("fp", "t")


def test_a_stack_deployed_before_reprocessing_says_to_deploy_first(tmp_path: Path) -> None:
    saved = tmp_path / "outputs.json"
    saved.write_text(json.dumps({"upload_bucket": "b"}))
    with pytest.raises(OutputsUnavailable, match="stack dev has no 'reprocess' output: deploy this version"):
        read_stack_outputs("dev", saved)
