"""Fixtures of the API tests: fake credentials, moto with the pipeline's resources, the API's environment.

moto buckets get no aws:SecureTransport deny policy (moto would then deny every request). The
API's boto3 clients outlive a test, as they outlive a request on Lambda; moto intercepts them in
every test all the same.
"""

from collections.abc import Iterator

import pytest
from moto import mock_aws

from tests.api.api_deployment import api_environment
from tests.conftest import boto_session
from tests.handler.deployment import Deployment, handler_environment


@pytest.fixture
def aws(fake_credentials: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Deployment]:
    """Versioned upload and processed buckets and the metadata table; the API's and the processor's environment."""
    with mock_aws():
        session = boto_session()
        deployment = Deployment.create(session.client("s3"), session.client("dynamodb"))
        for name, value in {**handler_environment(), **api_environment()}.items():
            monkeypatch.setenv(name, value)
        yield deployment
