"""The reprocessing function's role grants exactly what its code calls across every task outcome.

The same derivation as the image processor's (tests/handler/test_role_grants_match_calls.py): every
request the function's own clients make under moto becomes the IAM actions AWS requires for it, and the
S3 and DynamoDB actions of the role the program renders must be exactly those, plus ListBucket (granted
so a deleted original reads as 404, not 403). Lambda writes its logs; nothing sends to a failure queue.
"""

import json
from typing import Any

import pytest

from handlers import contract
from handlers.image_processor import aws_clients
from handlers.tombstone import tombstone_item
from offline.runtime import evaluate_program
from tests.handler import images
from tests.handler.deployment import TABLE, UPLOAD_BUCKET, USER, Deployment
from tests.handler.test_role_grants_match_calls import CALLED_SERVICES, NO_CALL_GRANTS, Call, iam_actions
from tests.infra.policy_reading import statements
from tests.reprocess.batch import invoke, task

CHANGED = [{"name": "thumbnail", "width": 150, "height": 150}, {"name": "avatar", "width": 64, "height": 64}]


@pytest.fixture
def every_outcome(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> list[Call]:
    """Rendered again (a rendition removed), already current, superseded, original gone, rejected, no item,
    deleted by its owner (the tombstone written, the objects not yet deleted: the task removes them)."""
    photo = aws.upload("photo.jpg", images.jpeg((800, 600)))
    broken = aws.upload("broken.jpg", images.truncated_jpeg())
    gone = aws.upload("gone.jpg", images.jpeg((400, 300)))
    older = aws.upload("twice.jpg", images.jpeg((400, 300)))
    for upload in (photo, broken, gone, older):
        aws.invoke(upload.event())
    newer = aws.upload("twice.jpg", images.jpeg((400, 300)))
    aws.invoke(newer.event())
    aws.s3.delete_object(Bucket=UPLOAD_BUCKET, Key=gone.key, VersionId=gone.version_id)
    never = aws.upload("never.jpg", images.jpeg((400, 300)))
    deleted = aws.upload("deleted.jpg", images.jpeg((400, 300)))
    aws.invoke(deleted.event())
    aws.dynamodb.put_item(TableName=TABLE, Item=tombstone_item(deleted.image_id, USER, UPLOAD_BUCKET, deleted.key))
    monkeypatch.setenv(contract.ENV_RENDITIONS, json.dumps(CHANGED))
    calls: list[Call] = []
    clients = aws_clients()

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        calls.append(Call.of(params, model))

    for client in (clients.s3, clients.dynamodb):
        client.meta.events.register("provide-client-params.*.*", record, unique_id="reprocess-grant-recorder")
    try:
        invoke(task(photo), task(photo, "again"), task(older), task(gone), task(broken), task(never), task(deleted))
    finally:
        for client in (clients.s3, clients.dynamodb):
            client.meta.events.unregister("provide-client-params.*.*", unique_id="reprocess-grant-recorder")
    return calls


def granted_actions() -> set[str]:
    role_policy = evaluate_program("dev").one("aws:iam/rolePolicy:RolePolicy", "imagepipe-dev-image-reprocess-policy")
    return {action for s in statements(role_policy.inputs["policy"]).values() for action in s["Action"]}


def test_the_run_made_every_kind_of_call_the_function_makes(every_outcome: list[Call]) -> None:
    assert {(c.service, c.operation) for c in every_outcome} == {
        ("dynamodb", "GetItem"),
        ("dynamodb", "PutItem"),
        ("s3", "GetObject"),
        ("s3", "PutObject"),
        ("s3", "DeleteObject"),
        ("s3", "ListObjectVersions"),
        ("s3", "HeadObject"),
        ("s3", "DeleteObjects"),
    }


def test_every_call_is_granted_and_every_grant_is_called(every_outcome: list[Call]) -> None:
    needed = set().union(*(iam_actions(c) for c in every_outcome))
    granted = {a for a in granted_actions() if a.split(":")[0] in CALLED_SERVICES}
    assert sorted(granted - NO_CALL_GRANTS) == sorted(needed)
    assert granted >= NO_CALL_GRANTS


def test_other_grants_are_only_the_log_writes_lambda_makes() -> None:
    others = {a for a in granted_actions() if a.split(":")[0] not in CALLED_SERVICES}
    assert others == {"logs:CreateLogStream", "logs:PutLogEvents"}
