"""The Lambda runtime a layer is built for, in pip's own terms: the wheel tags it loads and the
environment its dependency markers are evaluated in.

Both come from `packaging` (the library pip vendors for tags and markers), given the target
explicitly: `packaging`'s defaults describe the machine running the build, not the Lambda.

Pillow 13 publishes Linux wheels only as manylinux_2_28 (no manylinux2014): asked for
manylinux2014 alone, pip silently falls back to Pillow 12, so both are asked for. pip takes
`--platform` values literally: it widens only manylinux2014/2010 to the older legacy tags
(pip 26.3, pip/_internal/utils/compatibility_tags.py `_get_custom_platforms`), so a wheel pip
picks always carries one of the flags' platforms, and each of those is in `supported_tags`.
"""

import functools
from collections.abc import Iterator
from typing import Final

from packaging.requirements import Requirement
from packaging.tags import Tag, compatible_tags, cpython_tags, parse_tag

NEWEST_GLIBC: Final = (2, 28)
"""The newest manylinux glibc asked for (Lambda's Python 3.12+ runtimes have glibc 2.34)."""

# packaging/_manylinux.py `platform_tags` and `_LEGACY_MANYLINUX_MAP`: a manylinux system loads
# manylinux_2_N for every N down to 17 (down to 5 on x86_64), and the legacy name of 2.17, 2.12, 2.5.
# Restated here because packaging only computes that list for the machine it runs on.
_OLDEST_GLIBC_MINOR: Final = {"x86_64": 5, "aarch64": 17}
_LEGACY_MANYLINUX: Final = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}


def pip_platforms(machine: str) -> tuple[str, ...]:
    """The `--platform` values for pip; manylinux2014 is listed for pips older than PEP 600."""
    major, minor = NEWEST_GLIBC
    return (f"manylinux_{major}_{minor}_{machine}", f"manylinux2014_{machine}")


def manylinux_platforms(machine: str) -> Iterator[str]:
    """The platform tags a Linux with glibc NEWEST_GLIBC on `machine` loads, newest first."""
    major, newest = NEWEST_GLIBC
    for minor in range(newest, _OLDEST_GLIBC_MINOR[machine] - 1, -1):
        yield f"manylinux_{major}_{minor}_{machine}"
        if legacy := _LEGACY_MANYLINUX.get(minor):
            yield f"{legacy}_{machine}"


def _version_tuple(python_version: str) -> tuple[int, int]:
    major, minor = (int(part) for part in python_version.split("."))
    return major, minor


@functools.cache
def supported_tags(python_version: str, machine: str) -> frozenset[Tag]:
    """Every wheel tag CPython `python_version` (e.g. "3.12") on manylinux `machine` installs.

    The ABI is given: Lambda runs a release build with the GIL, whatever the build machine runs.
    """
    version = _version_tuple(python_version)
    cpython = f"cp{version[0]}{version[1]}"
    platforms = list(manylinux_platforms(machine))
    return frozenset(
        [
            *cpython_tags(version, abis=[cpython], platforms=platforms),
            *compatible_tags(version, interpreter=cpython, platforms=platforms),
        ]
    )


def tag_fits(tag: str, python_version: str, machine: str) -> bool:
    """True if the wheel tag `interpreter-abi-platform` (dots separate alternatives) installs there."""
    try:
        tags = parse_tag(tag)
    except ValueError:  # packaging's InvalidTag: not three non-empty parts
        return False
    return not tags.isdisjoint(supported_tags(python_version, machine))


def tag_platform(tag: str) -> str:
    """The platform part of a tag: `manylinux2014_aarch64` for `cp312-cp312-manylinux2014_aarch64`."""
    return tag.rsplit("-", 1)[-1]


def marker_environment(python_version: str, machine: str) -> dict[str, str]:
    """PEP 508 marker values of the Lambda runtime, every key given so none is read from this machine.

    The runtime's patch release and kernel change under us: markers on them are read as x.y.0 and
    an empty release/version string.
    """
    return {
        "implementation_name": "cpython",
        "implementation_version": f"{python_version}.0",
        "os_name": "posix",
        "platform_machine": machine,
        "platform_release": "",
        "platform_system": "Linux",
        "platform_version": "",
        "python_full_version": f"{python_version}.0",
        "platform_python_implementation": "CPython",
        "python_version": python_version,
        "sys_platform": "linux",
    }


def requirement_applies(requirement: Requirement, python_version: str, machine: str) -> bool:
    """True if pip would install this `Requires-Dist` entry for the runtime (no extras requested)."""
    if requirement.marker is None:
        return True
    # The "metadata" context sets `extra` to "": a dependency of an extra nobody asked for is skipped.
    return requirement.marker.evaluate(marker_environment(python_version, machine), context="metadata")
