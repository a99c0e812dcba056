"""The real Pillow layer, built from PyPI for both architectures (needs the package index, as CI has).

One build per architecture is shared by the tests below; each checks one property of it.
"""

import hashlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from layers.build import ARCHITECTURES, MACHINES, PILLOW_REQUIREMENTS, Architecture, LayerBuild, build_layer
from layers.elf import elf_machine, is_shared_object

pytestmark = pytest.mark.layer_build


@dataclass(frozen=True)
class RealLayer:
    build: LayerBuild
    cache_dir: Path
    unpacked: Path


@pytest.fixture(scope="module", params=ARCHITECTURES)
def real_layer(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealLayer]:
    architecture: Architecture = request.param
    cache_dir = tmp_path_factory.mktemp(f"layers-{architecture}")
    build = build_layer(PILLOW_REQUIREMENTS, "3.12", architecture, cache_dir)
    unpacked = tmp_path_factory.mktemp(f"unpacked-{architecture}")
    with zipfile.ZipFile(build.zip_path) as archive:
        archive.extractall(unpacked)
    yield RealLayer(build, cache_dir, unpacked)


def test_layer_has_the_pil_package_under_python(real_layer: RealLayer) -> None:
    with zipfile.ZipFile(real_layer.build.zip_path) as archive:
        names = set(archive.namelist())

    assert "python/PIL/__init__.py" in names
    assert "python/PIL/Image.py" in names
    assert {name.split("/")[0] for name in names} == {"python"}


def test_layer_holds_exactly_the_pinned_pillow(real_layer: RealLayer) -> None:
    metadata = (real_layer.unpacked / "python" / "pillow-13.0.0.dist-info" / "METADATA").read_text()

    assert "\nVersion: 13.0.0\n" in metadata
    assert PILLOW_REQUIREMENTS.read_text().splitlines()[-1] == "Pillow==13.0.0"
    assert [(wheel.name, wheel.version) for wheel in real_layer.build.wheels] == [("pillow", "13.0.0")]


def test_every_shared_object_is_built_for_the_layer_architecture(real_layer: RealLayer) -> None:
    site = real_layer.unpacked / "python"
    libraries = [path for path in site.rglob("*") if is_shared_object(path)]

    machines = {path.relative_to(site).as_posix(): elf_machine(path) for path in libraries}

    assert any(name.startswith("PIL/_imaging.cpython-312-") for name in machines)
    assert set(machines.values()) == {MACHINES[real_layer.build.architecture]}


def test_layer_zip_is_between_5_and_12_mb(real_layer: RealLayer) -> None:
    size = real_layer.build.zip_path.stat().st_size

    assert 5_000_000 <= size <= 12_000_000


def test_second_build_is_a_cache_hit_with_the_same_sha256(real_layer: RealLayer) -> None:
    first = real_layer.build

    again = build_layer(PILLOW_REQUIREMENTS, "3.12", first.architecture, real_layer.cache_dir)

    assert first.cached is False
    assert (again.cached, again.zip_path, again.sha256) == (True, first.zip_path, first.sha256)
    assert again.sha256 == hashlib.sha256(first.zip_path.read_bytes()).hexdigest()


def test_rebuild_from_an_empty_cache_gives_identical_bytes(real_layer: RealLayer, tmp_path: Path) -> None:
    first = real_layer.build

    rebuilt = build_layer(PILLOW_REQUIREMENTS, "3.12", first.architecture, tmp_path / "fresh-cache")

    assert rebuilt.cached is False
    assert rebuilt.sha256 == first.sha256
