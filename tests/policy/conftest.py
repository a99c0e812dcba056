"""Fixtures for the policy pack's tests: each program evaluated once per session under Pulumi's mocks.

Evaluations are read-only to the policies, so sharing them keeps the suite to a few seconds. Each one
sets its own config and mocks and resets config afterwards.
"""

import pytest

from offline.example_program import evaluate_example
from offline.runtime import Evaluation, evaluate_program
from program.config import stack_file_values


@pytest.fixture(scope="session")
def dev() -> Evaluation:
    return evaluate_program("dev")


@pytest.fixture(scope="session")
def prod() -> Evaluation:
    return evaluate_program("prod")


@pytest.fixture(scope="session")
def example() -> Evaluation:
    return evaluate_example()


@pytest.fixture(scope="session")
def prod_with_force_destroy() -> Evaluation:
    """Prod as its file says, but with `forceDestroy: true`, which the program itself does not refuse."""
    return evaluate_program("prod", {**stack_file_values("prod"), "forceDestroy": "true"})


@pytest.fixture(scope="session")
def dev_without_sign_in() -> Evaluation:
    """Dev with `apiAuthorizer: none`, which the program allows on an unprotected stack (`*` as a CORS
    origin it refuses everywhere, so the CORS rule is proven on hand-made resources only)."""
    return evaluate_program("dev", {**stack_file_values("dev"), "apiAuthorizer": "none"})
