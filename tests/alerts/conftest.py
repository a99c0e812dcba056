"""Fixtures of the alert formatter's tests: fake credentials, moto with a tier topic and its subscribers,
the watched log group, the ledger and the formatter's environment."""

from collections.abc import Iterator

import pytest
from moto import mock_aws

from handlers.alerts.clients import reset_alert_clients
from tests.alerts.alert_deployment import AlertWorld, environment
from tests.conftest import boto_session


@pytest.fixture
def aws(fake_credentials: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[AlertWorld]:
    with mock_aws():
        reset_alert_clients()
        world = AlertWorld.create(boto_session())
        for name, value in environment().items():
            monkeypatch.setenv(name, value)
        yield world
        reset_alert_clients()
