"""The functions' code archive ships handlers/ and logfilter/ only, without bytecode caches, and that is all
the code needs."""

import subprocess
import sys
from pathlib import Path

from components.lambda_code import code_files, handler_code_archive


def test_code_archive_holds_the_handlers_package_and_nothing_else(tmp_path: Path) -> None:
    package = tmp_path / "handlers"
    (package / "__pycache__").mkdir(parents=True)
    (package / "edge").mkdir()
    for name in ("__init__.py", "image_processor.py", "edge/__init__.py", "__pycache__/x.cpython-311.pyc"):
        (package / name).write_text("")
    (tmp_path / "components.py").write_text("import pulumi")
    archive = handler_code_archive(package)
    assert sorted(archive.assets) == [
        "handlers/__init__.py",
        "handlers/edge/__init__.py",
        "handlers/image_processor.py",
    ]


def test_handlers_never_import_pulumi_or_components() -> None:
    root = Path(__file__).resolve().parents[2] / "handlers"
    for path in root.rglob("*.py"):
        text = path.read_text()
        assert "import pulumi" not in text and "from pulumi" not in text, path
        assert "from components" not in text and "import components" not in text, path


def test_the_archive_holds_handlers_and_logfilter_and_nothing_else() -> None:
    names = code_files()
    assert {name.split("/")[0] for name in names} == {"handlers", "logfilter"}
    assert "logfilter/pattern.py" in names and "handlers/alert_formatter.py" in names


def test_the_alert_formatter_imports_from_its_archive_and_the_standard_library_alone(tmp_path: Path) -> None:
    # GIVEN only the archive's files, and an interpreter without site-packages (-S) or the checkout (-I)
    for name, path in code_files().items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    code = f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import handlers.alert_formatter"
    # THEN the formatter imports, logfilter included (boto3 is the runtime's, imported on first use only)
    result = subprocess.run([sys.executable, "-S", "-I", "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
