"""Fixtures of the reprocessing tests: moto with the pipeline's resources and the functions' environment.

The reprocessing function runs with the image processor's environment (ImagePipeline gives both the same
one), so the handler tests' deployment serves here unchanged.
"""

from collections.abc import Iterator

import pytest
from moto import mock_aws

from tests.conftest import boto_session
from tests.handler.deployment import Deployment, handler_environment


@pytest.fixture
def aws(fake_credentials: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Deployment]:
    with mock_aws():
        session = boto_session()
        deployment = Deployment.create(session.client("s3"), session.client("dynamodb"))
        for name, value in handler_environment().items():
            monkeypatch.setenv(name, value)
        yield deployment
