"""The pack served as Pulumi serves it: `python policy` in a process of its own, asked over gRPC.

The Pulumi CLI starts the pack, reads the port it prints, asks for its policies and their config schemas,
hands it the reconciled config (`Configure`) and sends each resource (`Analyze`) and then the whole stack
(`AnalyzeStack`). These tests play the CLI's part with the engine's own protobuf messages, so the
policies are proven through the real server, serialization (camelCase structs) and config delivery.
"""

import select
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]  # no stubs installed; the CLI side of the wire
import pytest
from google.protobuf import empty_pb2, struct_pb2  # type: ignore[import-untyped]
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from tests.policy.engine import PACK, QUIET_ENV, urn_of


def struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(dict(values))
    return message


@pytest.fixture(scope="module")
def analyzer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    cwd: Path = tmp_path_factory.mktemp("pack")
    # `-u` as Pulumi's policy runner has it: the pack writes its port without flushing.
    server = subprocess.Popen(
        [sys.executable, "-u", str(PACK)], cwd=cwd, env=QUIET_ENV, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        ready, _, _ = select.select([server.stdout], [], [], 30)
        assert ready, "the pack printed no port within 30 s"
        port = server.stdout.readline().strip()
        assert port.isdigit(), f"the pack printed {port!r} instead of its port"
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield analyzer_pb2_grpc.AnalyzerStub(channel)
    finally:
        server.terminate()
        server.wait(timeout=10)


def configure(analyzer: analyzer_pb2_grpc.AnalyzerStub, **flags: bool) -> None:
    """What the CLI sends after reconciling a config file: a level and properties per configured policy."""
    policies = ("protected-no-force-destroy", "protected-no-cleanup-schedule")
    config = {
        name: analyzer_pb2.PolicyConfig(enforcementLevel=analyzer_pb2.MANDATORY, properties=struct(flags))
        for name in policies
    }
    analyzer.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=config))


def analyze(analyzer: analyzer_pb2_grpc.AnalyzerStub, type_: str, name: str, props: Mapping[str, Any]) -> Any:
    request = analyzer_pb2.AnalyzeRequest(
        type=type_,
        name=name,
        urn=urn_of(type_, name),
        properties=struct(props),
        options=analyzer_pb2.AnalyzerResourceOptions(),
    )
    return analyzer.Analyze(request)


def test_the_pack_describes_its_policies_levels_and_posture_config(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    info = analyzer.GetAnalyzerInfo(empty_pb2.Empty())
    policies = {p.name: p for p in info.policies}
    assert (info.name, info.supportsConfig, len(policies)) == ("imagepipe-guard-rails", True, 18)
    assert policies["s3-bucket-tls-only"].enforcementLevel == analyzer_pb2.MANDATORY
    assert policies["s3-bucket-lifecycle-rules"].enforcementLevel == analyzer_pb2.ADVISORY
    schema = policies["protected-no-force-destroy"].configSchema.properties["protected"]
    assert (schema["type"], schema["default"]) == ("boolean", True)


def test_a_protected_stack_refuses_force_destroy_and_a_disposable_one_lets_it_be(
    analyzer: analyzer_pb2_grpc.AnalyzerStub,
) -> None:
    bucket = ("aws:s3/bucket:Bucket", "uploads", {"forceDestroy": True, "tags": {"Environment": "prod"}})

    configure(analyzer, protected=True)
    refused = analyze(analyzer, *bucket)
    assert [(d.policyName, d.enforcementLevel) for d in refused.diagnostics] == [
        ("protected-no-force-destroy", analyzer_pb2.MANDATORY)
    ]
    assert refused.diagnostics[0].message.endswith(
        "bucket uploads has forceDestroy: `pulumi destroy` would delete every object in it"
    )

    configure(analyzer, protected=False)
    allowed = analyze(analyzer, *bucket)
    assert list(allowed.diagnostics) == []
    assert "protected-no-force-destroy" in {n.policy_name for n in allowed.not_applicable}


def test_a_bare_bucket_in_a_stack_is_refused_by_every_bucket_rule(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    type_ = "aws:s3/bucket:Bucket"
    bucket = analyzer_pb2.AnalyzerResource(
        type=type_,
        name="uploads",
        urn=urn_of(type_, "uploads"),
        properties=struct({"bucket": "uploads-3f2a", "arn": "arn:aws:s3:::uploads-3f2a", "forceDestroy": False}),
    )
    response = analyzer.AnalyzeStack(analyzer_pb2.AnalyzeStackRequest(resources=[bucket]))
    assert sorted((d.policyName, d.enforcementLevel) for d in response.diagnostics) == [
        ("s3-bucket-encrypted", analyzer_pb2.MANDATORY),
        ("s3-bucket-lifecycle-rules", analyzer_pb2.ADVISORY),
        ("s3-bucket-public-access-blocked", analyzer_pb2.MANDATORY),
        ("s3-bucket-tls-only", analyzer_pb2.MANDATORY),
    ]
    assert {d.urn for d in response.diagnostics} == {urn_of(type_, "uploads")}
