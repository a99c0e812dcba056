"""Reading a whole stack in a stack policy: resources by type, and which resource a property points at.

pulumi-aws v7 splits a bucket's settings into companion resources (public access block, encryption,
policy) that name the bucket in their `bucket` property, and a function's triggers and async config
name it by ARN or name. A companion is matched to its resource by the engine's property dependencies
first (`bucket=bucket.id` makes the bucket a dependency of `bucket`, known even in a preview where the
id is not), else by value: what the property holds equals one of the target's identities (a bucket's
name, a function's name or ARN), for values written out literally or taken from another stack.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pulumi_policy import PolicyResource

from .properties import UnknownValueError, value_if_known


def of_type(resources: Iterable[PolicyResource], *types: str) -> list[PolicyResource]:
    return [r for r in resources if r.resource_type in types]


def identities(resource: PolicyResource, *keys: str) -> set[str]:
    """The known text values of `keys` on a resource (its name, id, ARN), to match references against."""
    found = {value_if_known(resource.props, key) for key in keys}
    return {value for value in found if isinstance(value, str) and value}


def points_at(
    resource: PolicyResource, key: str, values: Iterable[Any], target: PolicyResource, target_keys: Sequence[str]
) -> bool:
    """Whether `resource` refers to `target` through its property `key`.

    `values` are what the property holds where the reference sits (the property itself, or a field in
    it such as each `lambdaFunctions[].lambdaFunctionArn`); unknown ones are passed as None.
    """
    if any(dep.urn == target.urn for dep in resource.property_dependencies.get(key, [])):
        return True
    names = identities(target, *target_keys)
    return any(isinstance(value, str) and value in names for value in values)


def judge_each(items: Iterable[PolicyResource], judge: Callable[[PolicyResource], None]) -> None:
    """Judge every item, even when one of them cannot be judged yet.

    A value not known during a preview stops only its own item; the violations found in the others are
    reported, and the first unknown is raised at the end so the SDK still says the policy was incomplete.
    """
    pending: UnknownValueError | None = None
    for item in items:
        try:
            judge(item)
        except UnknownValueError as unknown:
            pending = pending or unknown
    if pending is not None:
        raise pending
