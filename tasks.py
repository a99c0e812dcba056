#!/usr/bin/env python3
"""The project's commands, runnable on a machine with nothing but Python 3.11+.

    python3 tasks.py demo        run the dev stack's pipeline locally (embedded AWS emulator)
    python3 tasks.py test        ruff, mypy and the whole test suite
    python3 tasks.py plan [dev|prod]   print and write the offline plan of a stack
    python3 tasks.py snapshots   regenerate the golden plan snapshots in tests/snapshots/
    python3 tasks.py bench       rendition benchmark against a naive baseline
    python3 tasks.py bench-api   the image API's cold import and warm request latency
    python3 tasks.py bench-memory   peak memory per decoding path against handlers/imaging/memory.py
    python3 tasks.py bench-hostile  what each crafted attack file costs Pillow alone and the image core
    python3 tasks.py bench-alerts   the alert formatter's cold import
    python3 tasks.py layer       build (or reuse) the Pillow Lambda layer zips
    python3 tasks.py cost [dev|prod]   what a million uploads and reprocessed images cost, and how fast
    python3 tasks.py reprocess STACK [--dry-run] [--stale-only] [--user ID] [--yes]
                                 re-render a stack's stored images with S3 Batch Operations

Each command first makes sure ``.venv`` exists and holds requirements-dev.txt (re-installed
only when a requirements file changes), then runs inside it.
"""

import hashlib
import os
import subprocess
import sys
import venv
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".requirements.sha256"
# Every file requirements-dev.txt reads, directly or through -r: a change to any refreshes .venv.
REQUIREMENTS = (
    ROOT / "requirements.txt",
    ROOT / "requirements-dev.txt",
    ROOT / "layers" / "pillow" / "requirements.txt",
)


def _requirements_digest() -> str:
    digest = hashlib.sha256()
    for path in REQUIREMENTS:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_venv() -> None:
    """Create or refresh .venv; cheap when nothing changed."""
    wanted = _requirements_digest()
    if VENV_PYTHON.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not VENV_PYTHON.exists():
        print("creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing requirements-dev.txt into .venv", flush=True)
    pip = [str(VENV_PYTHON), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", "-q", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-q", "-r", str(ROOT / "requirements-dev.txt")], check=True)
    STAMP.write_text(wanted)


def _in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def run(*argv: str) -> int:
    print("+ " + " ".join(argv), flush=True)
    return subprocess.run(list(argv), cwd=ROOT).returncode


def cmd_test(args: list[str]) -> int:
    py = sys.executable
    for step in (
        [py, "-m", "ruff", "check", "."],
        [py, "-m", "ruff", "format", "--check", "."],
        [py, "-m", "mypy", "."],
    ):
        if (code := run(*step)) != 0:
            return code
    # One worker per core; each test file stays on one worker, so its module fixtures run once.
    return run(py, "-m", "pytest", "-n", "auto", "--dist", "loadfile", *args)


def cmd_module(module: str) -> Callable[[list[str]], int]:
    def _run(args: list[str]) -> int:
        return run(sys.executable, "-m", module, *args)

    return _run


COMMANDS: dict[str, Callable[[list[str]], int]] = {
    "test": cmd_test,
    "demo": cmd_module("localrun.demo"),
    "plan": cmd_module("offline.plan"),
    "snapshots": cmd_module("offline.snapshots"),
    "bench": cmd_module("benchmarks.renditions"),
    "bench-api": cmd_module("benchmarks.api"),
    "bench-memory": cmd_module("benchmarks.decode_memory"),
    "bench-hostile": cmd_module("benchmarks.hostile"),
    "bench-alerts": cmd_module("benchmarks.alerts"),
    "layer": cmd_module("layers.build"),
    "cost": cmd_module("costs.cli"),
    "reprocess": cmd_module("reprocess.command"),
}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    if not _in_venv():
        ensure_venv()
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        return subprocess.run([str(VENV_PYTHON), __file__, *sys.argv[1:]], cwd=ROOT, env=env).returncode
    command = COMMANDS[sys.argv[1]]
    return command(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
