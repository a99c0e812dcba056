"""The machine a native library was built for, read from its ELF header (no `file` command)."""

from pathlib import Path
from typing import Final, Literal

_MAGIC: Final = b"\x7fELF"
_BYTE_ORDERS: Final[dict[int, Literal["little", "big"]]] = {1: "little", 2: "big"}
# e_machine values (System V ABI), named as wheel platform tags name machines.
_MACHINES: Final = {
    0x03: "i686",
    0x14: "ppc",
    0x15: "ppc64",
    0x16: "s390x",
    0x28: "armv7l",
    0x3E: "x86_64",
    0xB7: "aarch64",
    0xF3: "riscv64",
}


def elf_machine(path: Path) -> str:
    """`x86_64`, `aarch64`, ... for an ELF file; `unknown (e_machine 0x...)` for other machines.

    Raises ValueError if the file is not ELF.
    """
    with path.open("rb") as stream:
        header = stream.read(20)
    # e_ident is 16 bytes (magic, class, data = byte order, ...), then e_type (2), e_machine (2).
    if len(header) < 20 or header[:4] != _MAGIC or header[5] not in _BYTE_ORDERS:
        raise ValueError(f"{path} is not an ELF file")
    code = int.from_bytes(header[18:20], _BYTE_ORDERS[header[5]])
    return _MACHINES.get(code, f"unknown (e_machine 0x{code:x})")


def is_shared_object(path: Path) -> bool:
    """`_imaging.cpython-312-aarch64-linux-gnu.so` and vendored `libjpeg-8004.so.62.4.0` alike."""
    return path.is_file() and (path.name.endswith(".so") or ".so." in path.name)


def foreign_shared_objects(root: Path, machine: str) -> list[tuple[Path, str]]:
    """Shared objects under `root` not built for `machine`, with the machine they are built for."""
    return [
        (path, found)
        for path in sorted(root.rglob("*"))
        if is_shared_object(path) and (found := elf_machine(path)) != machine
    ]
