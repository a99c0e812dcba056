"""Every taggable resource carries the standard tags; names derive from project and stack."""

import importlib
import inspect

import pytest

from offline.runtime import Evaluation, RecordedResource
from program.config import STACKS

STANDARD = {"Environment", "Project", "CostCenter", "ManagedBy"}


def resource_class(type_token: str) -> type:
    """`aws:s3/bucket:Bucket` -> pulumi_aws.s3.Bucket."""
    _, module_path, class_name = type_token.split(":")
    module = module_path.split("/")[0]
    package = importlib.import_module(f"pulumi_aws.{'lambda_' if module == 'lambda' else module}")
    cls: type = getattr(package, class_name)
    return cls


def is_taggable(resource: RecordedResource) -> bool:
    if not resource.type.startswith("aws:"):
        return False
    init = resource_class(resource.type)._internal_init  # type: ignore[attr-defined]
    return "tags" in inspect.signature(init).parameters


@pytest.mark.parametrize("stack", STACKS)
def test_every_taggable_resource_carries_the_standard_tags(stack: str, request: pytest.FixtureRequest) -> None:
    ev: Evaluation = request.getfixturevalue(stack)
    taggable = [r for r in ev.resources if is_taggable(r)]
    assert len(taggable) >= 7  # buckets, table, queue, log group, role, function at least
    for r in taggable:
        tags = r.inputs.get("tags", {})
        assert set(tags) >= STANDARD, f"{r.type} {r.name} lacks {STANDARD - set(tags)}"
        assert tags["Environment"] == stack
        assert tags["Project"] == "imagepipe"
        assert tags["ManagedBy"] == "Pulumi"
        assert tags["CostCenter"] == f"platform-{stack}"


def test_taggability_is_read_from_the_provider_not_guessed(dev: Evaluation) -> None:
    assert is_taggable(dev.one("aws:dynamodb/table:Table", "imagepipe-dev-images"))
    assert not is_taggable(dev.one("aws:lambda/permission:Permission", "imagepipe-dev-image-processor-s3-invoke"))


@pytest.mark.parametrize("stack", STACKS)
def test_every_logical_name_starts_with_project_and_stack(stack: str, request: pytest.FixtureRequest) -> None:
    ev: Evaluation = request.getfixturevalue(stack)
    assert all(r.name.startswith(f"imagepipe-{stack}") for r in ev.resources)


def test_physical_names_derive_from_project_and_stack(prod: Evaluation) -> None:
    assert (
        prod.one("aws:lambda/function:Function", "imagepipe-prod-image-processor").inputs["name"]
        == "imagepipe-prod-image-processor"
    )
    assert prod.one("aws:dynamodb/table:Table", "imagepipe-prod-images").inputs["name"] == "imagepipe-prod-images"
    assert (
        prod.one("aws:sqs/queue:Queue", "imagepipe-prod-image-processor-failures").inputs["name"]
        == "imagepipe-prod-image-processor-failures"
    )
