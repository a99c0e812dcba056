"""Fixtures of the cleanup tests: fake credentials, moto with the pipeline's buckets and table, the
cleanup's environment, every request its clients make, log capture.

The cleanup's boto3 clients outlive a test, as they outlive an invocation on Lambda; moto
intercepts them in every test all the same.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from moto import mock_aws

from emulated_aws.environment import REGION
from emulated_aws.provisioning import create_metadata_table, create_versioned_bucket
from handlers.cleanup.clients import cleanup_clients
from tests.cleanup.cleanup_deployment import BUCKETS, CleanupDeployment, cleanup_environment
from tests.conftest import boto_session
from tests.handler.deployment import TABLE


@pytest.fixture
def aws(fake_credentials: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[CleanupDeployment]:
    """Both versioned buckets and the metadata table, empty, and the cleanup's environment (30 days)."""
    with mock_aws():
        session = boto_session()
        s3, dynamodb = session.client("s3"), session.client("dynamodb")
        for bucket in BUCKETS:
            create_versioned_bucket(s3, bucket, REGION)
        create_metadata_table(dynamodb, TABLE)
        for name, value in cleanup_environment().items():
            monkeypatch.setenv(name, value)
        yield CleanupDeployment(s3, dynamodb, monkeypatch)


@dataclass(frozen=True)
class Request:
    """One request the cleanup's own clients made: the operation and its parameters as given."""

    operation: str
    params: dict[str, Any]


@pytest.fixture
def aws_requests(aws: CleanupDeployment) -> Iterator[list[Request]]:
    """Every request the cleanup's clients make while the test runs (botocore's provide-client-params)."""
    made: list[Request] = []
    clients = cleanup_clients()

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        made.append(Request(model.name, json.loads(json.dumps(params, default=str))))

    for client in (clients.s3, clients.dynamodb):
        client.meta.events.register("provide-client-params.*.*", record, unique_id="cleanup-recorder")
    yield made
    for client in (clients.s3, clients.dynamodb):
        client.meta.events.unregister("provide-client-params.*.*", unique_id="cleanup-recorder")


def resources_named(requests: list[Request]) -> set[str]:
    """Every bucket and table the requests name (BatchWriteItem names its tables as RequestItems keys)."""
    named: set[str] = set()
    for request in requests:
        named.update(request.params.get("RequestItems", {}))
        named.update(request.params[name] for name in ("Bucket", "TableName") if name in request.params)
    return named
