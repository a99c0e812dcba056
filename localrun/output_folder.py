"""The demo's output folder: emptied at the start of every run, but only if the demo made it.

The demo leaves a marker file in the folder it writes. A later run empties a folder only when it
carries that marker or is empty already, so a mistyped ``--out ~`` or ``--out .`` stops with an
error instead of deleting anyone's files.
"""

import shutil
from pathlib import Path

MARKER = ".imagepipe-demo"
_MARKER_TEXT = "This folder belongs to `python -m localrun.demo`, which empties it at the start of every run.\n"


class NotDemoFolder(Exception):
    """The folder holds things the demo did not write: nothing was deleted; choose another ``--out``."""


def claim_output_folder(folder: Path, project_owned: bool = False) -> None:
    """Leave ``folder`` existing, empty but for the marker; create it if it does not exist.

    ``project_owned``: the default ``out/demo`` inside the repository (ignored by git), which the
    demo may empty without a marker, as demos before the marker wrote it.
    """
    if not folder.exists() and not folder.is_symlink():
        folder.mkdir(parents=True)
    elif not folder.is_dir():
        raise NotDemoFolder(f"--out {folder} is not a folder")
    else:
        entries = [entry for entry in folder.iterdir() if entry.name != MARKER]
        if entries and not project_owned and not (folder / MARKER).is_file():
            raise NotDemoFolder(
                f"refusing to empty {folder}: it is not empty and has no {MARKER} file, so the demo did not "
                "create it; nothing was deleted. Pass --out a new or empty folder, or delete this one yourself."
            )
        for entry in entries:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()  # a file, or a link: never what it points to
    (folder / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
