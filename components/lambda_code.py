"""The archives the function is deployed from: its code and its Pillow layer."""

import os
from pathlib import Path

import pulumi

from layers.build import DEFAULT_PYTHON_VERSION, PILLOW_REQUIREMENTS, Architecture, build_layer
from layers.cache_dir import default_cache_dir
from layers.pins import parse_pins

# The package's own handlers/, beside components/: the function's code ships with the components.
HANDLERS_DIR = Path(__file__).resolve().parent.parent / "handlers"
# The filter-pattern evaluator (pure Python, stdlib only): the alert formatter checks each line it
# shows against the alarm's own pattern. One copy, shipped beside handlers/ rather than copied into it.
LOGFILTER_DIR = Path(__file__).resolve().parent.parent / "logfilter"
CODE_PACKAGES = (HANDLERS_DIR, LOGFILTER_DIR)
# One Python version for the runtime and the layer's wheels.
LAMBDA_PYTHON = DEFAULT_PYTHON_VERSION
# A test and offline switch (the offline plan, the tests), not a way to deploy: "1" evaluates the
# program without building the layer, and the archive holds only a note of what would be built.
ENV_SKIP_LAYER_BUILD = "IMAGEPIPE_SKIP_LAYER_BUILD"


def code_files(*packages: Path) -> dict[str, Path]:
    """`<package>/**/*.py` of each package (default: handlers/ and logfilter/), by its path in the zip."""
    files: dict[str, Path] = {}
    for package in packages or CODE_PACKAGES:
        for path in sorted(package.rglob("*.py")):
            if "__pycache__" not in path.parts:
                files[path.relative_to(package.parent).as_posix()] = path
    return files


def handler_code_archive(*packages: Path) -> pulumi.AssetArchive:
    """The packages' Python files in the zip; no bytecode caches, so the hash is stable."""
    return pulumi.AssetArchive({name: pulumi.FileAsset(str(path)) for name, path in code_files(*packages).items()})


def pillow_layer_archive(architecture: Architecture, cache_dir: Path | None = None) -> pulumi.Archive:
    """Build (or reuse from the cache) the layer zip for this architecture.

    `cache_dir` defaults to the per-user cache (layers/cache_dir.py), never the package's folder.
    """
    if os.environ.get(ENV_SKIP_LAYER_BUILD) == "1":
        # Stands in for the zip in offline evaluation; names what a real run would build.
        pins = " ".join(f"{p.name}=={p.version}" for p in parse_pins(PILLOW_REQUIREMENTS.read_text()))
        return pulumi.AssetArchive(
            {"python/LAYER": pulumi.StringAsset(f"{pins} for python{LAMBDA_PYTHON} {architecture}\n")}
        )
    built = build_layer(
        PILLOW_REQUIREMENTS, LAMBDA_PYTHON, architecture, default_cache_dir() if cache_dir is None else cache_dir
    )
    return pulumi.FileArchive(str(built.zip_path))
