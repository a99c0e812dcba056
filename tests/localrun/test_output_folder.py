"""The demo empties only a folder it made: a mistyped --out can never delete anyone's files."""

import re
from pathlib import Path

import pytest

from localrun.output_folder import MARKER, NotDemoFolder, claim_output_folder


def _tree(folder: Path) -> dict[str, bytes | None]:
    """Every entry under ``folder`` with its bytes (None for folders): what 'left untouched' compares."""
    return {
        path.relative_to(folder).as_posix(): None if path.is_dir() else path.read_bytes()
        for path in sorted(folder.rglob("*"))
    }


def test_new_folder_is_created_with_the_marker(tmp_path: Path) -> None:
    # WHEN the demo claims a folder that does not exist yet
    folder = tmp_path / "out" / "demo"
    claim_output_folder(folder)
    # THEN it exists and holds only the marker
    assert [p.name for p in folder.iterdir()] == [MARKER]


def test_empty_folder_is_adopted(tmp_path: Path) -> None:
    claim_output_folder(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [MARKER]


def test_folder_of_an_earlier_run_is_emptied_but_keeps_the_marker(tmp_path: Path) -> None:
    # GIVEN a folder an earlier run wrote, with nested folders and a hidden file
    folder = tmp_path / "demo"
    claim_output_folder(folder)
    (folder / "renditions" / "demo-user" / "old").mkdir(parents=True)
    (folder / "renditions" / "demo-user" / "old" / "preview.jpg").write_bytes(b"old")
    (folder / "index.html").write_text("old page")
    (folder / ".hidden").write_text("old")
    # WHEN the next run claims it
    claim_output_folder(folder)
    # THEN only the marker is left
    assert [p.name for p in folder.iterdir()] == [MARKER]


def test_links_in_an_earlier_runs_folder_are_removed_not_followed(tmp_path: Path) -> None:
    # GIVEN a demo folder holding links to a file and a folder elsewhere
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "photo.jpg").write_bytes(b"keep me")
    folder = tmp_path / "demo"
    claim_output_folder(folder)
    (folder / "to-folder").symlink_to(precious, target_is_directory=True)
    (folder / "to-file").symlink_to(precious / "photo.jpg")
    # WHEN the demo empties it
    claim_output_folder(folder)
    # THEN the links are gone and what they pointed to is intact
    assert [p.name for p in folder.iterdir()] == [MARKER]
    assert (precious / "photo.jpg").read_bytes() == b"keep me"


def test_non_empty_folder_without_marker_is_refused_and_left_untouched(tmp_path: Path) -> None:
    # GIVEN a folder of someone's files (think --out ~ or --out .)
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "cat.jpg").write_bytes(b"cat")
    before = _tree(tmp_path)
    # WHEN the demo is pointed at it, THEN it refuses, naming the folder, and deletes and adds nothing
    with pytest.raises(
        NotDemoFolder, match=re.escape(f"refusing to empty {tmp_path}: it is not empty and has no {MARKER}")
    ):
        claim_output_folder(tmp_path)
    assert _tree(tmp_path) == before


def test_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("mine")
    with pytest.raises(NotDemoFolder, match=re.escape(f"--out {target} is not a folder")):
        claim_output_folder(target)
    assert target.read_text() == "mine"


def test_the_projects_own_out_folder_is_emptied_without_a_marker(tmp_path: Path) -> None:
    # GIVEN out/demo as a demo from before the marker left it
    folder = tmp_path / "out" / "demo"
    (folder / "renditions").mkdir(parents=True)
    (folder / "renditions" / "old.jpg").write_bytes(b"old")
    # WHEN the demo claims it as the repository's own output folder
    claim_output_folder(folder, project_owned=True)
    # THEN the old run is gone and the marker is there
    assert sorted(p.name for p in folder.iterdir()) == [MARKER]
