"""The package works for a stranger: from only the git-tracked files, the plugin starts the way the Pulumi
CLI starts it, without Pillow, and serves the package's version and the committed schema over gRPC.

One plugin start for the whole module (about 2 s idle; more on a loaded machine).
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc  # type: ignore[import-untyped]  # no stubs installed; the CLI side of the wire
import pytest
from google.protobuf import empty_pb2  # type: ignore[import-untyped]
from pulumi.runtime.proto import provider_pb2
from pulumi.runtime.proto.provider_pb2_grpc import ResourceProviderStub

from components.type_tokens import VERSION
from program.config import ROOT
from tests.package.stranger import (
    PluginVenv,
    copy_tracked_files,
    make_plugin_venv,
    plugin_folder,
    started_plugin,
    tracked_files,
)


@dataclass(frozen=True)
class Stranger:
    clone: Path
    venv: PluginVenv
    provider: ResourceProviderStub


@pytest.fixture(scope="module")
def stranger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stranger]:
    # GIVEN only what `pulumi package add` would clone, and the plugin's own venv (no Pillow in it)
    clone = copy_tracked_files(tmp_path_factory.mktemp("clone"))
    plugin = clone / plugin_folder()
    plugin_venv = make_plugin_venv(plugin)
    # WHEN the plugin is started as the language host starts it
    with (
        started_plugin(plugin_venv.python, plugin, clone.parent / "plugin-stderr.txt") as running,
        grpc.insecure_channel(f"127.0.0.1:{running.port}") as channel,
    ):
        yield Stranger(clone, plugin_venv, ResourceProviderStub(channel))


def test_the_clone_holds_no_untracked_file(stranger: Stranger) -> None:
    copied = sorted(p.relative_to(stranger.clone).as_posix() for p in stranger.clone.rglob("*") if p.is_file())
    copied = [name for name in copied if not name.startswith("plugin/venv/") and "__pycache__" not in name]
    assert copied == sorted(tracked_files())


def test_plugin_reports_the_package_version(stranger: Stranger) -> None:
    info = stranger.provider.GetPluginInfo(empty_pb2.Empty(), timeout=60)
    assert info.version == VERSION


def test_plugin_serves_the_committed_schema(stranger: Stranger) -> None:
    response = stranger.provider.GetSchema(provider_pb2.GetSchemaRequest(version=0), timeout=60)
    assert json.loads(response.schema) == json.loads((ROOT / "schema.json").read_text())


def test_plugin_started_without_trying_to_import_pillow(stranger: Stranger) -> None:
    # Ask it something first, so its whole startup and a schema request are behind us
    stranger.provider.GetPluginInfo(empty_pb2.Empty(), timeout=60)

    assert not stranger.venv.pil_attempts.exists(), stranger.venv.pil_attempts.read_text()
