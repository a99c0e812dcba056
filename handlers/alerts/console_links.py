"""A CloudWatch Logs Insights console link with the log group, the query and the window filled in.

AWS documents no format for it; the console reads its state from the URL fragment, encoded as
worked out and checked against console links in "Is there a way to generate the AWS Console URLs
for CloudWatch Log Group filters?" (stackoverflow.com/questions/60796991, the answer on Logs
Insights links; read at mcmap.net/q/430510): the query's details are a JSURL-like object (``~(key~value)``,
strings ``'text`` with every special character as ``*XX``, arrays ``~(~'a~'b)``), escaped with
JavaScript's ``escape()``, put after ``?queryDetail=``, then percent-encoded once more with ``%``
written as ``$``. Every character but letters, digits, ``-``, ``_`` and ``.`` is written ``*XX``
inside strings, so parentheses and tildes in a query never end a value early.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Final

from handlers.timestamps import iso_utc

# JavaScript's escape() leaves these as they are.
_ESCAPE_SAFE: Final = "@*_+-./"
# Inside a string value: everything else becomes *XX (UTF-8 bytes).
_VALUE_SAFE: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
INSIGHTS_LIMIT: Final = 50


def _string(value: str) -> str:
    return "~'" + "".join(c if c in _VALUE_SAFE else "".join(f"*{b:02X}" for b in c.encode()) for c in value)


def _details(start: datetime, end: datetime, query: str, log_groups: Sequence[str]) -> str:
    fields = [
        ("end", _string(iso_utc(end))),
        ("start", _string(iso_utc(start))),
        ("timeType", _string("ABSOLUTE")),
        ("tz", _string("UTC")),
        ("editorString", _string(query)),
        ("isLiveTail", "~false"),
        ("source", "~(" + "".join(_string(g) for g in log_groups) + ")"),
    ]
    return "~(" + "~".join(key + value for key, value in fields) + ")"


def insights_query(insights_filter: str) -> str:
    """The query the email names and the link opens: the alarm's own predicate, newest first."""
    return f"fields @timestamp, @message | filter {insights_filter} | sort @timestamp desc | limit {INSIGHTS_LIMIT}"


def _percent(text: str, safe: str) -> str:
    """``%XX`` for every ASCII character but letters, digits and ``safe`` (the details are ASCII: their
    values are already ``*XX``-encoded). Written here: urllib.parse would add 3 ms to the cold start."""
    return "".join(c if c.isascii() and (c.isalnum() or c in safe) else f"%{ord(c):02X}" for c in text)


def _js_escape(text: str) -> str:
    """JavaScript's escape()."""
    return _percent(text, _ESCAPE_SAFE)


def _encode_uri_component(text: str) -> str:
    """JavaScript's encodeURIComponent()."""
    return _percent(text, "-_.!~*'()")


def insights_url(region: str, log_group: str, query: str, start: datetime, end: datetime) -> str:
    escaped = _js_escape(_details(start, end, query, [log_group]))
    fragment = _encode_uri_component("?queryDetail=" + escaped).replace("%", "$")
    return f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#logsV2:logs-insights{fragment}"
