"""A log line reduced to what an on-call engineer needs, and nothing secret or uploaded beyond keys and reasons.

Only allow-listed fields are read (time, event, level, error code and message, reason, the image key,
the API request id, the request id); everything else on the line is dropped unread. What is kept is
then scrubbed: URLs (a presigned URL carries a signature and grants access) and anything that looks
like a credential become a marker, control characters go, and each value is cut to a line's width.
A line too large to parse is reported by its size only.
"""

import json
import re
from dataclasses import dataclass
from typing import Final

from handlers.telemetry import events as ev

# CloudWatch Logs events are at most 256 KB; anything larger is not parsed (and never shown).
MAX_PARSED_BYTES: Final = 256 * 1024
MAX_VALUE_CHARS: Final = 160
URL_MARK: Final = "[url removed]"
SECRET_MARK: Final = "[removed]"

_URL: Final = re.compile(r"(?i)\b(?:https?|s3|ftp)://\S+")
# JSON Web Tokens (Cognito's ID and access tokens among them).
_JWT: Final = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
# name=value or name: value where the name says it is a secret.
_NAMED_SECRET: Final = re.compile(
    r"(?i)\b((?:x-amz-[a-z-]+|authorization|bearer|token|access[_-]?token|id[_-]?token|secret|password|"
    r"signature|credential|api[_-]?key|session[_-]?token|cookie)[\"']?\s*[=:]\s*)[\"']?[^\s,;\"'&]+"
)
_BEARER: Final = re.compile(r"(?i)\bbearer\s+[^\s,;]+")
# Long opaque runs (keys, signatures, base64 bodies): nothing a person reads.
_OPAQUE: Final = re.compile(r"[A-Za-z0-9+=_-]{40,}")
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")

# (label, the fields it is read from, in order of preference): the allow-list.
_FIELDS: Final = (
    ("event", (ev.FIELD_EVENT, ev.FIELD_PLATFORM_TYPE)),
    ("level", (ev.FIELD_LEVEL, ev.FIELD_RUNTIME_LOG_LEVEL)),
    ("error", (ev.FIELD_ERROR_CODE, ev.FIELD_ERROR_TYPE, ev.FIELD_RUNTIME_ERROR_TYPE)),
    ("message", (ev.FIELD_ERROR_MESSAGE, ev.FIELD_RUNTIME_ERROR_MESSAGE, ev.FIELD_DETAIL)),
    ("reason", (ev.FIELD_REASON,)),
    ("processing ms", (ev.FIELD_PROCESSING_TIME_MS,)),
    ("key", (ev.FIELD_KEY,)),
    ("api_request_id", (ev.FIELD_API_REQUEST_ID,)),
    ("request_id", (ev.FIELD_REQUEST_ID,)),
)


@dataclass(frozen=True)
class EvidenceLine:
    """One matching log line, reduced: ``time`` in milliseconds since the epoch, then label -> value."""

    time_ms: int
    fields: tuple[tuple[str, str], ...]
    note: str = ""

    def get(self, label: str) -> str | None:
        return dict(self.fields).get(label)


def scrub(value: str, *, opaque: bool = True) -> str:
    """One value made safe to mail: no URLs, no credentials, no control characters, one short line.

    ``opaque=False`` keeps long runs of letters and digits: an object key is the user's to name and
    is what on-call needs verbatim.
    """
    text = _CONTROL.sub(" ", value)
    text = _URL.sub(URL_MARK, text)
    text = _JWT.sub(SECRET_MARK, text)
    text = _BEARER.sub("Bearer " + SECRET_MARK, text)
    text = _NAMED_SECRET.sub(lambda m: m.group(1) + SECRET_MARK, text)
    if opaque:
        text = _OPAQUE.sub(SECRET_MARK, text)
    text = " ".join(text.split())
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 3] + "..."


def reduce_line(message: str, time_ms: int) -> EvidenceLine:
    """The allow-listed fields of one log line (its event's message, as CloudWatch Logs stores it)."""
    size = len(message.encode("utf-8", "replace"))
    if size > MAX_PARSED_BYTES:
        return EvidenceLine(time_ms, (), note=f"a {size:,}-byte line, not shown")
    try:
        line = json.loads(message)
    except ValueError:
        return EvidenceLine(time_ms, (), note="not a JSON line, not shown")
    if not isinstance(line, dict):
        return EvidenceLine(time_ms, (), note="not a JSON object, not shown")
    kept: list[tuple[str, str]] = []
    for label, names in _FIELDS:
        for name in names:
            value = line.get(name)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
                kept.append((label, scrub(str(value), opaque=label != "key")))
                break
    return EvidenceLine(time_ms, tuple(kept))
