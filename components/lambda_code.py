"""The archives the function is deployed from: its code and its Pillow layer."""

import os
from pathlib import Path

import pulumi

from layers.build import DEFAULT_CACHE_DIR, DEFAULT_PYTHON_VERSION, PILLOW_REQUIREMENTS, Architecture, build_layer
from layers.pins import parse_pins

# The package's own handlers/, beside components/: the function's code ships with the components.
HANDLERS_DIR = Path(__file__).resolve().parent.parent / "handlers"
# One Python version for the runtime and the layer's wheels.
LAMBDA_PYTHON = DEFAULT_PYTHON_VERSION
# Set by the offline plan and the tests: evaluate the program without downloading the layer.
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
    """Build (or reuse from the cache) the layer zip for this architecture."""
    if os.environ.get(ENV_SKIP_LAYER_BUILD) == "1":
        # Stands in for the zip in offline evaluation; names what a real run would build.
        pins = " ".join(f"{p.name}=={p.version}" for p in parse_pins(PILLOW_REQUIREMENTS.read_text()))
        return pulumi.AssetArchive(
            {"python/LAYER": pulumi.StringAsset(f"{pins} for python{LAMBDA_PYTHON} {architecture}\n")}
        )
    built = build_layer(PILLOW_REQUIREMENTS, LAMBDA_PYTHON, architecture, cache_dir or DEFAULT_CACHE_DIR)
    return pulumi.FileArchive(str(built.zip_path))
