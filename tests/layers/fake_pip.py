"""A stand-in for pip in layer builds: fabricated installs shaped like Pillow's wheel, no network.

Run as a script it acts as `pip install`, recording its arguments and writing a fabricated
install into `--target`; options before `install` choose what it installs:

    python fake_pip.py --record calls.jsonl [--version 12.1.0] [--tag TAG]... install --target DIR ...

It imports nothing from the project, so it runs from any working directory.
"""

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

EM_X86_64 = 0x3E
EM_AARCH64 = 0xB7
MACHINE_CODES = {"x86_64": EM_X86_64, "aarch64": EM_AARCH64}

FAILING_PIP = (sys.executable, "-c", "import sys; sys.exit('pip must not run on a cache hit')")
"""A pip command that fails if the builder calls it."""


def elf_header(machine_code: int, *, big_endian: bool = False, size: int = 64) -> bytes:
    """The first bytes of a 64-bit ELF shared object: e_ident, e_type, e_machine, e_version."""
    order: Literal["little", "big"] = "big" if big_endian else "little"
    ident = b"\x7fELF" + bytes([2, 2 if big_endian else 1, 1]) + bytes(9)
    header = ident + (3).to_bytes(2, order) + machine_code.to_bytes(2, order) + (1).to_bytes(4, order)
    return header.ljust(size, b"\0")


def write_site(
    site: Path,
    *,
    name: str = "pillow",
    version: str = "13.0.0",
    tags: Sequence[str] = ("cp312-cp312-manylinux_2_27_aarch64", "cp312-cp312-manylinux_2_28_aarch64"),
    requires: Sequence[str] = ('olefile; extra == "fpx"',),
    so_machine: str = "aarch64",
) -> None:
    """A pip `--target` directory holding one distribution laid out like Pillow's wheel."""
    dist_info = site / f"{name}-{version}.dist-info"
    dist_info.mkdir(parents=True)
    requires_lines = "".join(f"Requires-Dist: {requirement}\n" for requirement in requires)
    metadata = f"Metadata-Version: 2.4\nName: {name}\nVersion: {version}\n{requires_lines}"
    (dist_info / "METADATA").write_text(metadata)
    tag_lines = "".join(f"Tag: {tag}\n" for tag in tags)
    (dist_info / "WHEEL").write_text(f"Wheel-Version: 1.0\nRoot-Is-Purelib: false\n{tag_lines}")
    package = site / "PIL"
    package.mkdir()
    (package / "__init__.py").write_text('__version__ = "fake"\n')
    shared_object = package / f"_imaging.cpython-312-{so_machine}-linux-gnu.so"
    shared_object.write_bytes(elf_header(MACHINE_CODES[so_machine]))
    shared_object.chmod(0o755)
    libs = site / "pillow.libs"
    libs.mkdir()
    (libs / "libjpeg-80045241.so.62.4.0").write_bytes(elf_header(MACHINE_CODES[so_machine]))


def write_requirements(directory: Path, text: str = "# the layer\nPillow==13.0.0\n") -> Path:
    path = directory / "requirements.txt"
    path.write_text(text)
    return path


@dataclass(frozen=True)
class FakePip:
    """`command()` goes to build_layer as its pip; `calls()` says how the builder ran it."""

    record: Path

    def command(self, *options: str) -> tuple[str, ...]:
        """Options choose what it installs, e.g. `command("--version", "12.1.0")`."""
        return (sys.executable, __file__, "--record", str(self.record), *options)

    def calls(self) -> list[list[str]]:
        """The pip arguments of each call, from `install` on."""
        if not self.record.exists():
            return []
        return [json.loads(line) for line in self.record.read_text().splitlines()]


def main() -> None:
    split = sys.argv.index("install")
    fake = argparse.ArgumentParser()
    fake.add_argument("--record", type=Path, required=True)
    fake.add_argument("--name", default="pillow")
    fake.add_argument("--version", default="13.0.0")
    fake.add_argument("--tag", action="append")
    fake.add_argument("--requires", action="append", default=[])
    fake.add_argument("--so-machine", default="aarch64")
    options = fake.parse_args(sys.argv[1:split])
    pip_args = sys.argv[split:]
    with options.record.open("a") as record:
        record.write(json.dumps(pip_args) + "\n")
    write_site(
        Path(pip_args[pip_args.index("--target") + 1]),
        name=options.name,
        version=options.version,
        tags=options.tag or [f"cp312-cp312-manylinux_2_28_{options.so_machine}"],
        requires=options.requires,
        so_machine=options.so_machine,
    )


if __name__ == "__main__":
    main()
