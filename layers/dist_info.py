"""What pip installed, read from each `*.dist-info`, and the checks it must pass before it ships.

The same reading works on a fresh install directory and on a cached zip, so a cached layer is
held to the same rules as a new one.
"""

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from layers.errors import LayerBuildError
from layers.pins import Pin, normalize_name
from layers.target_runtime import NEWEST_GLIBC, requirement_applies, tag_fits, tag_platform


@dataclass(frozen=True)
class PickedWheel:
    """One distribution pip installed, as its dist-info describes it."""

    name: str
    """`Name` from METADATA."""
    version: str
    """`Version` from METADATA."""
    tags: tuple[str, ...]
    """The `Tag` lines of WHEEL: the wheel file pip picked."""
    requires: tuple[str, ...] = ()
    """`Requires-Dist` entries as written, markers included: check_wheels decides which apply."""

    @property
    def platforms(self) -> str:
        """The platform tags, e.g. `manylinux_2_27_aarch64, manylinux_2_28_aarch64`."""
        return ", ".join(dict.fromkeys(tag_platform(tag) for tag in self.tags))

    def __str__(self) -> str:
        return f"{self.name} {self.version} ({self.platforms})"


def read_wheel(metadata: str, wheel: str, source: str) -> PickedWheel:
    """Parse a dist-info's METADATA and WHEEL texts."""
    parser = HeaderParser()
    meta, wheel_info = parser.parsestr(metadata), parser.parsestr(wheel)
    name, version = meta.get("Name"), meta.get("Version")
    if not name or not version:
        raise LayerBuildError(f"{source}: METADATA has no Name or Version")
    tags = tuple(str(tag).strip() for tag in wheel_info.get_all("Tag", []))
    requires = tuple(str(requirement).strip() for requirement in meta.get_all("Requires-Dist", []))
    return PickedWheel(str(name).strip(), str(version).strip(), tags, requires)


def wheels_in_dir(site: Path) -> tuple[PickedWheel, ...]:
    """The distributions installed in `site` (pip's `--target`), by dist-info directory name."""
    wheels = []
    for dist_info in sorted(site.glob("*.dist-info")):
        try:
            metadata, wheel = ((dist_info / name).read_text("utf-8") for name in ("METADATA", "WHEEL"))
        except FileNotFoundError as missing:
            raise LayerBuildError(f"{dist_info.name} lacks {Path(str(missing.filename)).name}") from None
        wheels.append(read_wheel(metadata, wheel, source=dist_info.name))
    return tuple(wheels)


def wheels_in_zip(archive: zipfile.ZipFile, site: str) -> tuple[PickedWheel, ...]:
    """The distributions in a layer zip under `site/` (e.g. `python`)."""
    dist_infos = sorted(
        {
            parts[1]
            for parts in (name.split("/") for name in archive.namelist())
            if len(parts) > 2 and parts[0] == site and parts[1].endswith(".dist-info")
        }
    )
    wheels = []
    for dist_info in dist_infos:
        try:
            metadata, wheel = (archive.read(f"{site}/{dist_info}/{name}").decode() for name in ("METADATA", "WHEEL"))
        except KeyError:
            raise LayerBuildError(f"{dist_info} lacks METADATA or WHEEL") from None
        wheels.append(read_wheel(metadata, wheel, source=dist_info))
    return tuple(wheels)


def check_wheels(wheels: Sequence[PickedWheel], pins: Sequence[Pin], python_version: str, machine: str) -> None:
    """Raise LayerBuildError unless the wheels are exactly the pins, built for this runtime.

    This makes a fallback loud: given a loose pin or too few platform flags, pip quietly installs
    an older release that has a wheel for the platform.
    """
    pinned = {pin.key: pin for pin in pins}
    installed = {normalize_name(wheel.name): wheel for wheel in wheels}
    for key, wheel in sorted(installed.items()):
        pin = pinned.get(key)
        if pin is None:
            raise LayerBuildError(f"pip installed {wheel}, which the requirements do not pin")
        picked = f"pip picked {pin.name} {wheel.version}"
        if wheel.version != pin.version:
            raise LayerBuildError(f"{picked} ({wheel.platforms}) but requirements pin {pin.version}")
        if not any(tag_fits(tag, python_version, machine) for tag in wheel.tags):
            glibc = ".".join(map(str, NEWEST_GLIBC))
            raise LayerBuildError(
                f"{picked} tagged {', '.join(wheel.tags) or 'nothing'}, which does not run on"
                f" CPython {python_version}, {machine} Linux, glibc {glibc}"
            )
        _check_dependencies(wheel, pin, pinned, python_version, machine)
    missing = [pin.name for key, pin in pinned.items() if key not in installed]
    if missing:
        raise LayerBuildError(f"pip did not install {', '.join(missing)}")


def _check_dependencies(
    wheel: PickedWheel, pin: Pin, pinned: dict[str, Pin], python_version: str, machine: str
) -> None:
    """Every dependency pip would install for the runtime is pinned, at a version it accepts.

    pip runs with --no-deps, so the requirements must list them; markers are evaluated for the
    Lambda runtime (extras unrequested), not for this machine.
    """
    for text in wheel.requires:
        try:
            requirement = Requirement(text)
        except InvalidRequirement as error:
            raise LayerBuildError(
                f"{pin.name} {wheel.version} has an unreadable Requires-Dist {text!r}: {error}"
            ) from None
        if not requirement_applies(requirement, python_version, machine):
            continue
        needed = pinned.get(normalize_name(requirement.name))
        if needed is None:
            raise LayerBuildError(
                f"{pin.name} {wheel.version} requires {text!r}, which the requirements do not pin"
                " (pip runs with --no-deps: the requirements must list every distribution)"
            )
        if not requirement.specifier.contains(needed.version, prereleases=True):
            raise LayerBuildError(
                f"{pin.name} {wheel.version} requires {text!r}, but the requirements pin {needed.name} {needed.version}"
            )
