"""A stack deployed before the components became a package keeps every resource: nothing replaced or deleted.

``tests/snapshots/deployed/`` holds the URN (and, for custom resources, the inputs) of every resource
the program registered before the reshaping. The engine matches each to a resource of the program
now by URN or by an alias; unmatched, it would delete the old resource and create a new one.
"""

import json
from typing import Any

import pytest

from offline.identity import alias_urns, deployed_path, resource_inputs
from offline.runtime import AliasSpec, Evaluation, RecordedResource
from offline.urns import make_urn
from program.config import STACKS

# Inputs AWS updates in place that later steps change on purpose: not a replacement.
UPDATED_IN_PLACE = {
    ("aws:cloudwatch/dashboard:Dashboard", "dashboardBody"),  # PutDashboard (the API's widgets)
    # PutMetricAlarm / PutCompositeAlarm: the runbook link is the stack's runbookUrl now, not a repository path.
    ("aws:cloudwatch/metricAlarm:MetricAlarm", "alarmDescription"),
    ("aws:cloudwatch/compositeAlarm:CompositeAlarm", "alarmDescription"),
    # Compliance mode on prod: a key, a policy or subnets added to what exists.
    ("aws:cloudwatch/logGroup:LogGroup", "kmsKeyId"),  # AssociateKmsKey
    ("aws:dynamodb/table:Table", "serverSideEncryption"),  # UpdateTable SSESpecification
    # UpdateTimeToLive: DELETE's tombstones expire (not ForceNew: hashicorp/terraform-provider-aws,
    # internal/service/dynamodb/table.go, resourceTableUpdate calls updateTimeToLive on a "ttl" change).
    ("aws:dynamodb/table:Table", "ttl"),
    ("aws:iam/rolePolicy:RolePolicy", "policy"),  # PutRolePolicy
    ("aws:lambda/function:Function", "vpcConfig"),  # UpdateFunctionConfiguration
    # UpdateFunctionConfiguration: 1152 MB decodes the default caps' worst upload; 1024 did not.
    ("aws:lambda/function:Function", "memorySize"),
    ("aws:s3/bucketPolicy:BucketPolicy", "policy"),  # PutBucketPolicy
    ("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "rules"),
    ("aws:sqs/queue:Queue", "kmsMasterKeyId"),  # SetQueueAttributes
    ("aws:sqs/queue:Queue", "sqsManagedSseEnabled"),
    # The alert formatter (Step 12): SNS may write undelivered notifications into its failure queue under the
    # alerts key (PutKeyPolicy), and the email and SMS subscriptions get filter policies
    # (SetSubscriptionAttributes; terraform-provider-aws internal/service/sns/topic_subscription.go forces a
    # new subscription only for topic_arn, protocol and endpoint: no email recipient confirms again).
    ("aws:kms/key:Key", "policy"),
    ("aws:sns/topicSubscription:TopicSubscription", "filterPolicy"),
    ("aws:sns/topicSubscription:TopicSubscription", "filterPolicyScope"),
}


def replacing_inputs(type_: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in inputs.items() if (type_, k) not in UPDATED_IN_PLACE}


def deployed(stack: str) -> dict[str, dict[str, Any]]:
    document: dict[str, dict[str, Any]] = json.loads(deployed_path(stack).read_text())
    return document


def matches(ev: Evaluation) -> dict[str, RecordedResource]:
    """Old URN -> the resource of the program now that the engine would take it for."""
    found: dict[str, RecordedResource] = {}
    for resource in ev.resources:
        for urn in {resource.urn, *alias_urns(ev, resource)}:
            assert urn not in found, f"{urn} is claimed by two resources: {found[urn].urn} and {resource.urn}"
            found[urn] = resource
    return found


@pytest.mark.parametrize("stack", STACKS)
def test_every_deployed_resource_is_still_registered_under_its_urn_or_an_alias(
    stack: str, request: pytest.FixtureRequest
) -> None:
    ev: Evaluation = request.getfixturevalue(stack)
    missing = sorted(set(deployed(stack)) - set(matches(ev)))
    assert missing == [], "would be deleted and created anew: add aliases"


@pytest.mark.parametrize("stack", STACKS)
def test_every_deployed_custom_resource_keeps_its_type_and_inputs(stack: str, request: pytest.FixtureRequest) -> None:
    ev: Evaluation = request.getfixturevalue(stack)
    now = matches(ev)
    for urn, old in deployed(stack).items():
        if not old["custom"] or urn not in now:
            continue
        resource = now[urn]
        assert resource.custom, urn
        assert resource.type == urn.split("::")[2].split("$")[-1], urn
        now_inputs = replacing_inputs(resource.type, resource_inputs(resource))
        assert now_inputs == replacing_inputs(resource.type, old["inputs"]), f"inputs of {urn} changed"


# --- the engine's alias rules, as offline.identity applies them ---


def test_a_type_alias_names_the_old_urn_under_the_same_parent() -> None:
    urn = make_urn("dev", "imagepipe", None, "imagepipe:storage:SecureBucket", "b")
    assert urn == "urn:pulumi:dev::imagepipe::imagepipe:storage:SecureBucket::b"


def test_a_child_inherits_its_parents_alias() -> None:
    # GIVEN a component renamed in type, with an alias to its old type, and a child of it
    parent = RecordedResource(
        urn="urn:pulumi:dev::p::new:index:C::c",
        type="new:index:C",
        name="c",
        parent_urn="urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev",
        custom=False,
        inputs={},
        dependencies=(),
        aliases=(AliasSpec(type="old:mod:C"),),
    )
    child = RecordedResource(
        urn="urn:pulumi:dev::p::new:index:C$aws:s3/bucket:Bucket::c-bucket",
        type="aws:s3/bucket:Bucket",
        name="c-bucket",
        parent_urn=parent.urn,
        custom=True,
        inputs={},
        dependencies=(),
    )
    ev = Evaluation(stack="dev", resources=[parent, child], exports={}, engine_warnings=[])
    # THEN the child answers to its URN under the parent's old type, as the engine computes it
    assert alias_urns(ev, child) == {"urn:pulumi:dev::p::old:mod:C$aws:s3/bucket:Bucket::c-bucket"}


def test_an_alias_to_no_parent_drops_the_parent_chain() -> None:
    child = RecordedResource(
        urn="urn:pulumi:dev::p::new:index:M$new:index:F::f",
        type="new:index:F",
        name="f",
        parent_urn="urn:pulumi:dev::p::new:index:M::m",
        custom=False,
        inputs={},
        dependencies=(),
        aliases=(AliasSpec(type="old:mod:F", no_parent=True),),
    )
    ev = Evaluation(stack="dev", resources=[child], exports={}, engine_warnings=[])
    assert alias_urns(ev, child) == {"urn:pulumi:dev::p::old:mod:F::f"}
