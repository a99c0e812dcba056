"""Fixtures of the API tests: fake credentials, moto with the pipeline's resources, the API's environment.

moto buckets get no aws:SecureTransport deny policy (moto would then deny every request). The
API's boto3 clients outlive a test, as they outlive a request on Lambda; moto intercepts them in
every test all the same.
"""

import functools
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from emulated_aws.environment import FAKE_AWS_ENVIRONMENT, REGION
from handlers.telemetry.logger import ROOT_LOGGER_NAME
from tests.api.api_deployment import api_environment
from tests.handler.deployment import Deployment, handler_environment

# Never reach an emulator or real endpoint, nor use Lambda's own log format; no stack's API settings.
_CLEARED = ("AWS_ENDPOINT_URL", "AWS_LAMBDA_LOG_FORMAT", "CORS_ORIGINS", "URL_TTL_SECONDS", "ANONYMOUS_USER")


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
def aws(fake_credentials: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Deployment]:
    """Versioned upload and processed buckets and the metadata table; the API's and the processor's environment."""
    with mock_aws():
        session = _boto_session()
        deployment = Deployment.create(session.client("s3"), session.client("dynamodb"))
        for name, value in {**handler_environment(), **api_environment()}.items():
            monkeypatch.setenv(name, value)
        yield deployment


LogLines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def log_lines(capsys: pytest.CaptureFixture[str]) -> LogLines:
    """The function's stdout so far, one parsed JSON object per line (fails on any other line)."""

    def read() -> list[dict[str, Any]]:
        return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]

    return read
