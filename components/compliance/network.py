"""PrivateNetwork: private subnets with no path to the internet, and endpoints only for what the code calls."""

import ipaddress
import itertools
import json
from collections.abc import Callable, Mapping
from typing import Any, Final, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components.compliance.documents import flow_logs_assume_role_policy, flow_logs_policy
from components.function_defaults import LOG_RETENTION_DAYS
from components.inputs import ArgsCheck, FieldCheck, Rule, Violation, aws_values, whole
from components.naming import LongestName, max_prefix, name_prefix, prefix_rule
from components.type_tokens import component_options, type_token
from handlers import contract

HTTPS: Final = 443
# Services that offer gateway endpoints (free, route-table based); any other needs an interface endpoint.
GATEWAY_SERVICES: Final = frozenset({"s3", "dynamodb"})
DEFAULT_CIDR: Final = "10.40.0.0/16"
# Each subnet takes a /20 of the VPC's range.
SUBNET_PREFIX: Final = 20
DEFAULT_ZONES: Final = 2


class PrivateNetworkArgs(TypedDict):
    logs_key_arn: pulumi.Input[str]
    """KMS key of the flow logs' log group (ComplianceKeys' logs_key_arn)."""
    name_prefix: NotRequired[str]
    """Prefix of every physical name; default `{project}-{stack}-{name}`, shortened to fit."""
    tags: NotRequired[dict[str, str]]
    """Tags for every taggable child; none by default."""
    cidr_block: NotRequired[str]
    """The VPC's range; each subnet takes a /20 of it. Default 10.40.0.0/16."""
    availability_zones: NotRequired[int]
    """How many availability zones the subnets span (at least 2); default 2."""
    log_retention_days: NotRequired[int]
    """Retention of the flow logs; default 7 (compliance stacks give 90 or more)."""


def _vpc_range(value: object) -> bool:
    try:
        network = ipaddress.IPv4Network(value)
    except (ValueError, TypeError):
        return False
    # AWS allows /16 to /28 VPCs; each of ours holds /20 subnets.
    return 16 <= network.prefixlen < SUBNET_PREFIX and str(network) == value


def _zones_fit_range(values: Mapping[str, Any]) -> None:
    zones = values.get("availability_zones", DEFAULT_ZONES)
    room = 2 ** (SUBNET_PREFIX - ipaddress.IPv4Network(values.get("cidr_block", DEFAULT_CIDR)).prefixlen)
    if zones > room:
        raise Violation(f"at most {room}: the range holds {room} /{SUBNET_PREFIX} subnets", zones)


# The flow logs role is named by Pulumi after `{prefix}-flow-logs-role`.
MAX_PREFIX: Final = max_prefix(LongestName("-flow-logs-role", 64, autonamed=True))
INPUTS: Final = ArgsCheck(
    PrivateNetworkArgs,
    {
        "logs_key_arn": aws_values.kms_key_arn,
        "name_prefix": prefix_rule(MAX_PREFIX),
        "tags": aws_values.tags,
        "cidr_block": Rule(f"an IPv4 network from /16 to /{SUBNET_PREFIX - 1} like {DEFAULT_CIDR}", _vpc_range),
        "availability_zones": whole(2, 6),
        "log_retention_days": aws_values.log_retention_days,
    },
    across=(FieldCheck("availability_zones", _zones_fit_range),),
)


def endpoint_services() -> tuple[str, ...]:
    """The AWS services the functions' code calls: the only ones the network reaches."""
    return contract.CALLED_SERVICES


class PrivateNetwork(pulumi.ComponentResource):
    """A VPC without an internet gateway or NAT: private subnets in several zones, endpoints, flow logs."""

    vpc_id: pulumi.Output[str]
    """The VPC."""
    subnet_ids: pulumi.Output[list[str]]
    """One private subnet per availability zone, for the functions."""
    security_group_id: pulumi.Output[str]
    """The functions' security group: HTTPS out to the endpoints, nothing in."""

    def __init__(self, name: str, args: PrivateNetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        args = INPUTS.check("PrivateNetwork", name, args)
        super().__init__(type_token(PrivateNetwork), name, None, component_options(PrivateNetwork, opts))
        self._prefix = name_prefix(args.get("name_prefix"), name, MAX_PREFIX)
        self._tags = dict(args.get("tags", {}))
        zones = args.get("availability_zones", DEFAULT_ZONES)
        child = pulumi.ResourceOptions(parent=self)
        invoke = pulumi.InvokeOutputOptions(parent=self)
        region = aws.get_region_output(opts=invoke).region
        names = aws.get_availability_zones_output(state="available", opts=invoke).names

        self.vpc = aws.ec2.Vpc(
            self._child_name("vpc"),
            cidr_block=args.get("cidr_block", DEFAULT_CIDR),
            # Private DNS of interface endpoints needs both.
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags={**self._tags, "Name": self._child_name("vpc")},
            opts=child,
        )
        # Every VPC comes with a default security group that lets its members reach each other and
        # anything outside. Nothing here uses it; adopted with no rules, nothing can (CIS AWS 5.4,
        # Security Hub EC2.2, checkov CKV2_AWS_12). Deleting this resource leaves AWS's group as is.
        aws.ec2.DefaultSecurityGroup(
            self._child_name("default-sg"),
            vpc_id=self.vpc.id,
            ingress=[],
            egress=[],
            tags={**self._tags, "Name": self._child_name("default-sg")},
            opts=child,
        )
        route_table = aws.ec2.RouteTable(
            self._child_name("private"),
            vpc_id=self.vpc.id,
            tags={**self._tags, "Name": self._child_name("private")},
            opts=child,
        )
        subnets = []
        for index in range(zones):
            subnet = aws.ec2.Subnet(
                self._child_name("private", str(index)),
                vpc_id=self.vpc.id,
                availability_zone=names.apply(_nth(index)),
                cidr_block=self.vpc.cidr_block.apply(_subnet_range(index)),
                map_public_ip_on_launch=False,
                tags={**self._tags, "Name": self._child_name("private", str(index))},
                opts=child,
            )
            aws.ec2.RouteTableAssociation(
                self._child_name("private", str(index)), subnet_id=subnet.id, route_table_id=route_table.id, opts=child
            )
            subnets.append(subnet)
        self.security_group = aws.ec2.SecurityGroup(
            self._child_name("functions"),
            vpc_id=self.vpc.id,
            description="Image pipeline functions: HTTPS to the endpoints only",
            tags=self._tags,
            opts=child,
        )
        self.endpoints = {
            service: self._endpoint(service, region, route_table, subnets, child) for service in endpoint_services()
        }
        self._flow_logs(args, child)

        self.vpc_id = self.vpc.id
        self.subnet_ids = pulumi.Output.all(*[s.id for s in subnets]).apply(list)
        self.security_group_id = self.security_group.id
        self.register_outputs(
            {"vpc_id": self.vpc_id, "subnet_ids": self.subnet_ids, "security_group_id": self.security_group_id}
        )

    def _child_name(self, *parts: str) -> str:
        return "-".join((self._prefix, *parts))

    def _endpoint(
        self,
        service: str,
        region: pulumi.Output[str],
        route_table: aws.ec2.RouteTable,
        subnets: list[aws.ec2.Subnet],
        opts: pulumi.ResourceOptions,
    ) -> aws.ec2.VpcEndpoint:
        gateway = service in GATEWAY_SERVICES
        endpoint = aws.ec2.VpcEndpoint(
            self._child_name(service),
            vpc_id=self.vpc.id,
            service_name=region.apply(lambda r: f"com.amazonaws.{r}.{service}"),
            vpc_endpoint_type="Gateway" if gateway else "Interface",
            route_table_ids=[route_table.id] if gateway else None,
            subnet_ids=[s.id for s in subnets] if not gateway else None,
            security_group_ids=[self.security_group.id] if not gateway else None,
            private_dns_enabled=None if gateway else True,
            tags={**self._tags, "Name": self._child_name(service)},
            opts=opts,
        )
        # HTTPS out to the endpoint only: a gateway by its prefix list, an interface by its security group.
        aws.vpc.SecurityGroupEgressRule(
            self._child_name("functions", service, "https"),
            security_group_id=self.security_group.id,
            ip_protocol="tcp",
            from_port=HTTPS,
            to_port=HTTPS,
            prefix_list_id=endpoint.prefix_list_id if gateway else None,
            referenced_security_group_id=None if gateway else self.security_group.id,
            description=f"HTTPS to {service}",
            tags=self._tags,
            opts=opts,
        )
        return endpoint

    def _flow_logs(self, args: PrivateNetworkArgs, opts: pulumi.ResourceOptions) -> None:
        """All traffic of the VPC to an encrypted log group (self.flow_log_group)."""
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        group = self.flow_log_group = aws.cloudwatch.LogGroup(
            self._child_name("flow-logs"),
            name=f"/vpc/{self._child_name('flow-logs')}",
            retention_in_days=args.get("log_retention_days", LOG_RETENTION_DAYS),
            kms_key_id=args["logs_key_arn"],
            tags=self._tags,
            opts=opts,
        )
        role = aws.iam.Role(
            self._child_name("flow-logs-role"),
            assume_role_policy=account.apply(lambda a: json.dumps(flow_logs_assume_role_policy(a))),
            tags=self._tags,
            opts=opts,
        )
        aws.iam.RolePolicy(
            self._child_name("flow-logs-policy"),
            role=role.id,
            policy=group.arn.apply(lambda arn: json.dumps(flow_logs_policy(arn))),
            opts=opts,
        )
        aws.ec2.FlowLog(
            self._child_name("flow-logs"),
            vpc_id=self.vpc.id,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=group.arn,
            iam_role_arn=role.arn,
            max_aggregation_interval=60,
            tags=self._tags,
            opts=opts,
        )


def _nth(index: int) -> Callable[[list[str]], str]:
    def pick(names: list[str]) -> str:
        if index >= len(names):
            raise ValueError(f"the region has {len(names)} availability zones, {index + 1} wanted")
        return names[index]

    return pick


def _subnet_range(index: int) -> Callable[[str], str]:
    """The index-th /20 of the VPC's range."""

    def pick(cidr: str) -> str:
        return str(next(itertools.islice(ipaddress.ip_network(cidr).subnets(new_prefix=20), index, None)))

    return pick
