"""The function role grants exactly what the handler calls: no grant without a call, no call without a grant.

The calls are derived from the code twice: statically, from the typed client protocols the AWS edge
is written against (mypy --strict allows it no other method), and at run time, from every request
the handler's own boto3 clients make across all its outcomes under moto. Each request becomes the
IAM actions AWS's Service Authorization Reference requires for it; the S3 and DynamoDB actions of
the role the program renders must be exactly those, plus the grants documented below as made for
something other than a call.
"""

import inspect
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from emulated_aws.s3_events import object_created_record, s3_event
from handlers import contract
from handlers.edge.metadata import DynamoDbApi
from handlers.edge.storage import S3Api
from handlers.image_processor import aws_clients
from handlers.tombstone import tombstone_item
from offline.runtime import evaluate_program
from tests.handler import images
from tests.handler.deployment import TABLE, UPLOAD_BUCKET, USER, Deployment
from tests.infra.policy_reading import statements

# The services the handler's code calls itself, and the protocol each is typed with.
CALLED_SERVICES = {"s3": S3Api, "dynamodb": DynamoDbApi}

# Granted without a call, each for a reason a reader can check.
NO_CALL_GRANTS = {
    # S3 answers a GET of a deleted key with 404 (skipped) instead of 403 (an alarm) only with it.
    "s3:ListBucket",
}
# Used by Lambda on the function's behalf, never by the handler's code.
PLATFORM_GRANTS = {
    "logs:CreateLogStream",  # the runtime writes the function's log lines
    "logs:PutLogEvents",
    "sqs:SendMessage",  # the on-failure destination of asynchronous invokes
}


@dataclass(frozen=True)
class Call:
    service: str
    operation: str
    params: tuple[str, ...]  # the request parameters given, by name

    @classmethod
    def of(cls, params: dict[str, Any], model: Any) -> "Call":
        names = sorted(params)
        if model.name == "DeleteObjects" and all("VersionId" in o for o in params["Delete"]["Objects"]):
            names.append(EVERY_ENTRY_VERSIONED)
        return cls(model.service_model.endpoint_prefix, model.name, tuple(names))


# Stands among a DeleteObjects call's parameters when every entry names a version.
EVERY_ENTRY_VERSIONED = "Delete.Objects[].VersionId"


def iam_actions(call: Call) -> set[str]:
    """The actions AWS requires for one request (Service Authorization Reference, S3 and DynamoDB)."""
    match (call.service, call.operation):
        case ("s3", "GetObject" | "HeadObject"):
            # Reading a named version needs GetObjectVersion; the current version needs GetObject.
            return {"s3:GetObjectVersion" if "VersionId" in call.params else "s3:GetObject"}
        case ("s3", "PutObject"):
            # Tags given with the upload need PutObjectTagging as well.
            return {"s3:PutObject"} | ({"s3:PutObjectTagging"} if "Tagging" in call.params else set())
        case ("s3", "DeleteObject"):
            # A named version (a permanent delete) needs DeleteObjectVersion besides DeleteObject (S3's reference,
            # Permissions: "you must always have the s3:DeleteObject permission").
            return {"s3:DeleteObject"} | ({"s3:DeleteObjectVersion"} if "VersionId" in call.params else set())
        case ("s3", "DeleteObjects"):
            # No action of its own: each entry is checked as the single delete it stands for.
            return {"s3:DeleteObject"} | ({"s3:DeleteObjectVersion"} if EVERY_ENTRY_VERSIONED in call.params else set())
        case ("s3", "ListObjectVersions"):
            return {"s3:ListBucketVersions"}
        case ("dynamodb", "GetItem" | "PutItem" | "UpdateItem" | "Query" | "DeleteItem"):
            return {f"dynamodb:{call.operation}"}
    raise AssertionError(f"no IAM action known for {call}: add it to iam_actions from AWS's reference")


@pytest.fixture
def recorded_calls(aws: Deployment) -> Iterator[list[Call]]:
    """Every request the handler's own clients make while the test runs."""
    calls: list[Call] = []
    clients = aws_clients()

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        calls.append(Call.of(params, model))

    for client in (clients.s3, clients.dynamodb):
        client.meta.events.register("provide-client-params.*.*", record, unique_id="grant-recorder")
    yield calls
    for client in (clients.s3, clients.dynamodb):
        client.meta.events.unregister("provide-client-params.*.*", unique_id="grant-recorder")


@pytest.fixture
def every_outcome(aws: Deployment, recorded_calls: list[Call], monkeypatch: pytest.MonkeyPatch) -> list[Call]:
    """Processed, rejected, duplicate, source gone, unversioned bucket, a rendition no longer made removed, and
    the upload of an image its owner deleted (the tombstone written, the objects not yet deleted) removed."""
    good = aws.upload("photo.jpg", images.jpeg((800, 600)))
    alpha = aws.upload("logo.png", images.png_with_alpha((300, 200)))
    broken = aws.upload("broken.jpg", images.truncated_jpeg())
    aws.invoke(s3_event(good.record(), alpha.record(), broken.record()))
    aws.invoke(good.event())  # duplicate: refused by the conditional write or skipped on read
    gone = aws.upload("gone.jpg", images.jpeg((400, 300)))
    aws.s3.delete_object(Bucket=UPLOAD_BUCKET, Key=gone.key, VersionId=gone.version_id)
    aws.invoke(gone.event())
    # An event without versionId, as an unversioned bucket sends: the current object is read.
    current = aws.upload("current.jpg", images.jpeg((400, 300)))
    unversioned = object_created_record(UPLOAD_BUCKET, current.key, size=current.size, sequencer="0A" * 9)
    aws.invoke(s3_event(unversioned))
    # A new version after a rendition was dropped from the config: the dropped one is deleted.
    monkeypatch.setenv(contract.ENV_RENDITIONS, json.dumps([{"name": "thumbnail", "width": 150, "height": 150}]))
    aws.invoke(aws.upload("photo.jpg", images.jpeg((800, 600))).event())
    deleted = aws.upload("deleted.jpg", images.jpeg((400, 300)))
    aws.invoke(deleted.event())
    aws.dynamodb.put_item(TableName=TABLE, Item=tombstone_item(deleted.image_id, USER, UPLOAD_BUCKET, deleted.key))
    aws.invoke(deleted.event())
    return recorded_calls


def protocol_operations(service: str) -> set[str]:
    """The API operations behind the methods of the protocol the edge is typed with."""
    protocol = CALLED_SERVICES[service]
    methods = {n for n, member in vars(protocol).items() if inspect.isfunction(member) and not n.startswith("_")}
    client = getattr(aws_clients(), service)
    return {client.meta.method_to_api_mapping[m] for m in methods}


def granted_actions() -> set[str]:
    role_policy = evaluate_program("dev").one("aws:iam/rolePolicy:RolePolicy", "imagepipe-dev-image-processor-policy")
    policy = role_policy.inputs["policy"]
    return {action for s in statements(policy).values() for action in s["Action"]}


@pytest.mark.parametrize("service", sorted(CALLED_SERVICES))
def test_the_run_exercises_every_method_the_edge_may_call(
    aws: Deployment, every_outcome: list[Call], service: str
) -> None:
    called = {c.operation for c in every_outcome if c.service == service}
    assert called == protocol_operations(service)


def test_every_call_is_granted_and_every_grant_is_called(every_outcome: list[Call]) -> None:
    needed = set().union(*(iam_actions(c) for c in every_outcome))
    granted = {a for a in granted_actions() if a.split(":")[0] in CALLED_SERVICES}
    assert sorted(granted - NO_CALL_GRANTS) == sorted(needed)
    assert granted >= NO_CALL_GRANTS


def test_other_grants_are_only_what_lambda_uses_on_the_functions_behalf() -> None:
    others = {a for a in granted_actions() if a.split(":")[0] not in CALLED_SERVICES}
    assert others == PLATFORM_GRANTS
