"""Client input quoted in an error message: always a short excerpt, never the input itself.

An answer that echoed its input whole could be as large as the request (a 7 MB key name came back in
a 7,000,108-byte message, over Lambda's 6 MB response limit: API Gateway then answers 502). Every
message that quotes what the client sent goes through ``excerpt`` (one value) or ``excerpts`` (a few
of many), so a 4xx body stays a few hundred bytes whatever the request.
"""

import json
from collections.abc import Iterable
from typing import Final

# The most of one input a message shows (characters); longer input is cut and its length said.
MAX_EXCERPT_CHARS: Final = 40
# The most inputs one message lists; the rest are counted.
MAX_LISTED: Final = 5
# Whole numbers up to this many bits are shown whole (2^128 has 39 digits).
_MAX_SHOWN_INT_BITS: Final = 128


def excerpt(value: str | int) -> str:
    """A quoted, escaped, bounded rendering of one input: ``"photo.jpg"``, ``"aaaa..." (7000000 characters)``.

    Text is JSON-quoted with every non-ASCII character escaped, so a message never carries a control,
    a bidi override or a lone surrogate of the client's; a whole number is shown as it is, or by its
    size when it is huge (Python refuses to print integers over 4,300 digits).
    """
    if isinstance(value, int):
        if value.bit_length() <= _MAX_SHOWN_INT_BITS:
            return str(value)
        return f"a {value.bit_length()}-bit number"
    shown = json.dumps(value[:MAX_EXCERPT_CHARS], ensure_ascii=True)
    if len(value) <= MAX_EXCERPT_CHARS:
        return shown
    return f'{shown[:-1]}..." ({len(value)} characters)'


def excerpts(values: Iterable[str]) -> str:
    """At most MAX_LISTED excerpts, comma-separated, and how many more there are."""
    listed: list[str] = []
    more = 0
    for value in values:
        if len(listed) < MAX_LISTED:
            listed.append(excerpt(value))
        else:
            more += 1
    return ", ".join(listed) + (f" and {more} more" if more else "")
