"""Which characters a name the API stores may hold: one rule for file names and user ids.

Refused: every control (Cc), format (Cf: U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE, the
BOM U+FEFF), surrogate (Cs), private-use (Co) and unassigned (Cn: U+FFFE, U+FFFF and every code point
not yet given a character) character, and the line and paragraph separators (Zl U+2028, Zp U+2029).
Such names spoof in listings (``photo\\u202egpj.exe`` reads as ``photoexe.jpg``) or break the tools
that handle S3 keys and log lines.

Unicode versions differ in what is unassigned: Python 3.11 (here) has Unicode 14.0.0, Lambda's
python3.12 has 15.0.0, which assigns 4,489 more code points (CJK Extension H, Kawi, new emoji). So the
rule is not read from the running ``unicodedata``: it is the table in ``handlers.api.unicode_14``,
derived once from Unicode 14.0.0, and every Python decides the same. A character added after 14.0 is
refused until the table is rebuilt from a newer database (tests/api/unicode_table.py).
"""

import unicodedata
from bisect import bisect_right
from typing import Final

from handlers.api.unicode_14 import ALLOWED_RANGES, UNICODE_VERSION

REFUSED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_KINDS: Final = {
    "Cc": "a control character",
    "Cf": "a format character",
    "Cs": "a surrogate",
    "Co": "a private-use character",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}


def _parse(ranges: tuple[str, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    firsts: list[int] = []
    lasts: list[int] = []
    for item in " ".join(ranges).split():
        first, _, last = item.partition("-")
        firsts.append(int(first, 16))
        lasts.append(int(last or first, 16))
    return tuple(firsts), tuple(lasts)


_FIRSTS, _LASTS = _parse(ALLOWED_RANGES)


def is_allowed_character(character: str) -> bool:
    code_point = ord(character)
    index = bisect_right(_FIRSTS, code_point) - 1
    return index >= 0 and code_point <= _LASTS[index]


def refused_character(text: str) -> str | None:
    """What is wrong with the first refused character of ``text`` (``U+202E, a format character``), or None."""
    for character in text:
        if not is_allowed_character(character):
            kind = _KINDS.get(unicodedata.category(character), f"unassigned in Unicode {UNICODE_VERSION}")
            return f"U+{ord(character):04X}, {kind}"
    return None


def is_plain_text(text: str) -> bool:
    return refused_character(text) is None
