"""Media types as HTTP has them (RFC 9110 section 8.3.1): ``type/subtype`` compared case-insensitively,
parameters apart.

    media-type = type "/" subtype parameters
    parameters = *( OWS ";" OWS [ parameter ] )
    parameter  = parameter-name "=" ( token / quoted-string )

``IMAGE/JPEG`` and ``image/jpeg; charset=binary`` (what ``file --mime`` says) are both ``image/jpeg``;
a value that is not a media type at all is none.
"""

import re
from typing import Final

# RFC 6838 caps a type and a subtype name at 127 characters each; real values are far shorter.
MAX_MEDIA_TYPE_CHARS: Final = 255
_TOKEN: Final = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_QUOTED_STRING: Final = r'"(?:[\t !#-\[\]-~\x80-\xff]|\\[\t -~\x80-\xff])*"'
_OWS: Final = r"[ \t]*"
_MEDIA_TYPE: Final = re.compile(
    rf"(?P<type>{_TOKEN})/(?P<subtype>{_TOKEN})"
    rf"(?:{_OWS};{_OWS}(?:{_TOKEN}=(?:{_TOKEN}|{_QUOTED_STRING}))?)*{_OWS}"
)


def normalized_media_type(value: str) -> str | None:
    """``type/subtype`` in lower case, without parameters; None when ``value`` is no media type.

    Spaces and tabs around the value are dropped, as an HTTP parser drops them around a field value.
    """
    if len(value) > MAX_MEDIA_TYPE_CHARS:
        return None
    match = _MEDIA_TYPE.fullmatch(value.strip(" \t"))
    if match is None:
        return None
    return f"{match['type']}/{match['subtype']}".lower()
