"""Build a Lambda layer zip from pinned requirements: `python/` at its root, reproducible, cached.

    python -m layers.build [--arch arm64|x86_64|all] [--python 3.12] [--cache-dir DIR]

pip downloads wheels for the function's runtime, not this machine's: CPython `--python-version`,
manylinux for the Lambda architecture. What it picked is checked (exact pinned versions, wheel
tags, ELF machine of every shared object) before the zip is written. The zip is cached under a
key of everything that decides its contents, so a second run reads it and never calls pip; the cache
is per user, outside the package (layers/cache_dir.py), and written atomically: pip installs into a
temporary folder and the zip is renamed into place complete (layers/zipping.py).
"""

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from layers.cache_dir import default_cache_dir
from layers.dist_info import PickedWheel, check_wheels, wheels_in_dir, wheels_in_zip
from layers.elf import foreign_shared_objects
from layers.errors import LayerBuildError
from layers.pins import Pin, parse_pins
from layers.target_runtime import pip_platforms
from layers.zipping import write_reproducible_zip

Architecture = Literal["arm64", "x86_64"]
ARCHITECTURES: Final[tuple[Architecture, ...]] = ("arm64", "x86_64")
MACHINES: Final[dict[Architecture, str]] = {"arm64": "aarch64", "x86_64": "x86_64"}
"""Lambda's architecture names to the machine names in wheel tags and ELF headers."""

DEFAULT_PYTHON_VERSION: Final = "3.12"
PILLOW_REQUIREMENTS: Final = Path(__file__).resolve().parent / "pillow" / "requirements.txt"
LAYER_NAME: Final = "pillow"
SITE_DIR: Final = "python"
"""Lambda puts /opt/python (the layer's `python/`) on sys.path for Python runtimes."""

BUILD_FORMAT_VERSION: Final = 1
"""Part of the cache key: bump it when pip's flags, the checks or the zip format change."""

_PYTHON_VERSION = re.compile(r"3\.\d{1,2}")


@dataclass(frozen=True)
class LayerBuild:
    """A layer zip ready to publish."""

    zip_path: Path
    sha256: str
    """Hex digest of the zip: the same for the same requirements, Python and architecture."""
    python_version: str
    architecture: Architecture
    wheels: tuple[PickedWheel, ...]
    """What the layer holds, as its dist-infos say."""
    cached: bool
    """True if the zip was already in the cache and pip did not run."""


def cache_key(requirements: bytes, python_version: str, architecture: Architecture) -> str:
    """Hex sha256 of everything that decides the zip's contents."""
    fields = {
        "architecture": architecture,
        "build_format_version": BUILD_FORMAT_VERSION,
        "python_version": python_version,
        "requirements_sha256": hashlib.sha256(requirements).hexdigest(),
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def cached_zip_path(cache_dir: Path, python_version: str, architecture: Architecture, key: str) -> Path:
    return cache_dir / f"{LAYER_NAME}-{python_version}-{architecture}-{key[:16]}.zip"


def default_pip() -> tuple[str, ...]:
    """The pip of the interpreter running the build (the project's .venv)."""
    return (sys.executable, "-m", "pip")


def build_layer(
    requirements: Path,
    python_version: str,
    architecture: Architecture,
    cache_dir: Path,
    pip: Sequence[str] | None = None,
) -> LayerBuild:
    """Return the layer zip for these requirements, building it only if the cache lacks it.

    `pip` is the command prefix to run pip (default: this interpreter's). Raises
    LayerBuildError if pip fails or picks anything but the pinned versions for this runtime;
    nothing is written to the cache then.
    """
    if architecture not in MACHINES:
        raise ValueError(f"architecture must be one of {', '.join(ARCHITECTURES)}, not {architecture!r}")
    if not _PYTHON_VERSION.fullmatch(python_version):
        raise ValueError(f"python_version must look like 3.12, not {python_version!r}")
    machine = MACHINES[architecture]
    requirement_bytes = requirements.read_bytes()
    pins = parse_pins(requirement_bytes.decode("utf-8"), source=str(requirements))
    zip_path = cached_zip_path(
        cache_dir, python_version, architecture, cache_key(requirement_bytes, python_version, architecture)
    )

    if (wheels := _verified_cached_wheels(zip_path, pins, python_version, machine)) is not None:
        return LayerBuild(zip_path, _sha256(zip_path), python_version, architecture, wheels, cached=True)

    with tempfile.TemporaryDirectory(prefix="layer-build-") as temporary:
        root = Path(temporary)
        site = root / SITE_DIR
        _pip_install(default_pip() if pip is None else pip, requirements, site, python_version, machine)
        wheels = wheels_in_dir(site)
        check_wheels(wheels, pins, python_version, machine)
        _check_shared_objects(site, architecture)
        write_reproducible_zip(root, zip_path)
    return LayerBuild(zip_path, _sha256(zip_path), python_version, architecture, wheels, cached=False)


def _verified_cached_wheels(
    zip_path: Path, pins: Sequence[Pin], python_version: str, machine: str
) -> tuple[PickedWheel, ...] | None:
    """The wheels in a cached zip if it exists and passes the build's checks, else None (rebuild)."""
    if not zip_path.is_file():
        return None
    try:
        with zipfile.ZipFile(zip_path) as archive:
            wheels = wheels_in_zip(archive, SITE_DIR)
        check_wheels(wheels, pins, python_version, machine)
    except (zipfile.BadZipFile, LayerBuildError, UnicodeDecodeError):
        return None
    return wheels


def pip_install_command(
    pip: Sequence[str], requirements: Path, site: Path, python_version: str, machine: str
) -> list[str]:
    """The pip command that installs wheels for the Lambda runtime into `site`."""
    platforms = [flag for platform in pip_platforms(machine) for flag in ("--platform", platform)]
    return [
        *pip,
        "install",
        "--disable-pip-version-check",
        "--no-input",
        "--target",
        str(site),
        "--only-binary=:all:",
        "--implementation",
        "cp",
        "--python-version",
        python_version,
        *platforms,
        # The requirements list every distribution; check_wheels refuses unpinned dependencies.
        "--no-deps",
        # pip would compile with this interpreter, which need not be the runtime's Python.
        "--no-compile",
        "--requirement",
        str(requirements),
    ]


def _pip_install(pip: Sequence[str], requirements: Path, site: Path, python_version: str, machine: str) -> None:
    command = pip_install_command(pip, requirements, site, python_version, machine)
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise LayerBuildError(f"cannot run pip ({' '.join(pip)}): {error}") from error
    if result.returncode != 0:
        output = (result.stderr.strip() or result.stdout.strip()).splitlines()[-20:]
        raise LayerBuildError(f"pip install failed with exit code {result.returncode}:\n" + "\n".join(output))


def _check_shared_objects(site: Path, architecture: Architecture) -> None:
    """Belt and braces behind the tag check: a wrong-machine library only fails at import on Lambda."""
    machine = MACHINES[architecture]
    try:
        foreign = foreign_shared_objects(site, machine)
    except ValueError as error:
        raise LayerBuildError(str(error)) from error
    if foreign:
        path, found = foreign[0]
        raise LayerBuildError(
            f"{path.relative_to(site.parent)} is built for {found}, not {machine}"
            f" ({len(foreign)} such files): the {architecture} layer could not load it"
        )


def _sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _architectures(choice: str) -> tuple[Architecture, ...]:
    return tuple(architecture for architecture in ARCHITECTURES if choice in ("all", architecture))


def _summary(build: LayerBuild) -> str:
    path = build.zip_path.resolve()
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    size = build.zip_path.stat().st_size / 2**20
    state = "cached" if build.cached else "built"
    return f"{build.architecture:<6}  {state:<6}  {shown}  {size:.1f} MiB  sha256 {build.sha256}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m layers.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--arch", choices=[*ARCHITECTURES, "all"], default="all", help="default: all")
    parser.add_argument(
        "--python", dest="python_version", default=DEFAULT_PYTHON_VERSION, help="the function's runtime (3.12)"
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="default: $IMAGEPIPE_LAYER_CACHE, else $XDG_CACHE_HOME/imagepipe/layers, else ~/.cache/imagepipe/layers",
    )
    parser.add_argument(
        "--requirements", type=Path, default=PILLOW_REQUIREMENTS, help="default: layers/pillow/requirements.txt"
    )
    args = parser.parse_args(argv)
    for architecture in _architectures(args.arch):
        try:
            cache_dir = default_cache_dir() if args.cache_dir is None else args.cache_dir
            build = build_layer(args.requirements, args.python_version, architecture, cache_dir)
        except (LayerBuildError, ValueError) as error:
            print(f"{architecture}: {error}", file=sys.stderr)
            return 1
        print(_summary(build), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
