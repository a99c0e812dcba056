"""Default physical names never collide, and every name a component makes fits AWS's limits.

Two instances of a component in one stack, and the same program in two stacks of one account, give
distinct names for every resource that is named explicitly; resources Pulumi auto-names (buckets,
most roles) get a random suffix, so only their length matters. This repository's stacks pass their
own prefix and keep every name they had (tests/infra/test_existing_stacks_survive.py).
"""

from collections import Counter
from typing import Final

import pytest

from components.compliance.access_roles import AccessRoles, AccessRolesArgs
from components.compliance.keys import ComplianceKeys, ComplianceKeysArgs
from components.compliance.network import PrivateNetwork, PrivateNetworkArgs
from components.dev_cleanup import DevCleanup, DevCleanupArgs
from components.image_api import ImageApi, ImageApiArgs
from components.image_pipeline import ImagePipeline, ImagePipelineArgs
from components.monitoring.alerting_sns import AlertingSNS, AlertingSNSArgs
from components.monitoring.pipeline_monitoring import PipelineMonitoring, PipelineMonitoringArgs
from components.naming import AUTONAME_SUFFIX, default_prefix
from offline.example_program import evaluate_example
from offline.runtime import Evaluation, RecordedResource, run_under_mocks
from tests.infra.sample_inputs import KEY, SERVED, WATCHED

# The input that names a resource, and AWS's limit on it (each service's API reference, CreateX / PutX).
EXPLICIT: Final[dict[str, tuple[str, int]]] = {
    "aws:lambda/function:Function": ("name", 64),
    "aws:iam/role:Role": ("name", 64),
    "aws:sqs/queue:Queue": ("name", 80),
    "aws:dynamodb/table:Table": ("name", 255),
    "aws:cloudwatch/logGroup:LogGroup": ("name", 512),
    "aws:lambda/layerVersion:LayerVersion": ("layerName", 140),
    "aws:sns/topic:Topic": ("name", 256),
    "aws:kms/alias:Alias": ("name", 256),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("name", 255),
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": ("alarmName", 255),
    "aws:cloudwatch/dashboard:Dashboard": ("dashboardName", 255),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": ("name", 512),
    "aws:scheduler/schedule:Schedule": ("name", 64),
    "aws:cognito/userPool:UserPool": ("name", 128),
    "aws:cognito/userPoolClient:UserPoolClient": ("name", 128),
    "aws:apigateway/restApi:RestApi": ("name", 1024),
}
# Named by Pulumi after the logical name when no name is given, under these limits.
AUTONAMED: Final[dict[str, int]] = {"aws:s3/bucket:Bucket": 63, "aws:iam/role:Role": 64}
# Names unique only within their parent, never across an account.
PER_PARENT: Final = {"aws:cloudwatch/logMetricFilter:LogMetricFilter", "aws:cognito/userPoolClient:UserPoolClient"}


def explicit_names(ev: Evaluation) -> list[tuple[str, str]]:
    names = []
    for r in ev.resources:
        if r.type in EXPLICIT and r.type not in PER_PARENT:
            prop, _ = EXPLICIT[r.type]
            if (value := r.inputs.get(prop)) is not None:
                names.append((r.type, str(value)))
    return names


def too_long(r: RecordedResource) -> str | None:
    if r.type in EXPLICIT and (value := r.inputs.get(EXPLICIT[r.type][0])) is not None:
        limit = EXPLICIT[r.type][1]
        return f"{r.type} {value!r}: {len(value)} > {limit}" if len(value) > limit else None
    if r.type in AUTONAMED:
        limit = AUTONAMED[r.type]
        length = len(r.name) + AUTONAME_SUFFIX
        return f"{r.type} auto-named from {r.name!r}: {length} > {limit}" if length > limit else None
    return None


def every_component(name: str, prefix: dict[str, str] | None = None) -> None:
    """One of each component that names resources, with the given name_prefix or the default."""
    p = prefix or {}
    ImagePipeline(name, ImagePipelineArgs(**p))  # type: ignore[typeddict-item]
    ImageApi(f"{name}-api", ImageApiArgs(**SERVED, **p))  # type: ignore[typeddict-item]
    DevCleanup(f"{name}-cleanup", DevCleanupArgs(**SERVED, **p))  # type: ignore[typeddict-item]
    AlertingSNS(f"{name}-alerts", AlertingSNSArgs(critical_emails=["a@example.com"], **p))  # type: ignore[typeddict-item]
    PipelineMonitoring(
        f"{name}-monitoring",
        PipelineMonitoringArgs(**WATCHED, expect_traffic=True, api_name="api", api_stage="v1", **p),  # type: ignore[typeddict-item]
    )
    ComplianceKeys(f"{name}-keys", ComplianceKeysArgs(user_roles=["fn-role-*"], **p))  # type: ignore[typeddict-item]
    PrivateNetwork(f"{name}-network", PrivateNetworkArgs(logs_key_arn=KEY, **p))  # type: ignore[typeddict-item]
    AccessRoles(
        f"{name}-access",
        AccessRolesArgs(
            auditor_principals=["arn:aws:iam::123456789012:role/a"],
            operator_principals=["arn:aws:iam::123456789012:role/o"],
            upload_bucket_arn=SERVED["upload_bucket_arn"],
            processed_bucket_arn=SERVED["processed_bucket_arn"],
            table_arn=SERVED["table_arn"],
            log_group_arns=[],
            data_key_arn=KEY,
            logs_key_arn=KEY,
            **p,  # type: ignore[typeddict-item]
        ),
    )


def test_two_instances_in_one_stack_name_nothing_alike() -> None:
    def both() -> None:
        every_component("photos")
        every_component("avatars")

    ev = run_under_mocks(both)
    repeated = [name for name, count in Counter(explicit_names(ev)).items() if count > 1]
    assert repeated == []


def test_one_program_in_two_stacks_names_nothing_alike() -> None:
    dev, staging = evaluate_example(stack="dev"), evaluate_example(stack="staging")
    assert set(explicit_names(dev)) & set(explicit_names(staging)) == set()
    # And the names say whose they are.
    assert ("aws:lambda/function:Function", "thumbnails-dev-media-image-processor") in explicit_names(dev)


def test_two_programs_with_the_same_component_name_in_one_stack_name_nothing_alike() -> None:
    one = run_under_mocks(lambda: every_component("images"), project="catalog")
    other = run_under_mocks(lambda: every_component("images"), project="avatars")
    assert set(explicit_names(one)) & set(explicit_names(other)) == set()


def test_every_default_name_fits_even_for_a_long_project_stack_and_component_name() -> None:
    ev = run_under_mocks(
        lambda: every_component("an-unusually-long-component-name-for-images"),
        stack="production-eu-central-1-blue",
        project="a-rather-long-project-name",
    )
    assert [problem for r in ev.resources if (problem := too_long(r))] == []


@pytest.mark.parametrize("longest", [True, False])
def test_every_name_fits_with_the_longest_prefix_each_component_allows(longest: bool) -> None:
    from components import dev_cleanup, image_api, image_pipeline
    from components.compliance import access_roles, keys, network
    from components.monitoring import alerting_sns, pipeline_monitoring

    room = min(
        m.MAX_PREFIX
        for m in (
            image_pipeline,
            image_api,
            dev_cleanup,
            alerting_sns,
            pipeline_monitoring,
            keys,
            network,
            access_roles,
        )
    )
    prefix = "p" * (room if longest else 1)
    ev = run_under_mocks(lambda: every_component("x", {"name_prefix": prefix}))
    assert [problem for r in ev.resources if (problem := too_long(r))] == []


def test_a_long_default_prefix_is_shortened_with_a_hash_of_the_whole() -> None:
    def prefixes() -> tuple[str, str]:
        return default_prefix("component-one-" + "x" * 40, 35), default_prefix("component-two-" + "x" * 40, 35)

    captured: list[tuple[str, str]] = []
    run_under_mocks(lambda: captured.append(prefixes()), stack="dev", project="proj")
    one, two = captured[0]
    assert len(one) == len(two) == 35
    assert one != two
    assert one.startswith("proj-dev-component-one-xxxx")
