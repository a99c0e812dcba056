"""Reading pip requirements files the way pip does for what they pin: `-r` lines followed."""

import re
from pathlib import Path

from layers.pins import normalize_name

_INCLUDE = re.compile(r"^(?:-r|--requirement)\s*=?\s*(\S+)$")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)$")


def pinned(path: Path) -> dict[str, str]:
    """{normalized name: version} of every `name==version` in `path` and the files it includes."""
    pins: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if include := _INCLUDE.match(line):
            pins |= pinned(path.parent / include[1])
        elif pin := _PIN.match(line):
            pins[normalize_name(pin[1])] = pin[2]
        else:
            raise ValueError(f"{path}: {line!r} is neither a pin nor an include")
    return pins
