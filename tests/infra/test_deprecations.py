"""No deprecated pulumi-aws resource type or argument is used."""

import inspect

import pytest

from offline.runtime import Evaluation
from program.config import STACKS
from tests.infra.test_tags_and_names import resource_class


@pytest.mark.parametrize("stack", STACKS)
def test_the_provider_reports_no_deprecated_argument(stack: str, request: pytest.FixtureRequest) -> None:
    ev: Evaluation = request.getfixturevalue(stack)
    assert [w for w in ev.engine_warnings if "deprecated" in w.lower()] == []


@pytest.mark.parametrize("stack", STACKS)
def test_no_resource_type_is_deprecated(stack: str, request: pytest.FixtureRequest) -> None:
    ev: Evaluation = request.getfixturevalue(stack)
    for type_token in {r.type for r in ev.resources if r.type.startswith("aws:")}:
        source = inspect.getsource(resource_class(type_token))
        assert "has been deprecated" not in source, type_token


def test_the_deprecation_check_recognises_a_deprecated_type() -> None:
    assert "has been deprecated" in inspect.getsource(resource_class("aws:s3/bucketV2:BucketV2"))
