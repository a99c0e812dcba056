"""The layer cache: keyed by requirements, Python version, architecture and build format."""

import hashlib
from pathlib import Path

import pytest

from layers import build
from layers.build import build_layer, cache_key, cached_zip_path
from layers.dist_info import PickedWheel
from layers.zipping import write_reproducible_zip
from tests.layers.fake_pip import FAILING_PIP, FakePip, write_requirements, write_site

REQUIREMENTS = b"Pillow==13.0.0\n"


def _cached_zip_for(requirements: Path, cache_dir: Path, tmp_path: Path) -> Path:
    """Put a zip where build_layer looks for the arm64 / 3.12 layer of these requirements."""
    key = cache_key(requirements.read_bytes(), "3.12", "arm64")
    zip_path = cached_zip_path(cache_dir, "3.12", "arm64", key)
    root = tmp_path / "prebuilt"
    write_site(root / "python")
    write_reproducible_zip(root, zip_path)
    return zip_path


def test_cached_layer_is_returned_without_running_pip(tmp_path: Path) -> None:
    # GIVEN a valid layer zip already in the cache for these inputs
    requirements = write_requirements(tmp_path)
    zip_path = _cached_zip_for(requirements, tmp_path / "cache", tmp_path)

    # WHEN the layer is built with a pip that fails if it runs
    layer = build_layer(requirements, "3.12", "arm64", tmp_path / "cache", pip=FAILING_PIP)

    # THEN the cached zip is returned as it is, with what it holds
    assert layer.cached is True
    assert layer.zip_path == zip_path
    assert layer.sha256 == hashlib.sha256(zip_path.read_bytes()).hexdigest()
    assert [(wheel.name, wheel.version) for wheel in layer.wheels] == [("pillow", "13.0.0")]


def test_second_build_is_a_cache_hit_with_the_same_sha256(tmp_path: Path) -> None:
    # GIVEN a first build
    requirements = write_requirements(tmp_path)
    pip = FakePip(tmp_path / "pip-calls.jsonl")
    first = build_layer(requirements, "3.12", "arm64", tmp_path / "cache", pip=pip.command())

    # WHEN the same layer is built again
    second = build_layer(requirements, "3.12", "arm64", tmp_path / "cache", pip=pip.command())

    # THEN pip ran once, and the second result is the first zip
    assert (first.cached, second.cached) == (False, True)
    assert len(pip.calls()) == 1
    assert (second.zip_path, second.sha256) == (first.zip_path, first.sha256)
    assert second.wheels == first.wheels == (PickedWheel("pillow", "13.0.0", first.wheels[0].tags),)


def test_cached_file_that_is_not_a_valid_layer_is_rebuilt(tmp_path: Path) -> None:
    # GIVEN a corrupt file where the cached zip would be
    requirements = write_requirements(tmp_path)
    key = cache_key(requirements.read_bytes(), "3.12", "arm64")
    zip_path = cached_zip_path(tmp_path / "cache", "3.12", "arm64", key)
    zip_path.parent.mkdir()
    zip_path.write_bytes(b"half a zip")
    pip = FakePip(tmp_path / "pip-calls.jsonl")

    # WHEN the layer is built
    layer = build_layer(requirements, "3.12", "arm64", tmp_path / "cache", pip=pip.command())

    # THEN pip ran and a real layer replaced the corrupt file
    assert layer.cached is False
    assert len(pip.calls()) == 1
    assert layer.zip_path == zip_path
    assert zip_path.read_bytes()[:4] == b"PK\x03\x04"


def test_cached_zip_for_another_pillow_version_is_not_reused(tmp_path: Path) -> None:
    # GIVEN a zip at the cache path that holds Pillow 12.1.0 (say, copied in by hand)
    requirements = write_requirements(tmp_path)
    key = cache_key(requirements.read_bytes(), "3.12", "arm64")
    root = tmp_path / "stale"
    write_site(root / "python", version="12.1.0")
    write_reproducible_zip(root, cached_zip_path(tmp_path / "cache", "3.12", "arm64", key))
    pip = FakePip(tmp_path / "pip-calls.jsonl")

    # WHEN the layer is built
    layer = build_layer(requirements, "3.12", "arm64", tmp_path / "cache", pip=pip.command())

    # THEN it was rebuilt with the pinned version
    assert layer.cached is False
    assert [wheel.version for wheel in layer.wheels] == ["13.0.0"]


@pytest.mark.parametrize(
    ("requirements", "python_version", "architecture"),
    [
        (b"Pillow==12.1.0\n", "3.12", "arm64"),
        (REQUIREMENTS + b"# a comment\n", "3.12", "arm64"),
        (REQUIREMENTS, "3.13", "arm64"),
        (REQUIREMENTS, "3.12", "x86_64"),
    ],
    ids=["pinned-version", "requirements-bytes", "python-version", "architecture"],
)
def test_cache_key_changes_with_each_input(
    requirements: bytes, python_version: str, architecture: build.Architecture
) -> None:
    # GIVEN the key of Pillow 13.0.0 for Python 3.12 on arm64
    baseline = cache_key(REQUIREMENTS, "3.12", "arm64")

    # WHEN one input differs THEN the key differs
    assert cache_key(requirements, python_version, architecture) != baseline


def test_cache_key_changes_with_the_build_format_version(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN the key under the current build format
    baseline = cache_key(REQUIREMENTS, "3.12", "arm64")

    # WHEN the build format version is bumped
    monkeypatch.setattr(build, "BUILD_FORMAT_VERSION", build.BUILD_FORMAT_VERSION + 1)

    # THEN old cached zips are no longer found
    assert cache_key(REQUIREMENTS, "3.12", "arm64") != baseline


def test_cache_key_is_stable_for_the_same_inputs() -> None:
    assert cache_key(REQUIREMENTS, "3.12", "arm64") == cache_key(bytes(REQUIREMENTS), "3.12", "arm64")


def test_cached_zip_is_named_for_layer_python_architecture_and_key(tmp_path: Path) -> None:
    key = "0123456789abcdef" + "f" * 48

    path = cached_zip_path(tmp_path, "3.12", "x86_64", key)

    assert path == tmp_path / "pillow-3.12-x86_64-0123456789abcdef.zip"
