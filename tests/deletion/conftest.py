"""Fixtures of the DELETE-wins tests: moto with the pipeline's resources, the processor's and the API's
environment (both functions run against the same buckets and table), and the lockstep driver."""

from collections.abc import Iterator

import pytest

# The API's and the processor's environment over moto: the API tests' own fixture.
from tests.api.conftest import aws
from tests.deletion.lockstep import Lockstep
from tests.deletion.scene import function_clients
from tests.handler.deployment import Deployment

__all__ = ["aws", "lockstep"]


@pytest.fixture
def lockstep(aws: Deployment) -> Iterator[Lockstep]:
    """The image function, the reprocessing function and the API, taking turns at their AWS calls."""
    with Lockstep(function_clients()) as driver:
        yield driver
