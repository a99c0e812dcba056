"""The one timestamp form the handler writes: S3's eventTime form, which sorts as time does."""

import re
from datetime import UTC, datetime
from typing import Final

_ISO_UTC: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z")
_ISO_UTC_FORMAT: Final = "%Y-%m-%dT%H:%M:%S.%fZ"


def iso_utc(moment: datetime) -> str:
    """``2024-05-01T12:00:00.123Z``: UTC, millisecond precision."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def is_iso_utc(value: object) -> bool:
    """Whether ``value`` is a real moment written exactly as ``iso_utc`` writes one."""
    if not isinstance(value, str) or _ISO_UTC.fullmatch(value) is None:
        return False
    try:
        datetime.strptime(value, _ISO_UTC_FORMAT)
    except ValueError:  # 2025-02-30, 25:00
        return False
    return True
