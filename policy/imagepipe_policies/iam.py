"""IAM identity policies: no wildcard actions, no wildcard resources outside documented exceptions.

Looked at: role policies, managed policies, user and group policies, and a role's inline policies.
Not looked at:
- Trust policies (`assumeRolePolicy`): they grant `sts:AssumeRole` to principals and name no resource.
- KMS key policies (`aws:kms/key:Key` `policy`): in a key policy `"Resource": "*"` means the key itself
  (the policy is attached to one key), and `kms:*` for the account root is the key-administration
  statement AWS itself recommends; key policies are reviewed with the key (components/compliance/keys.py).
- Bucket, topic and queue policies: resource policies, judged by the bucket rules (TLS-only) and by the
  components that write them.
- Managed policies attached by ARN (`RolePolicyAttachment`): their documents are not in the stack.

Deny statements are exempt: they take permissions away, and a wide Deny (`s3:Put*` on `*` for an
auditor) is the safe way to write one.
"""

from collections.abc import Iterator
from typing import Final

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from .documents import Statement, UnreadableDocument, statements
from .properties import listed, value_at
from .resource_types import GROUP_POLICY, MANAGED_POLICY, ROLE, ROLE_POLICY, USER_POLICY

# Actions AWS only grants on `"Resource": "*"` (they act on no resource an ARN could name), each with
# the reason it is in this stack's roles.
ACTIONS_ONLY_ON_ANY_RESOURCE: Final = {
    # X-Ray active tracing: the function's runtime sends segments; X-Ray has no resource-level permissions.
    "xray:puttracesegments": "X-Ray tracing",
    "xray:puttelemetryrecords": "X-Ray tracing",
    # A function in a VPC: Lambda creates and removes the elastic network interfaces with the role.
    "ec2:createnetworkinterface": "Lambda in a VPC",
    "ec2:describenetworkinterfaces": "Lambda in a VPC",
    "ec2:describesubnets": "Lambda in a VPC",
    "ec2:deletenetworkinterface": "Lambda in a VPC",
    "ec2:assignprivateipaddresses": "Lambda in a VPC",
    "ec2:unassignprivateipaddresses": "Lambda in a VPC",
    # The alert formatter reads the alarms' datapoints: GetMetricData has no resource-level permissions.
    "cloudwatch:getmetricdata": "CloudWatch metric data",
    # Logs Insights results and the log group list are not resources (the auditor role reads them).
    "logs:getqueryresults": "Logs Insights",
    "logs:describeloggroups": "Logs Insights",
}


def _documents(args: ResourceValidationArgs) -> Iterator[tuple[str, object]]:
    """(where, document) for each policy document the resource carries."""
    if args.resource_type in (ROLE_POLICY, MANAGED_POLICY, USER_POLICY, GROUP_POLICY):
        yield args.name, value_at(args.props, "policy")
    elif args.resource_type == ROLE:
        for inline in listed(value_at(args.props, "inlinePolicies")):
            yield f"{args.name} inline policy {value_at(inline, 'name')}", value_at(inline, "policy")


def _allow_statements(args: ResourceValidationArgs, report: ReportViolation) -> Iterator[tuple[str, Statement]]:
    for where, document in _documents(args):
        if document is None:
            continue
        try:
            found = statements(document)
        except UnreadableDocument as error:
            report(f"{where}: cannot read the policy document ({error})", None)
            continue
        yield from ((where, s) for s in found if s.allows)


def wildcard_action(action: str) -> bool:
    """`*` or a whole service (`s3:*`); IAM compares actions without regard to case."""
    return action == "*" or action.endswith(":*")


def _no_wildcard_actions(args: ResourceValidationArgs, report: ReportViolation) -> None:
    for where, statement in _allow_statements(args, report):
        if statement.not_actions:
            report(f"{where}, {statement.label}: Allow with NotAction grants every other action of every service", None)
        wide = [action for action in statement.actions if wildcard_action(action)]
        if wide:
            report(f"{where}, {statement.label}: allows {', '.join(wide)}; name the actions the code calls", None)


def _no_wildcard_resources(args: ResourceValidationArgs, report: ReportViolation) -> None:
    for where, statement in _allow_statements(args, report):
        if statement.not_resources:
            report(f"{where}, {statement.label}: Allow with NotResource grants on every other resource", None)
        if "*" not in statement.resources:
            continue
        others = [a for a in statement.actions if a.lower() not in ACTIONS_ONLY_ON_ANY_RESOURCE]
        if others or statement.not_actions:
            report(
                f'{where}, {statement.label}: allows {", ".join(others) or "NotAction"} on "*"; name the resources '
                f"(Resource * is kept for {', '.join(sorted(set(ACTIONS_ONLY_ON_ANY_RESOURCE.values())))} actions)",
                None,
            )


IAM_NO_WILDCARD_ACTIONS: Final = ResourceValidationPolicy(
    name="iam-no-wildcard-actions",
    description='No IAM policy allows every action ("*") or every action of a service ("s3:*"), or uses NotAction.',
    validate=_no_wildcard_actions,
    enforcement_level=EnforcementLevel.MANDATORY,
)

IAM_NO_WILDCARD_RESOURCES: Final = ResourceValidationPolicy(
    name="iam-no-wildcard-resources",
    description='No IAM policy allows actions on "*" except those AWS only grants on "*" (X-Ray, VPC ENIs, Logs '
    "Insights).",
    validate=_no_wildcard_resources,
    enforcement_level=EnforcementLevel.MANDATORY,
)
