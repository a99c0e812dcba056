"""Fixtures every test of the Lambda code shares (image processor, API, cleanup): fake credentials, one
boto3 session, the handlers' logger put back, their JSON log lines read back.

Each package's own conftest adds its ``aws`` fixture: the resources that function works on, in moto.
"""

import functools
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from emulated_aws.environment import FAKE_AWS_ENVIRONMENT, REGION
from handlers import contract
from handlers.telemetry.logger import ROOT_LOGGER_NAME

# Never reach an emulator or real endpoint, nor use Lambda's own log format; no stack's settings.
_CLEARED = (
    "AWS_ENDPOINT_URL",
    "AWS_LAMBDA_LOG_FORMAT",
    contract.ENV_CORS_ORIGINS,
    contract.ENV_URL_TTL_SECONDS,
    contract.ENV_ANONYMOUS_USER,
)

LogLines = Callable[[], list[dict[str, Any]]]


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
def boto_session() -> boto3.session.Session:
    # mock_aws drops boto3's default session, whose endpoint data takes 0.2 s to load again: keep one.
    return boto3.session.Session(region_name=REGION)


@pytest.fixture
def log_lines(capsys: pytest.CaptureFixture[str]) -> LogLines:
    """The function's stdout so far, one parsed JSON object per line (fails on any other line)."""

    def read() -> list[dict[str, Any]]:
        return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]

    return read
