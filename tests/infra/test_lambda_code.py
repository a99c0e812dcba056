"""The function's code archive ships handlers/ only, without bytecode caches."""

from pathlib import Path

from components.lambda_code import handler_code_archive


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
