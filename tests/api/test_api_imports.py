"""What the API function's code may and may not bring with it."""

import importlib
import subprocess
import sys
from pathlib import Path

from handlers import contract
from handlers.imaging.decode import ALLOWED_FORMATS

ROOT = Path(__file__).resolve().parents[2]


def test_api_module_imports_neither_pillow_nor_boto3() -> None:
    # A fresh interpreter: this one has imported both long ago.
    script = (
        "import sys, handlers.image_api; "
        "leaked = sorted(m for m in ('PIL', 'handlers.imaging', 'boto3') if m in sys.modules); "
        "assert not leaked, leaked"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_upload_content_types_are_exactly_the_formats_the_image_core_decodes() -> None:
    assert set(contract.UPLOAD_CONTENT_TYPES.values()) == set(ALLOWED_FORMATS)


def test_api_handler_named_in_the_contract_is_the_entry_point() -> None:
    module, _, name = contract.API_HANDLER.rpartition(".")
    assert callable(getattr(importlib.import_module(module), name))
