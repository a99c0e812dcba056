"""The one timestamp form the handler writes: S3's eventTime form, which sorts as time does."""

from datetime import UTC, datetime


def iso_utc(moment: datetime) -> str:
    """``2024-05-01T12:00:00.123Z``: UTC, millisecond precision."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
