"""The cleanup function's environment, read into a frozen ``CleanupSettings``; errors name the variable.

Its own reader, not ``handlers.edge.settings``: that one parses renditions through the image core,
which imports Pillow. ``MAX_AGE_DAYS`` has no default: how much data a scheduled job deletes is
said by the stack, never assumed.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from handlers import contract
from handlers.environment import SettingsError, required

# A sanity bound, not a policy: far beyond any real age, far below what a datetime can subtract.
MAX_AGE_DAYS_LIMIT: Final = 36_500


@dataclass(frozen=True)
class CleanupSettings:
    upload_bucket: str
    processed_bucket: str
    metadata_table: str
    max_age_days: int

    def __post_init__(self) -> None:
        # Here, not only in the reader: no way of making settings lets an age of 0 through.
        name = contract.ENV_CLEANUP_MAX_AGE_DAYS
        if self.max_age_days < contract.CLEANUP_MIN_AGE_DAYS:
            raise SettingsError(
                f"{name} must be at least {contract.CLEANUP_MIN_AGE_DAYS}, got {self.max_age_days}: "
                "refusing to delete everything"
            )
        if self.max_age_days > MAX_AGE_DAYS_LIMIT:
            raise SettingsError(f"{name} must be at most {MAX_AGE_DAYS_LIMIT}, got {self.max_age_days}")

    def cutoff(self, now: datetime) -> datetime:
        """Versions last modified, and items uploaded, before this moment are deleted."""
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError(f"the cleanup's clock must be timezone-aware, got {now!r}")
        return now - timedelta(days=self.max_age_days)


def load_cleanup_settings(environ: Mapping[str, str]) -> CleanupSettings:
    return CleanupSettings(
        upload_bucket=required(environ, contract.ENV_UPLOAD_BUCKET, "the bucket uploads go to"),
        processed_bucket=required(environ, contract.ENV_PROCESSED_BUCKET, "the bucket renditions are in"),
        metadata_table=required(environ, contract.ENV_METADATA_TABLE, "the DynamoDB table of image metadata"),
        max_age_days=_days(environ, contract.ENV_CLEANUP_MAX_AGE_DAYS),
    )


def _days(environ: Mapping[str, str], name: str) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        raise SettingsError(f"{name} is not set; it must say how many days old a version or item must be to go")
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number of days, got {raw!r}") from None
