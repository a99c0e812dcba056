"""Exact pins read from a requirements file: a layer installs these and nothing else."""

import re
from dataclasses import dataclass

from layers.errors import LayerBuildError

# pip's own comment rule: '#' at the start of a line or after whitespace.
_COMMENT = re.compile(r"(^|\s+)#.*$")
_PIN = re.compile(
    r"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*==\s*(?P<version>[A-Za-z0-9][A-Za-z0-9.+!_-]*)"
)


def normalize_name(name: str) -> str:
    """The PEP 503 form: `Pillow`, `pillow` and `PILLOW` are one project."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Pin:
    """One `name==version` line."""

    name: str
    """As written in the requirements file; used in messages."""
    version: str

    @property
    def key(self) -> str:
        return normalize_name(self.name)


def parse_pins(text: str, source: str = "requirements") -> tuple[Pin, ...]:
    """The pins in a requirements file's text; anything but exact pins and comments is an error.

    Ranges, extras, markers and options are refused: the layer must be the same every time it is
    built, and the picked wheels are checked against these exact versions.
    """
    pins: list[Pin] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw).strip()
        if not line:
            continue
        match = _PIN.fullmatch(line)
        if match is None:
            raise LayerBuildError(f"{source}:{number}: {line!r} is not an exact pin (name==version)")
        pin = Pin(match["name"], match["version"])
        if any(seen.key == pin.key for seen in pins):
            raise LayerBuildError(f"{source}:{number}: {pin.name} is pinned twice")
        pins.append(pin)
    if not pins:
        raise LayerBuildError(f"{source} pins nothing")
    return tuple(pins)
