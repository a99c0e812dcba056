"""The layer zip is reproducible: the same tree always gives the same bytes."""

import os
import stat
import zipfile
from pathlib import Path

import pytest

from layers.zipping import FIXED_DATE_TIME, write_reproducible_zip


def _tree(root: Path) -> Path:
    """A small layer tree, files written in non-alphabetical order."""
    (root / "python" / "PIL").mkdir(parents=True)
    (root / "python" / "PIL" / "Image.py").write_text("image = 1\n")
    (root / "python" / "PIL" / "__init__.py").write_text("")
    library = root / "python" / "PIL" / "_imaging.so"
    library.write_bytes(b"\x7fELF" + bytes(60))
    library.chmod(0o755)
    (root / "python" / "PIL" / "__pycache__").mkdir()
    (root / "python" / "PIL" / "__pycache__" / "Image.cpython-312.pyc").write_bytes(b"compiled")
    (root / "python" / "PIL" / "stray.pyc").write_bytes(b"compiled")
    (root / "python" / "pillow-13.0.0.dist-info").mkdir()
    (root / "python" / "pillow-13.0.0.dist-info" / "WHEEL").write_text("Tag: x\n")
    return root


def _unix_mode(info: zipfile.ZipInfo) -> int:
    return info.external_attr >> 16


def test_same_tree_zipped_at_different_times_gives_identical_bytes(tmp_path: Path) -> None:
    # GIVEN a tree zipped once
    root = _tree(tmp_path / "tree")
    write_reproducible_zip(root, tmp_path / "first.zip")

    # WHEN every file's mtime changes and it is zipped again
    for path in root.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
    write_reproducible_zip(root, tmp_path / "second.zip")

    # THEN the bytes are identical
    assert (tmp_path / "first.zip").read_bytes() == (tmp_path / "second.zip").read_bytes()


def test_entries_are_sorted_with_directories_and_without_bytecode(tmp_path: Path) -> None:
    write_reproducible_zip(_tree(tmp_path / "tree"), tmp_path / "layer.zip")

    with zipfile.ZipFile(tmp_path / "layer.zip") as archive:
        names = archive.namelist()

    assert names == [
        "python/",
        "python/PIL/",
        "python/PIL/Image.py",
        "python/PIL/__init__.py",
        "python/PIL/_imaging.so",
        "python/pillow-13.0.0.dist-info/",
        "python/pillow-13.0.0.dist-info/WHEEL",
    ]


def test_every_entry_has_the_zip_epoch_timestamp(tmp_path: Path) -> None:
    write_reproducible_zip(_tree(tmp_path / "tree"), tmp_path / "layer.zip")

    with zipfile.ZipFile(tmp_path / "layer.zip") as archive:
        timestamps = {info.date_time for info in archive.infolist()}

    assert timestamps == {(1980, 1, 1, 0, 0, 0)} == {FIXED_DATE_TIME}


def test_files_are_0644_executables_and_directories_0755(tmp_path: Path) -> None:
    # GIVEN a tree whose plain file is group-writable (umask differs between machines)
    root = _tree(tmp_path / "tree")
    (root / "python" / "PIL" / "Image.py").chmod(0o664)

    write_reproducible_zip(root, tmp_path / "layer.zip")

    with zipfile.ZipFile(tmp_path / "layer.zip") as archive:
        modes = {info.filename: _unix_mode(info) for info in archive.infolist()}
    assert modes["python/PIL/Image.py"] == stat.S_IFREG | 0o644
    assert modes["python/PIL/_imaging.so"] == stat.S_IFREG | 0o755
    assert modes["python/PIL/"] == stat.S_IFDIR | 0o755


def test_zip_contents_round_trip(tmp_path: Path) -> None:
    write_reproducible_zip(_tree(tmp_path / "tree"), tmp_path / "layer.zip")

    with zipfile.ZipFile(tmp_path / "layer.zip") as archive:
        assert archive.testzip() is None
        assert archive.read("python/PIL/Image.py") == b"image = 1\n"
        assert archive.getinfo("python/PIL/Image.py").compress_type == zipfile.ZIP_DEFLATED


def test_failed_write_keeps_the_previous_zip_and_leaves_no_partial_file(tmp_path: Path) -> None:
    # GIVEN an existing zip, and a tree with a file that cannot be read (a dangling link)
    destination = tmp_path / "out" / "layer.zip"
    destination.parent.mkdir()
    destination.write_bytes(b"previous")
    root = _tree(tmp_path / "tree")
    (root / "python" / "broken").symlink_to(root / "missing")

    # WHEN zipping fails
    with pytest.raises(FileNotFoundError):
        write_reproducible_zip(root, destination)

    # THEN the previous zip is untouched and nothing else is left beside it
    assert destination.read_bytes() == b"previous"
    assert [path.name for path in destination.parent.iterdir()] == ["layer.zip"]
