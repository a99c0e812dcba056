"""Where built layers are kept: a per-user cache outside the package, shared by every project.

The package's own folder may be read-only and shared (`pulumi package add` installs a plugin once
per version for all of a user's projects), so nothing is written there. The cache key names
everything that decides a zip's contents (layers/build.py), so projects can share one cache.
"""

import os
from pathlib import Path
from typing import Final

ENV_LAYER_CACHE: Final = "IMAGEPIPE_LAYER_CACHE"
"""An absolute folder for the layer zips, used as it is."""
ENV_XDG_CACHE_HOME: Final = "XDG_CACHE_HOME"
CACHE_SUBDIR: Final = Path("imagepipe", "layers")
"""Under the user's cache folder."""


def default_cache_dir() -> Path:
    """`$IMAGEPIPE_LAYER_CACHE` if set, else `$XDG_CACHE_HOME/imagepipe/layers`, else `~/.cache/imagepipe/layers`.

    XDG Base Directory Specification (https://specifications.freedesktop.org/basedir-spec/latest/):
    an unset or empty XDG_CACHE_HOME means `$HOME/.cache`, and a relative one is invalid and ignored.
    """
    if chosen := os.environ.get(ENV_LAYER_CACHE):
        path = Path(chosen).expanduser()
        if not path.is_absolute():
            # Relative to what? The plugin runs with the engine's working directory, not the user's.
            raise ValueError(f"{ENV_LAYER_CACHE} must be an absolute path, not {chosen!r}")
        return path
    xdg = os.environ.get(ENV_XDG_CACHE_HOME, "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / CACHE_SUBDIR
