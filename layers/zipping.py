"""Zip a directory so that the same tree always gives the same bytes.

Entries are sorted by name, every timestamp is 1980-01-01 00:00 (the zip epoch), files are
0644 (0755 if executable), directories 0755, the compression level is fixed and `__pycache__`
is left out. The bytes are identical for the same tree and the same zlib.
"""

import os
import stat
import tempfile
import zipfile
from pathlib import Path
from typing import Final

FIXED_DATE_TIME: Final = (1980, 1, 1, 0, 0, 0)
# Level 9 takes three times as long as 6 on the Pillow layer for 0.3% fewer bytes.
COMPRESS_LEVEL: Final = 6
_UNIX: Final = 3
_MSDOS_DIRECTORY: Final = 0x10
_SKIPPED_DIRECTORIES: Final = frozenset({"__pycache__"})


def zip_entries(root: Path) -> list[tuple[str, Path]]:
    """(name in the zip, path) for everything under `root`, sorted; directory names end in `/`."""
    entries = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if _SKIPPED_DIRECTORIES.intersection(relative.parts) or path.suffix == ".pyc":
            continue
        name = relative.as_posix() + ("/" if path.is_dir() else "")
        entries.append((name, path))
    return sorted(entries)


def _zip_info(name: str, path: Path) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE_TIME)
    info.create_system = _UNIX  # so unzip reads external_attr's high 16 bits as Unix permissions
    if name.endswith("/"):
        info.external_attr = (stat.S_IFDIR | 0o755) << 16 | _MSDOS_DIRECTORY
    else:
        executable = path.stat().st_mode & 0o111
        info.external_attr = (stat.S_IFREG | (0o755 if executable else 0o644)) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_reproducible_zip(root: Path, destination: Path) -> None:
    """Zip the contents of `root` (not `root` itself) into `destination`, atomically.

    The zip is written beside `destination` and renamed over it, so a reader (or a concurrent
    build) sees either the previous file or the complete new one, never a partial zip.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".partial", dir=destination.parent)
    partial = Path(temporary)
    try:
        with os.fdopen(handle, "wb") as stream, zipfile.ZipFile(stream, "w") as archive:
            for name, path in zip_entries(root):
                info = _zip_info(name, path)
                data = b"" if info.is_dir() else path.read_bytes()
                archive.writestr(info, data, compresslevel=COMPRESS_LEVEL)
        partial.chmod(0o644)  # mkstemp creates 0600
        partial.replace(destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
