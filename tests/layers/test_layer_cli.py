"""`python -m layers.build` prints where each layer is, its size and hash, and whether it was cached."""

import hashlib
from pathlib import Path

import pytest

from layers.build import cache_key, cached_zip_path, main
from layers.zipping import write_reproducible_zip
from tests.layers.fake_pip import write_requirements, write_site


def test_cli_reports_a_cached_layer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN the arm64 layer is already cached
    requirements = write_requirements(tmp_path)
    zip_path = cached_zip_path(
        tmp_path / "cache", "3.12", "arm64", cache_key(requirements.read_bytes(), "3.12", "arm64")
    )
    write_site(tmp_path / "tree" / "python")
    write_reproducible_zip(tmp_path / "tree", zip_path)
    digest = hashlib.sha256(zip_path.read_bytes()).hexdigest()

    # WHEN the CLI builds it
    code = main(["--arch", "arm64", "--cache-dir", str(tmp_path / "cache"), "--requirements", str(requirements)])

    # THEN it reports the cached zip
    assert code == 0
    line = capsys.readouterr().out.strip()
    assert line.split()[:3] == ["arm64", "cached", str(zip_path)]
    assert line.endswith(f"MiB  sha256 {digest}")


def test_cli_exits_1_with_the_reason_when_a_layer_cannot_be_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    requirements = write_requirements(tmp_path, "Pillow>=13\n")

    code = main(["--arch", "x86_64", "--cache-dir", str(tmp_path / "cache"), "--requirements", str(requirements)])

    assert code == 1
    assert capsys.readouterr().err == f"x86_64: {requirements}:1: 'Pillow>=13' is not an exact pin (name==version)\n"
