"""Which wheel tags run on a Lambda Python runtime, and the pip platform flags that ask for them.

Pillow 13 publishes Linux wheels only as manylinux_2_28 (no manylinux2014): asked for
manylinux2014 alone, pip silently falls back to Pillow 12. pip treats `manylinux_2_28_X` as
"glibc 2.28 or older", so the flags and the check below accept the same set of wheels.
"""

import re
from typing import Final

NEWEST_GLIBC: Final = (2, 28)
"""The newest manylinux glibc asked for (Lambda's Python 3.12+ runtimes have glibc 2.34)."""

_LEGACY_MANYLINUX: Final = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
_PEP600 = re.compile(r"manylinux_(\d+)_(\d+)_(.+)")
_CPYTHON = re.compile(r"cp(\d)(\d+)")


def pip_platforms(machine: str) -> tuple[str, ...]:
    """The `--platform` values for pip; manylinux2014 is listed for pips older than PEP 600."""
    major, minor = NEWEST_GLIBC
    return (f"manylinux_{major}_{minor}_{machine}", f"manylinux2014_{machine}")


def platform_fits(platform: str, machine: str) -> bool:
    """True for `any` and for manylinux platforms of `machine` no newer than NEWEST_GLIBC."""
    if platform == "any":
        return True
    if match := _PEP600.fullmatch(platform):
        glibc, arch = (int(match[1]), int(match[2])), match[3]
    else:
        legacy, _, arch = platform.partition("_")
        if legacy not in _LEGACY_MANYLINUX:
            return False
        glibc = _LEGACY_MANYLINUX[legacy]
    return arch == machine and glibc <= NEWEST_GLIBC


def interpreter_fits(interpreter: str, abi: str, python_version: str) -> bool:
    """True if CPython `python_version` (e.g. "3.12") can load a wheel built for interpreter/abi."""
    major, minor = (int(part) for part in python_version.split("."))
    cpython = f"cp{major}{minor}"
    if interpreter == cpython:
        return abi in {cpython, "abi3", "none"}
    if interpreter in {f"py{major}", f"py{major}{minor}"}:
        return abi == "none"
    # The stable ABI: a cp38-abi3 wheel loads on every later CPython 3.
    if (match := _CPYTHON.fullmatch(interpreter)) and abi == "abi3":
        return (int(match[1]), int(match[2])) <= (major, minor)
    return False


def tag_fits(tag: str, python_version: str, machine: str) -> bool:
    """True if the wheel tag `interpreter-abi-platform` (dots separate alternatives) runs there."""
    parts = tag.split("-")
    if len(parts) != 3:
        return False
    interpreters, abis, platforms = (part.split(".") for part in parts)
    return any(
        interpreter_fits(interpreter, abi, python_version) for interpreter in interpreters for abi in abis
    ) and any(platform_fits(platform, machine) for platform in platforms)


def tag_platform(tag: str) -> str:
    """The platform part of a tag: `manylinux2014_aarch64` for `cp312-cp312-manylinux2014_aarch64`."""
    return tag.rsplit("-", 1)[-1]
