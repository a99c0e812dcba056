"""elf_machine reads the machine a native library was built for from its ELF header."""

from pathlib import Path

import pytest

from layers.elf import elf_machine
from tests.layers.fake_pip import EM_AARCH64, EM_X86_64, elf_header


@pytest.mark.parametrize(("code", "machine"), [(EM_X86_64, "x86_64"), (EM_AARCH64, "aarch64")])
def test_machine_of_a_little_endian_shared_object(tmp_path: Path, code: int, machine: str) -> None:
    library = tmp_path / "_imaging.so"
    library.write_bytes(elf_header(code))

    assert elf_machine(library) == machine


def test_big_endian_header_is_read_in_its_own_byte_order(tmp_path: Path) -> None:
    # GIVEN a big-endian ppc64 header: read little-endian, 0x0015 would be 0x1500
    library = tmp_path / "_imaging.so"
    library.write_bytes(elf_header(0x15, big_endian=True))

    assert elf_machine(library) == "ppc64"


def test_unlisted_machine_is_named_by_its_code(tmp_path: Path) -> None:
    library = tmp_path / "_imaging.so"
    library.write_bytes(elf_header(0x1234))

    assert elf_machine(library) == "unknown (e_machine 0x1234)"


@pytest.mark.parametrize(
    "content",
    [b"", b"\x7fELF\x02\x01", b"MZ" + bytes(62), b"\x7fELF\x02\x07" + bytes(58)],
    ids=["empty", "truncated", "not-elf", "bad-byte-order"],
)
def test_file_that_is_not_elf_is_refused(tmp_path: Path, content: bytes) -> None:
    library = tmp_path / "_imaging.so"
    library.write_bytes(content)

    with pytest.raises(ValueError, match=r"is not an ELF file"):
        elf_machine(library)
