"""The archives the function is deployed from: its code and its Pillow layer."""

import os
from pathlib import Path

import pulumi

from layers.build import DEFAULT_PYTHON_VERSION, PILLOW_REQUIREMENTS, Architecture, build_layer
from layers.cache_dir import default_cache_dir
from layers.pins import parse_pins

# The package's own handlers/, beside components/: the function's code ships with the components.
HANDLERS_DIR = Path(__file__).resolve().parent.parent / "handlers"
# One Python version for the runtime and the layer's wheels.
LAMBDA_PYTHON = DEFAULT_PYTHON_VERSION
# A test and offline switch (the offline plan, the tests), not a way to deploy: "1" evaluates the
# program without building the layer, and the archive holds only a note of what would be built.
ENV_SKIP_LAYER_BUILD = "IMAGEPIPE_SKIP_LAYER_BUILD"


def handler_code_archive(handlers_dir: Path = HANDLERS_DIR) -> pulumi.AssetArchive:
    """`handlers/**/*.py` under `handlers/` in the zip; no bytecode caches, so the hash is stable."""
    assets: dict[str, pulumi.Asset | pulumi.Archive] = {}
    for path in sorted(handlers_dir.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        assets[path.relative_to(handlers_dir.parent).as_posix()] = pulumi.FileAsset(str(path))
    return pulumi.AssetArchive(assets)


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
