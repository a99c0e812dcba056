"""Fixtures of the DELETE-wins tests: moto with the pipeline's resources, the processor's and the API's
environment (both functions run against the same buckets and table), and the lockstep driver."""

from collections.abc import Iterator

import pytest
from moto import mock_aws

from tests.api.api_deployment import api_environment
from tests.conftest import boto_session
from tests.deletion.lockstep import Lockstep
from tests.deletion.scene import function_clients
from tests.handler.deployment import Deployment, handler_environment


@pytest.fixture
def aws(fake_credentials: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Deployment]:
    with mock_aws():
        session = boto_session()
        deployment = Deployment.create(session.client("s3"), session.client("dynamodb"))
        for name, value in {**handler_environment(), **api_environment()}.items():
            monkeypatch.setenv(name, value)
        yield deployment


@pytest.fixture
def lockstep(aws: Deployment) -> Iterator[Lockstep]:
    """The image function, the reprocessing function and the API, taking turns at their AWS calls."""
    with Lockstep(function_clients()) as driver:
        yield driver
