"""Built layers go to a per-user cache outside the package: `$IMAGEPIPE_LAYER_CACHE`, else
`$XDG_CACHE_HOME/imagepipe/layers`, else `~/.cache/imagepipe/layers`; builds at once never clash."""

import threading
from pathlib import Path

import pytest

from layers.build import LayerBuild, build_layer, main
from layers.cache_dir import default_cache_dir
from tests.layers.fake_pip import FakePip, write_requirements


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of its own and no cache variables set."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("IMAGEPIPE_LAYER_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    return tmp_path / "home"


def test_without_any_setting_the_cache_is_under_the_home_folder(home: Path) -> None:
    assert default_cache_dir() == home / ".cache" / "imagepipe" / "layers"


def test_xdg_cache_home_is_used_when_set(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))

    assert default_cache_dir() == tmp_path / "xdg" / "imagepipe" / "layers"


@pytest.mark.parametrize("value", ["", "relative/cache"], ids=["empty", "relative"])
def test_empty_or_relative_xdg_cache_home_is_ignored(home: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    # The XDG Base Directory spec: unset or empty means $HOME/.cache; a relative path is invalid
    monkeypatch.setenv("XDG_CACHE_HOME", value)

    assert default_cache_dir() == home / ".cache" / "imagepipe" / "layers"


def test_imagepipe_layer_cache_wins_over_xdg(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("IMAGEPIPE_LAYER_CACHE", str(tmp_path / "layers"))

    assert default_cache_dir() == tmp_path / "layers"


def test_relative_imagepipe_layer_cache_is_refused_by_name(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMAGEPIPE_LAYER_CACHE", "cache")

    with pytest.raises(ValueError) as raised:
        default_cache_dir()

    assert str(raised.value) == "IMAGEPIPE_LAYER_CACHE must be an absolute path, not 'cache'"


def test_cli_without_cache_dir_builds_into_the_user_cache(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN no --cache-dir, and a pip that installs a fabricated Pillow
    pip = FakePip(tmp_path / "pip-calls.jsonl")
    monkeypatch.setattr("layers.build.default_pip", pip.command)
    requirements = write_requirements(tmp_path)

    # WHEN the CLI builds the arm64 layer
    code = main(["--arch", "arm64", "--requirements", str(requirements)])

    # THEN the zip is in ~/.cache/imagepipe/layers
    assert code == 0
    [zip_path] = (home / ".cache" / "imagepipe" / "layers").glob("*.zip")
    assert capsys.readouterr().out.split()[:3] == ["arm64", "built", str(zip_path)]


def test_two_builds_into_one_cache_at_once_both_get_the_complete_zip(tmp_path: Path) -> None:
    # GIVEN two projects building the same layer into one cache at the same time
    requirements = write_requirements(tmp_path)
    pip = FakePip(tmp_path / "pip-calls.jsonl")
    results: list[LayerBuild] = []
    barrier = threading.Barrier(2)

    def build() -> None:
        barrier.wait()
        results.append(build_layer(requirements, "3.12", "arm64", tmp_path / "cache", pip=pip.command()))

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # THEN both got the one zip, whole, and nothing half-written is left beside it
    [first, second] = results
    assert (first.zip_path, first.sha256) == (second.zip_path, second.sha256)
    assert [path.name for path in (tmp_path / "cache").iterdir()] == [first.zip_path.name]
    assert build_layer(requirements, "3.12", "arm64", tmp_path / "cache", pip=("false",)).cached is True
