"""Compliance mode (seed 003) on prod: customer-managed keys, private network, strict buckets, duty roles."""

import json
from typing import Any

import pytest

from handlers import contract
from offline.runtime import Evaluation, RecordedResource, ec2_id, evaluate_program
from program.config import ConfigError, stack_file_values
from tests.infra.policy_reading import statements

KEY = "aws:kms/key:Key"
ACCOUNT = "123456789012"
REGION = "eu-west-1"


def key(ev: Evaluation, which: str) -> RecordedResource:
    return ev.one(KEY, f"imagepipe-{ev.stack}-{which}-key")


def key_statements(ev: Evaluation, which: str) -> dict[str, dict[str, Any]]:
    return statements(key(ev, which).inputs["policy"])


def role_policy(ev: Evaluation, name: str) -> dict[str, dict[str, Any]]:
    return statements(ev.one("aws:iam/rolePolicy:RolePolicy", name).inputs["policy"])


# --- keys ---


@pytest.mark.parametrize("which", ["data", "logs"])
def test_compliance_keys_are_customer_managed_rotating_and_slow_to_delete(prod: Evaluation, which: str) -> None:
    inputs = key(prod, which).inputs
    assert (inputs["enableKeyRotation"], inputs["deletionWindowInDays"]) == (True, 30)


@pytest.mark.parametrize("which", ["data", "logs"])
def test_the_account_administers_the_keys_but_never_uses_them(prod: Evaluation, which: str) -> None:
    admin = key_statements(prod, which)["AccountAdministersWithoutUse"]
    assert admin["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    assert not {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:*"} & set(admin["Action"])


def test_data_key_is_used_only_by_the_pipelines_roles_through_s3_dynamodb_and_sqs(prod: Evaluation) -> None:
    use = key_statements(prod, "data")["PipelineRolesUseThroughServices"]
    assert use["Condition"] == {
        "ArnLike": {
            "aws:PrincipalArn": [
                f"arn:aws:iam::{ACCOUNT}:role/imagepipe-prod-image-processor-role-*",
                f"arn:aws:iam::{ACCOUNT}:role/imagepipe-prod-image-api-role-*",
                f"arn:aws:iam::{ACCOUNT}:role/imagepipe-prod-image-reprocess-role-*",
                # S3 Batch Operations as the reprocessing job role: manifests and reports in its bucket
                f"arn:aws:iam::{ACCOUNT}:role/imagepipe-prod-reprocess-job-role-*",
            ]
        },
        "StringEquals": {
            "kms:ViaService": [f"{service}.{REGION}.amazonaws.com" for service in ("s3", "dynamodb", "sqs")]
        },
    }


def test_the_auditor_may_only_decrypt_through_s3_and_dynamodb(prod: Evaluation) -> None:
    read = key_statements(prod, "data")["AuditorReadsThroughServices"]
    assert read["Action"] == ["kms:Decrypt", "kms:DescribeKey"]
    assert read["Condition"]["ArnEquals"] == {
        "aws:PrincipalArn": [f"arn:aws:iam::{ACCOUNT}:role/imagepipe-prod-auditor"]
    }
    assert read["Condition"]["StringEquals"] == {
        "kms:ViaService": [f"s3.{REGION}.amazonaws.com", f"dynamodb.{REGION}.amazonaws.com"]
    }


def test_the_operator_is_denied_decrypting_in_the_key_policy_itself(prod: Evaluation) -> None:
    deny = key_statements(prod, "data")["OperatorNeverDecrypts"]
    assert (deny["Effect"], deny["Principal"]) == ("Deny", "*")
    assert "kms:Decrypt" in deny["Action"]
    assert deny["Condition"] == {
        "ArnEquals": {"aws:PrincipalArn": [f"arn:aws:iam::{ACCOUNT}:role/imagepipe-prod-operator"]}
    }


def test_logs_key_is_used_only_by_cloudwatch_logs_for_this_accounts_log_groups(prod: Evaluation) -> None:
    logs = key_statements(prod, "logs")
    assert set(logs) == {"AccountAdministersWithoutUse", "CloudWatchLogsEncrypts"}
    use = logs["CloudWatchLogsEncrypts"]
    assert use["Principal"] == {"Service": f"logs.{REGION}.amazonaws.com"}
    assert use["Condition"] == {
        "ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:*"},
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
    }


def test_data_is_encrypted_with_the_data_key(prod: Evaluation) -> None:
    data_key = key(prod, "data").outputs["arn"]
    assert prod.one("aws:dynamodb/table:Table", "imagepipe-prod-images").inputs["serverSideEncryption"] == {
        "enabled": True,
        "kmsKeyArn": data_key,
    }
    assert (
        prod.one("aws:sqs/queue:Queue", "imagepipe-prod-image-processor-failures").inputs["kmsMasterKeyId"] == data_key
    )
    sse = prod.of_type("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    assert {s.inputs["rules"][0]["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"] for s in sse} == {data_key}


def test_every_log_group_is_encrypted_with_the_logs_key_and_kept_at_least_90_days(prod: Evaluation) -> None:
    logs_key = key(prod, "logs").outputs["arn"]
    groups = prod.of_type("aws:cloudwatch/logGroup:LogGroup")
    # image function, reprocessing function, API function, API access logs, alert formatter, flow logs
    assert len(groups) == 6
    for group in groups:
        assert group.inputs["kmsKeyId"] == logs_key, group.name
        assert group.inputs["retentionInDays"] >= 90, group.name


# --- network ---


def test_functions_run_in_private_subnets_of_two_zones(prod: Evaluation) -> None:
    subnets = prod.of_type("aws:ec2/subnet:Subnet")
    assert sorted(s.inputs["availabilityZone"] for s in subnets) == ["eu-west-1a", "eu-west-1b"]
    assert all(s.inputs["mapPublicIpOnLaunch"] is False for s in subnets)
    assert sorted(s.inputs["cidrBlock"] for s in subnets) == ["10.40.0.0/20", "10.40.16.0/20"]
    group = prod.one("aws:ec2/securityGroup:SecurityGroup")
    for function in prod.of_type("aws:lambda/function:Function"):
        vpc = function.inputs["vpcConfig"]
        assert sorted(vpc["subnetIds"]) == sorted(ec2_id(s.type, s.name) for s in subnets), function.name
        assert vpc["securityGroupIds"] == [ec2_id(group.type, group.name)], function.name


def test_there_is_no_path_to_the_internet(prod: Evaluation) -> None:
    types = {r.type for r in prod.resources}
    assert not types & {
        "aws:ec2/internetGateway:InternetGateway",
        "aws:ec2/natGateway:NatGateway",
        "aws:ec2/eip:Eip",
        "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    }
    (table,) = prod.of_type("aws:ec2/routeTable:RouteTable")
    assert table.inputs.get("routes", []) == []


def test_the_vpcs_default_security_group_is_adopted_with_no_rules(prod: Evaluation) -> None:
    # CIS AWS 5.4 / Security Hub EC2.2 / checkov CKV2_AWS_12: AWS's default group lets members reach each other
    # and anything outside; adopted with empty rule lists, it lets nothing in or out.
    (vpc,) = prod.of_type("aws:ec2/vpc:Vpc")
    (group,) = prod.of_type("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert group.inputs["vpcId"] == f"{vpc.name}-id"
    assert (group.inputs.get("ingress"), group.inputs.get("egress")) == ([], [])


def test_endpoints_are_exactly_the_services_the_functions_code_calls(prod: Evaluation) -> None:
    # contract.CALLED_SERVICES is what the recorded-calls tests prove the code calls (the alert formatter
    # reads logs and metrics and publishes to SNS itself); SQS, KMS, X-Ray and the functions' own log lines
    # are reached by Lambda and the services themselves, outside the function's network.
    endpoints = {e.inputs["serviceName"]: e.inputs for e in prod.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")}
    assert set(endpoints) == {f"com.amazonaws.{REGION}.{service}" for service in contract.CALLED_SERVICES}
    assert contract.CALLED_SERVICES == ("s3", "dynamodb", "logs", "monitoring", "sns")
    for service in ("s3", "dynamodb"):
        endpoint = endpoints[f"com.amazonaws.{REGION}.{service}"]
        assert endpoint["vpcEndpointType"] == "Gateway"
        assert endpoint["routeTableIds"] == ["imagepipe-prod-private-id"]
    for service in ("logs", "monitoring", "sns"):
        endpoint = endpoints[f"com.amazonaws.{REGION}.{service}"]
        assert (endpoint["vpcEndpointType"], endpoint["privateDnsEnabled"]) == ("Interface", True)
        assert len(endpoint["subnetIds"]) == 2


def test_functions_may_only_speak_https_to_the_endpoints(prod: Evaluation) -> None:
    group = prod.one("aws:ec2/securityGroup:SecurityGroup").inputs
    assert group.get("ingress", []) == [] and group.get("egress", []) == []
    rules = prod.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
    # A gateway endpoint by its prefix list; an interface endpoint (in the same group) by the group itself.
    assert all((r.inputs["ipProtocol"], r.inputs["fromPort"], r.inputs["toPort"]) == ("tcp", 443, 443) for r in rules)
    gateways = sorted(r.inputs["prefixListId"] for r in rules if "prefixListId" in r.inputs)
    assert gateways == ["pl-imagepipe-prod-dynamodb", "pl-imagepipe-prod-s3"]
    interfaces = [r.inputs["referencedSecurityGroupId"] for r in rules if "referencedSecurityGroupId" in r.inputs]
    assert len(interfaces) == 3 and len(set(interfaces)) == 1
    assert prod.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") == []


def test_all_traffic_is_flow_logged_to_an_encrypted_log_group(prod: Evaluation) -> None:
    flow = prod.one("aws:ec2/flowLog:FlowLog").inputs
    group = prod.one("aws:cloudwatch/logGroup:LogGroup", "imagepipe-prod-flow-logs")
    assert (flow["trafficType"], flow["logDestinationType"], flow["logDestination"]) == (
        "ALL",
        "cloud-watch-logs",
        group.outputs["arn"],
    )
    delivery = role_policy(prod, "imagepipe-prod-flow-logs-policy")["DeliverFlowLogs"]
    assert delivery["Resource"] == [f"{group.outputs['arn']}:*"]
    trust = statements(prod.one("aws:iam/role:Role", "imagepipe-prod-flow-logs-role").inputs["assumeRolePolicy"])
    (statement,) = trust.values()
    assert statement["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}


# --- buckets ---


@pytest.mark.parametrize("bucket", ["uploads", "processed"])
def test_buckets_deny_other_encryption_and_every_principal_outside_the_account(prod: Evaluation, bucket: str) -> None:
    policy = statements(
        prod.one("aws:s3/bucketPolicy:BucketPolicy", f"imagepipe-prod-{bucket}-tls-only").inputs["policy"]
    )
    data_key = key(prod, "data").outputs["arn"]
    assert policy["DenyOtherEncryption"]["Condition"] == {
        "StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}
    }
    assert policy["DenyOtherKeys"]["Condition"] == {
        "StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": data_key}
    }
    assert policy["DenyOutsideAccount"]["Condition"] == {"StringNotEquals": {"aws:PrincipalAccount": ACCOUNT}}
    assert all(policy[sid]["Effect"] == "Deny" for sid in policy)
    assert "DenyInsecureTransport" in policy


# --- separation of duties ---


@pytest.mark.parametrize(
    ("role", "principal"),
    [("auditor", "role/security-auditors"), ("operator", "role/platform-operators")],
)
def test_duty_roles_are_assumable_only_by_their_principals_with_mfa(
    prod: Evaluation, role: str, principal: str
) -> None:
    (trust,) = statements(prod.one("aws:iam/role:Role", f"imagepipe-prod-{role}").inputs["assumeRolePolicy"]).values()
    assert trust["Principal"] == {"AWS": [f"arn:aws:iam::{ACCOUNT}:{principal}"]}
    assert trust["Condition"] == {"Bool": {"aws:MultiFactorAuthPresent": "true"}}


def test_auditor_reads_data_metadata_and_logs_only(prod: Evaluation) -> None:
    auditor = role_policy(prod, "imagepipe-prod-auditor-read-only")
    allowed = {a for s in auditor.values() if s["Effect"] == "Allow" for a in s["Action"]}
    assert all(
        a.split(":")[1].startswith(("Get", "List", "Describe", "Query", "Scan", "Filter", "StartQuery"))
        for a in allowed
    )
    # Every log group the stack writes, each with its streams: the auditor misses none.
    written = {r.inputs["name"] for r in prod.of_type("aws:cloudwatch/logGroup:LogGroup")}
    readable = {arn.split(":log-group:")[1].removesuffix(":*") for arn in auditor["ReadLogs"]["Resource"]}
    assert readable == written


def test_auditor_is_explicitly_denied_writes_deletes_and_key_administration(prod: Evaluation) -> None:
    auditor = role_policy(prod, "imagepipe-prod-auditor-read-only")
    writes = auditor["DenyWrites"]
    assert writes["Effect"] == "Deny"
    assert {"s3:Put*", "s3:Delete*", "dynamodb:PutItem", "dynamodb:DeleteItem", "logs:Delete*"} <= set(writes["Action"])
    keys = auditor["DenyKeyAdministration"]
    assert keys["Effect"] == "Deny"
    assert {"kms:ScheduleKeyDeletion", "kms:Disable*", "kms:Put*"} <= set(keys["Action"])
    assert sorted(keys["Resource"]) == sorted(key(prod, which).outputs["arn"] for which in ("data", "logs"))


def test_operator_deploys_with_power_user_but_is_denied_decrypting_and_reading_data(prod: Evaluation) -> None:
    attachment = prod.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "imagepipe-prod-operator-power-user")
    assert attachment.inputs["policyArn"] == "arn:aws:iam::aws:policy/PowerUserAccess"
    denies = role_policy(prod, "imagepipe-prod-operator-no-data")
    assert denies["NeverDecryptData"] == {
        "Sid": "NeverDecryptData",
        "Effect": "Deny",
        "Action": ["kms:Decrypt", "kms:ReEncrypt*"],
        "Resource": [key(prod, "data").outputs["arn"]],
    }
    assert denies["NeverReadImages"]["Effect"] == "Deny"


# --- off ---


def test_with_compliance_off_none_of_it_exists(dev: Evaluation) -> None:
    types = {r.type for r in dev.resources}
    assert not types & {
        "imagepipe:index:ComplianceKeys",
        "imagepipe:index:PrivateNetwork",
        "imagepipe:index:AccessRoles",
        "aws:ec2/vpc:Vpc",
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "aws:ec2/flowLog:FlowLog",
    }
    assert [k.name for k in dev.of_type(KEY)] == ["imagepipe-dev-alerts-key"]
    assert all("vpcConfig" not in f.inputs for f in dev.of_type("aws:lambda/function:Function"))


# --- config ---


def prod_with(**overrides: str) -> dict[str, str]:
    return {**stack_file_values("prod"), **overrides}


def test_compliance_refuses_log_retention_under_90_days() -> None:
    with pytest.raises(ConfigError, match=r"imagepipe:logRetentionDays must be at least 90 with compliance on, got 30"):
        evaluate_program("prod", prod_with(logRetentionDays="30"))


def test_compliance_refuses_a_key_of_its_own() -> None:
    with pytest.raises(ConfigError, match=r"imagepipe:kmsKeyArn must be empty with compliance on"):
        evaluate_program("prod", prod_with(kmsKeyArn="arn:aws:kms:eu-west-1:123456789012:key/x"))


def test_compliance_refuses_duty_roles_no_one_can_assume() -> None:
    with pytest.raises(ConfigError, match=r"imagepipe:auditorPrincipals must name at least one principal"):
        evaluate_program("prod", prod_with(auditorPrincipals="[]"))


def test_principals_must_be_iam_arns() -> None:
    with pytest.raises(
        ConfigError,
        match=r"imagepipe:operatorPrincipals\[0\] must be an IAM principal ARN like "
        r"arn:aws:iam::123456789012:role/auditors, got 'alice'",
    ):
        evaluate_program("prod", prod_with(operatorPrincipals=json.dumps(["alice"])))
