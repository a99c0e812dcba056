"""Fixtures of the handler tests: fake credentials, moto, the deployed resources, log capture.

moto buckets get no aws:SecureTransport deny policy: moto would then deny every request.
"""

from collections.abc import Iterator

import pytest
from moto import mock_aws

from tests.conftest import boto_session
from tests.handler.deployment import Deployment, handler_environment


@pytest.fixture
def aws(fake_credentials: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Deployment]:
    """Upload and processed buckets (versioned) and the metadata table, with the handler's environment.

    The handler's clients outlive a test, as they outlive an invocation on Lambda (making them
    costs 0.4 s); moto intercepts them in every test all the same.
    """
    with mock_aws():
        session = boto_session()
        deployment = Deployment.create(session.client("s3"), session.client("dynamodb"))
        for name, value in handler_environment().items():
            monkeypatch.setenv(name, value)
        yield deployment
