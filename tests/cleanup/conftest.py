"""Fixtures of the cleanup tests: fake credentials, moto with the pipeline's buckets and table, the
cleanup's environment, every request its clients make, log capture.

The cleanup's boto3 clients outlive a test, as they outlive an invocation on Lambda; moto
intercepts them in every test all the same.
"""

import functools
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto import mock_aws

from emulated_aws.environment import FAKE_AWS_ENVIRONMENT, REGION
from emulated_aws.provisioning import create_metadata_table, create_versioned_bucket
from handlers.cleanup.clients import cleanup_clients
from handlers.telemetry.logger import ROOT_LOGGER_NAME
from tests.cleanup.cleanup_deployment import BUCKETS, CleanupDeployment, cleanup_environment
from tests.handler.deployment import TABLE

# Never reach an emulator or real endpoint, nor use Lambda's own log format here.
_CLEARED = ("AWS_ENDPOINT_URL", "AWS_LAMBDA_LOG_FORMAT")


@pytest.fixture(autouse=True)
def handler_logging() -> Iterator[None]:
    """Put the handlers logger back as it was: configure_logging changes it for the whole process."""
    logger = logging.getLogger(ROOT_LOGGER_NAME)
    saved = (list(logger.handlers), logger.propagate, logger.level)
    yield
    handlers, propagate, level = saved
    logger.handlers[:] = handlers
    logger.propagate = propagate
    logger.setLevel(level)


@pytest.fixture
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _CLEARED:
        monkeypatch.delenv(name, raising=False)
    for name, value in FAKE_AWS_ENVIRONMENT.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


@functools.cache
def _boto_session() -> boto3.session.Session:
    # mock_aws drops boto3's default session, whose endpoint data takes 0.2 s to load again: keep one.
    return boto3.session.Session(region_name=REGION)


@pytest.fixture
def aws(fake_credentials: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[CleanupDeployment]:
    """Both versioned buckets and the metadata table, empty, and the cleanup's environment (30 days)."""
    with mock_aws():
        session = _boto_session()
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


LogLines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def log_lines(capsys: pytest.CaptureFixture[str]) -> LogLines:
    """The function's stdout so far, one parsed JSON object per line (fails on any other line)."""

    def read() -> list[dict[str, Any]]:
        return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]

    return read
