"""Evaluate the Pulumi program (or any function creating resources) under Pulumi's mock runtime.

No CLI, no AWS, no network: the mock monitor records every registered resource with its
parent, dependencies and resolved inputs; the mocks answer the few provider functions the
program calls and give each resource the computed outputs (ARNs, URLs) AWS would.
"""

import hashlib
import logging
import os
import runpy
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pulumi
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc

from components.lambda_code import ENV_SKIP_LAYER_BUILD
from offline.urns import STACK_TYPE, make_urn
from program.config import PROJECT, ROOT, stack_file_values

ACCOUNT_ID = "123456789012"
REGION = "eu-west-1"


@dataclass(frozen=True)
class AliasSpec:
    """One alias as the SDK sends it: a whole old URN, or the parts of it that differ."""

    urn: str = ""
    name: str = ""
    type: str = ""
    stack: str = ""
    project: str = ""
    parent_urn: str = ""
    no_parent: bool = False


@dataclass(frozen=True)
class RecordedResource:
    urn: str
    type: str
    name: str
    parent_urn: str
    custom: bool
    inputs: dict[str, Any]
    dependencies: tuple[str, ...]
    outputs: dict[str, Any] = field(default_factory=dict)
    aliases: tuple[AliasSpec, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        # A component and its child may share a name; type and name together are unique.
        return (self.type, self.name)


@dataclass
class Evaluation:
    """What a program run under mocks registered."""

    stack: str
    resources: list[RecordedResource]
    exports: dict[str, Any]
    engine_warnings: list[str]
    python_warnings: list[warnings.WarningMessage] = field(default_factory=list)

    def of_type(self, type_: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, name: str | None = None) -> RecordedResource:
        found = [r for r in self.of_type(type_) if name is None or r.name == name]
        if len(found) != 1:
            names = [r.name for r in self.of_type(type_)]
            raise LookupError(f"expected one {type_} named {name!r}, found {len(found)} among {names}")
        return found[0]

    def by_urn(self, urn: str) -> RecordedResource:
        for r in self.resources:
            if r.urn == urn:
                return r
        raise LookupError(urn)

    def parent_of(self, resource: RecordedResource) -> RecordedResource | None:
        if not resource.parent_urn:
            return None
        try:
            return self.by_urn(resource.parent_urn)
        except LookupError:
            return None  # the stack


def _arn(service: str, resource: str) -> str:
    return f"arn:aws:{service}:{REGION}:{ACCOUNT_ID}:{resource}"


_EC2_ID_PREFIXES: Final = {"aws:ec2/subnet:Subnet": "subnet", "aws:ec2/securityGroup:SecurityGroup": "sg"}


def ec2_id(type_: str, name: str) -> str:
    """The mock's ID of a subnet or security group, in AWS's own shape (`subnet-` and 17 hex digits),
    which the components' input rules check."""
    return f"{_EC2_ID_PREFIXES[type_]}-{hashlib.sha256(name.encode()).hexdigest()[:17]}"


def _computed_outputs(type_: str, name: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The outputs AWS computes, in the shapes the program reads."""
    physical = inputs.get("name") or f"{name}-0a1b2c3"
    if type_ == "aws:s3/bucket:Bucket":
        bucket = inputs.get("bucket") or f"{name}-0a1b2c3"
        return {"bucket": bucket, "arn": f"arn:aws:s3:::{bucket}", "id": bucket}
    if type_ == "aws:sqs/queue:Queue":
        return {
            "arn": _arn("sqs", physical),
            "url": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT_ID}/{physical}",
        }
    if type_ == "aws:cloudwatch/logGroup:LogGroup":
        return {"arn": _arn("logs", f"log-group:{physical}")}
    if type_ == "aws:dynamodb/table:Table":
        return {"arn": _arn("dynamodb", f"table/{physical}")}
    if type_ == "aws:lambda/function:Function":
        return {"arn": _arn("lambda", f"function:{physical}"), "invokeArn": f"invoke:{physical}"}
    if type_ == "aws:lambda/layerVersion:LayerVersion":
        layer = inputs.get("layerName", name)
        return {"arn": _arn("lambda", f"layer:{layer}:1"), "layerArn": _arn("lambda", f"layer:{layer}")}
    if type_ == "aws:iam/role:Role":
        return {"arn": f"arn:aws:iam::{ACCOUNT_ID}:role/{physical}", "name": physical}
    if type_ == "aws:sns/topic:Topic":
        return {"arn": _arn("sns", physical)}
    if type_ == "aws:kms/key:Key":
        return {"arn": _arn("kms", f"key/{name}-key-id"), "keyId": f"{name}-key-id"}
    if type_ == "aws:cloudwatch/metricAlarm:MetricAlarm":
        return {"arn": _arn("cloudwatch", f"alarm:{physical}")}
    if type_ == "aws:ec2/vpcEndpoint:VpcEndpoint":
        return {"arn": _arn("ec2", f"vpc-endpoint/{name}"), "prefixListId": f"pl-{name}"}
    if type_ == "aws:ec2/vpc:Vpc":
        return {"arn": _arn("ec2", f"vpc/{name}"), "cidrBlock": inputs.get("cidrBlock")}
    if type_ in _EC2_ID_PREFIXES:
        resource_id = ec2_id(type_, name)
        return {"id": resource_id, "arn": _arn("ec2", f"{_EC2_ID_PREFIXES[type_]}/{resource_id}")}
    if type_ == "aws:cloudwatch/compositeAlarm:CompositeAlarm":
        return {"arn": _arn("cloudwatch", f"alarm:{inputs['alarmName']}")}
    return {"arn": _arn(type_.split(":")[1].split("/")[0], physical)}


class ProgramMocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        outputs = _computed_outputs(args.typ, args.name, args.inputs)
        physical_id = outputs.pop("id", f"{args.name}-id")
        return physical_id, {**args.inputs, **outputs}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": ACCOUNT_ID,
                "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/offline",
                "userId": "OFFLINE",
                "id": ACCOUNT_ID,
            }, []
        if args.token == "aws:index/getRegion:getRegion":
            return {"region": REGION, "name": REGION, "id": REGION}, []
        if args.token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}, []
        if args.token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            zones = [f"{REGION}{letter}" for letter in "abc"]
            return {"names": zones, "zoneIds": [f"euw1-az{i}" for i in (1, 2, 3)], "id": REGION}, []
        raise NotImplementedError(f"the offline mocks do not answer {args.token}")


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """A MockMonitor that also keeps each registration's parent and dependencies."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.recorded: list[RecordedResource] = []

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # Pulumi's MockMonitor keeps only the parent's last type; the engine qualifies a child's type with
        # its parent's whole chain, so URNs of nested components would differ from a real deployment's.
        return make_urn(pulumi.get_stack(), pulumi.get_project(), parent or None, type_, name)

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type != STACK_TYPE:
            self.recorded.append(
                RecordedResource(
                    urn=response.urn,
                    type=request.type,
                    name=request.name,
                    parent_urn=request.parent,
                    custom=bool(request.custom),
                    inputs=rpc.deserialize_properties(request.object),
                    dependencies=tuple(request.dependencies),
                    outputs=dict(self.resources[response.urn].state),
                    aliases=tuple(_alias_spec(alias) for alias in request.aliases),
                )
            )
        return response


def _alias_spec(alias: Any) -> AliasSpec:
    if alias.WhichOneof("alias") == "urn":
        return AliasSpec(urn=alias.urn)
    spec = alias.spec
    return AliasSpec(
        name=spec.name,
        type=spec.type,
        stack=spec.stack,
        project=spec.project,
        parent_urn=spec.parentUrn,
        no_parent=spec.noParent,
    )


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _layer_build_skipped() -> Iterator[None]:
    previous = os.environ.get(ENV_SKIP_LAYER_BUILD)
    os.environ[ENV_SKIP_LAYER_BUILD] = "1"
    try:
        yield
    finally:
        if previous is None:
            del os.environ[ENV_SKIP_LAYER_BUILD]
        else:
            os.environ[ENV_SKIP_LAYER_BUILD] = previous


def run_under_mocks(
    create: Callable[[], object],
    stack: str = "dev",
    config: Mapping[str, str] | None = None,
    project: str = PROJECT,
    skip_layer_build: bool = True,
) -> Evaluation:
    """Call `create` inside a fresh mock runtime and return everything it registered.

    `config` holds raw values keyed without the project namespace, as in Pulumi.{stack}.yaml.
    With `skip_layer_build` false the Pillow layer is built (or read from the cache) as `pulumi up` would.
    """
    mocks = ProgramMocks()
    monitor = RecordingMonitor(mocks)
    logger = logging.getLogger(f"imagepipe.offline.{id(monitor)}")
    logger.propagate = False
    collector = _WarningCollector()
    logger.addHandler(collector)
    pulumi.runtime.set_all_config({f"{project}:{k}": v for k, v in (config or {}).items()})
    # set_mocks keeps an existing root stack: an earlier evaluation's exports would leak into this one.
    pulumi.runtime.settings.ROOT.set(None)
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, logger=logger, monitor=monitor)
    exports: dict[str, Any] = {}

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def _run() -> pulumi.Output[Any]:
        create()
        root = pulumi.runtime.get_root_resource()
        outputs: dict[str, Any] = dict(getattr(root, "outputs", {}) or {})
        return pulumi.Output.all(**outputs).apply(exports.update)

    layer_build = _layer_build_skipped() if skip_layer_build else nullcontext()
    with warnings.catch_warnings(record=True) as caught, layer_build:
        warnings.simplefilter("always")
        _run()
    pulumi.runtime.set_all_config({})
    return Evaluation(
        stack=stack,
        resources=list(monitor.recorded),
        exports=exports,
        engine_warnings=collector.messages,
        python_warnings=list(caught),
    )


def evaluate_program(
    stack: str, config: Mapping[str, str] | None = None, program: Path = ROOT / "__main__.py"
) -> Evaluation:
    """Run `__main__.py` for a stack (config from Pulumi.{stack}.yaml unless given) under mocks."""
    values = stack_file_values(stack) if config is None else dict(config)
    return run_under_mocks(lambda: runpy.run_path(str(program), run_name="__main__"), stack=stack, config=values)
