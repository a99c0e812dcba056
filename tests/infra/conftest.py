"""Fixtures for the infrastructure tests: the program evaluated under Pulumi's mocks.

Each evaluation calls set_mocks itself and resets config afterwards, so no test sees
another's resources; the two stack evaluations are shared because they are read-only.
"""

from collections.abc import Iterator

import pulumi
import pytest

from offline.runtime import Evaluation, evaluate_program


@pytest.fixture(autouse=True)
def _reset_pulumi_config() -> Iterator[None]:
    yield
    pulumi.runtime.set_all_config({})


@pytest.fixture(scope="session")
def dev() -> Evaluation:
    return evaluate_program("dev")


@pytest.fixture(scope="session")
def prod() -> Evaluation:
    return evaluate_program("prod")
