"""The package as a stranger gets it: the git-tracked files only, and the plugin started the way the
Pulumi CLI's Python language host starts it.

The language host runs `<plugin>/venv/bin/python <plugin> <engine address>` with the plugin folder as
working directory, and reads the port from the first line of stdout (pulumi/pulumi,
sdk/python/cmd/pulumi-language-python/main.go `RunPlugin`; the venv is built from the folder's
requirements.txt). Here that venv is made without the network: it sees this virtualenv's packages
(pulumi, pulumi-aws, packaging) through a .pth file, and Pillow is made unimportable in it, as it
is absent from the plugin's requirements.
"""

import os
import selectors
import shutil
import signal
import socket
import subprocess
import sysconfig
import venv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from program.config import ROOT

STARTUP_TIMEOUT_S = 120.0
"""Generous: about 2 s on an idle machine, much more on a loaded 2-core one."""
PIL_ATTEMPTS_FILE = "pil-import-attempts.txt"

_NO_PILLOW_MODULE = '''\
"""Installed by the test's plugin venv: Pillow is not among the plugin's requirements."""
import sys
from pathlib import Path

_LOG = Path(__file__).with_name("{log}")


class _NoPillow:
    def find_spec(self, fullname, path, target=None):
        if fullname == "PIL" or fullname.startswith("PIL."):
            with _LOG.open("a") as log:
                log.write(fullname + "\\n")
            raise ImportError(f"No module named {{fullname!r}}", name=fullname)
        return None


sys.meta_path.insert(0, _NoPillow())
'''


def tracked_files(root: Path = ROOT) -> list[str]:
    """What a clone of the repository holds: `git ls-files`, as the files are on disk now."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
    return [name for name in listed.decode().split("\0") if name and (root / name).is_file()]


def plugin_folder(root: Path = ROOT) -> str:
    """The tracked folder that holds PulumiPlugin.yaml: the folder the CLI runs (exactly one)."""
    [manifest] = [name for name in tracked_files(root) if Path(name).name == "PulumiPlugin.yaml"]
    return Path(manifest).parent.as_posix()


def copy_tracked_files(destination: Path, root: Path = ROOT) -> Path:
    for name in tracked_files(root):
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    return destination


@dataclass(frozen=True)
class PluginVenv:
    python: Path
    pil_attempts: Path
    """Lists every attempt to import PIL; absent if there was none."""


def make_plugin_venv(plugin: Path) -> PluginVenv:
    """`<plugin>/venv` with this virtualenv's packages and no Pillow."""
    home = plugin / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(home)
    python = home / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site_packages = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site_packages / "no_pillow.py").write_text(_NO_PILLOW_MODULE.format(log=PIL_ATTEMPTS_FILE))
    shared = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    # .pth lines that start with "import" run at startup: block Pillow first, then add the packages.
    (site_packages / "imagepipe_test.pth").write_text(
        "import no_pillow\n" + "".join(f"import site; site.addsitedir({path!r})\n" for path in shared)
    )
    return PluginVenv(python, site_packages / PIL_ATTEMPTS_FILE)


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class RunningPlugin:
    process: "subprocess.Popen[bytes]"
    port: int
    stderr: Path


def _first_line(process: "subprocess.Popen[bytes]", timeout: float) -> bytes:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise TimeoutError(f"the plugin printed nothing in {timeout:.0f} s")
    return process.stdout.readline()


@contextmanager
def started_plugin(python: Path, plugin: Path, stderr: Path) -> Iterator[RunningPlugin]:
    """`<python> <plugin> 127.0.0.1:<port>` from the plugin folder, no PYTHONPATH.

    Afterwards it is interrupted (the SDK's server exits on KeyboardInterrupt) and must exit with 0.
    """
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    with stderr.open("wb") as errors:
        process = subprocess.Popen(
            [str(python), str(plugin), f"127.0.0.1:{unused_port()}"],
            cwd=plugin,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
    try:
        line = _first_line(process, STARTUP_TIMEOUT_S)
        if not line.strip().isdigit():
            raise RuntimeError(f"the plugin printed {line!r}, not a port:\n{stderr.read_text()[-3000:]}")
        yield RunningPlugin(process, int(line), stderr)
        _interrupt(process)
        if process.returncode != 0:
            raise RuntimeError(f"the plugin exited with {process.returncode}:\n{stderr.read_text()[-3000:]}")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _interrupt(process: "subprocess.Popen[bytes]", timeout: float = 30.0) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"the plugin did not stop within {timeout:.0f} s of SIGINT") from None
