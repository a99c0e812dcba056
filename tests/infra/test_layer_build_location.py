"""Constructing an ImagePipeline builds its layer in the user's cache and writes nothing in the package."""

import os
from pathlib import Path

import pytest

from components.image_pipeline import ImagePipeline
from offline.runtime import run_under_mocks
from program.config import ROOT
from tests.layers.fake_pip import FakePip

# Written by the tools running the tests, not by the package.
_NOT_THE_PACKAGE = frozenset(
    {".venv", ".git", "__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache"}
)


def package_files() -> dict[str, tuple[int, int]]:
    """Every file and folder of the repository with its mtime and size."""
    found: dict[str, tuple[int, int]] = {}
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in _NOT_THE_PACKAGE]
        for name in [*subfolders, *files]:
            path = Path(folder, name)
            status = path.lstat()
            found[path.relative_to(ROOT).as_posix()] = (status.st_mtime_ns, status.st_size)
    return found


def test_pipeline_builds_its_layer_in_the_user_cache_and_leaves_the_package_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a user with no cache settings, and a pip that installs a fabricated Pillow (no network)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("IMAGEPIPE_LAYER_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    pip = FakePip(tmp_path / "pip-calls.jsonl")
    monkeypatch.setattr("layers.build.default_pip", pip.command)
    before = package_files()

    # WHEN an ImagePipeline is constructed with the layer really built, as `pulumi up` does
    ev = run_under_mocks(lambda: ImagePipeline("media", {}), skip_layer_build=False)

    # THEN pip ran once, the layer published is the zip in ~/.cache/imagepipe/layers
    assert len(pip.calls()) == 1
    [zip_path] = (tmp_path / "home" / ".cache" / "imagepipe" / "layers").glob("pillow-3.12-arm64-*.zip")
    code = ev.one("aws:lambda/layerVersion:LayerVersion").inputs["code"]
    assert code.path == str(zip_path)
    # AND no file or folder of the package was added, removed or changed
    assert package_files() == before
