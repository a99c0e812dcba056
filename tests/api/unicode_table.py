"""Derives ``handlers.api.unicode_14`` from Python's own Unicode database, and writes it out.

    python -m tests.api.unicode_table > handlers/api/unicode_14.py   (with Python 3.11: Unicode 14.0.0)

tests/api/test_plain_text.py compares the module with what this derives, on a Python whose database is
Unicode 14.0.0, and fails on any difference.
"""

import textwrap
import unicodedata
from collections.abc import Iterator

from handlers.api.plain_text import REFUSED_CATEGORIES

UNICODE_VERSION = "14.0.0"
_MAX_CODE_POINT = 0x10FFFF


def allowed_ranges() -> Iterator[tuple[int, int]]:
    """Each run of code points whose category, in the running database, is not refused: (first, last)."""
    start = None
    for code_point in range(_MAX_CODE_POINT + 1):
        allowed = unicodedata.category(chr(code_point)) not in REFUSED_CATEGORIES
        if allowed and start is None:
            start = code_point
        elif not allowed and start is not None:
            yield start, code_point - 1
            start = None
    if start is not None:
        yield start, _MAX_CODE_POINT


def render_module() -> str:
    items = [f"{first:04X}-{last:04X}" if first != last else f"{first:04X}" for first, last in allowed_ranges()]
    lines = "\n".join(f'    "{line}",' for line in textwrap.wrap(" ".join(items), width=100))
    return f'''"""Generated from Python 3.11's unicodedata (Unicode {unicodedata.unidata_version}); do not edit.

The code points a name may hold: assigned in Unicode {UNICODE_VERSION} and of no refused category
(handlers.api.plain_text). Rebuild with ``python -m tests.api.unicode_table > handlers/api/unicode_14.py``.
"""

from typing import Final

UNICODE_VERSION: Final = "{UNICODE_VERSION}"
# Ranges of allowed code points, hex, "FIRST-LAST" or a single "CODE", separated by spaces.
ALLOWED_RANGES: Final = (
{lines}
)
'''


if __name__ == "__main__":
    if unicodedata.unidata_version != UNICODE_VERSION:
        raise SystemExit(
            f"needs a Python whose database is Unicode {UNICODE_VERSION}, not {unicodedata.unidata_version}"
        )
    print(render_module(), end="")
