"""Run as a script in a fresh interpreter: Pillow made unimportable, then load what the program and
the plugin load and evaluate the dev and prod programs under the offline mocks.

Prints one JSON line: the PIL imports attempted (each also failed), the resources each stack
registered, and the repository's modules that ended up loaded.
"""

import importlib
import importlib.abc
import importlib.machinery
import json
import pkgutil
import runpy
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


class NoPillow(importlib.abc.MetaPathFinder):
    """Refuses `PIL` and its submodules as if Pillow were not installed, and remembers each attempt."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == "PIL" or fullname.startswith("PIL."):
            self.attempts.append(fullname)
            raise ImportError(f"No module named {fullname!r} (Pillow is blocked)", name=fullname)
        return None


def main() -> None:
    blocker = NoPillow()
    sys.meta_path.insert(0, blocker)
    sys.path.insert(0, str(ROOT))

    import components
    import program

    for package in (program, components):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    # The plugin's entry as the language host runs it, minus starting the server.
    runpy.run_path(str(ROOT / "plugin" / "__main__.py"), run_name="plugin_entry")

    from offline.runtime import evaluate_program

    resources = {stack: len(evaluate_program(stack).resources) for stack in ("dev", "prod")}
    loaded = sorted(
        name
        for name, module in sys.modules.items()
        if (file := getattr(module, "__file__", None)) and Path(file).resolve().is_relative_to(ROOT)
    )
    print(json.dumps({"pil_attempts": blocker.attempts, "resources": resources, "loaded": loaded}))


if __name__ == "__main__":
    main()
