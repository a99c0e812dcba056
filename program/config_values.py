"""Parsers for config values: (key name, raw text) -> typed value, or ConfigError naming the key.

Pulumi hands every value as text, lists and objects as JSON text. Each parser here is the
``parse`` of one or more keys declared in program/config.py.
"""

import json
import re
from collections.abc import Callable
from typing import Final, TypeVar

from handlers.imaging.renditions import RenditionSpec, RenditionSpecError, parse_renditions
from layers.build import ARCHITECTURES, Architecture
from program.config_keys import ConfigError

# The values CloudWatch Logs accepts for retentionInDays.
LOG_RETENTION_DAYS: Final = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip
_EMAIL: Final = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_PHONE: Final = re.compile(r"^\+[1-9][0-9]{6,14}$")  # E.164, as SNS SMS requires
_KMS_KEY_ARN: Final = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+$")
_J = TypeVar("_J", list[object], dict[str, object])


def _int(key: str, raw: str, lo: int | None = None, hi: int | None = None) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(key, f"must be a whole number, got {raw!r}") from None
    if lo is not None and value < lo:
        bound = f"from {lo} to {hi}" if hi is not None else f"at least {lo}"
        raise ConfigError(key, f"must be {bound}, got {value}")
    if hi is not None and value > hi:
        raise ConfigError(key, f"must be from {lo} to {hi}, got {value}")
    return value


def whole(lo: int | None = None, hi: int | None = None) -> Callable[[str, str], int]:
    """A whole number, from lo to hi when given (either bound may be left open)."""
    return lambda key, raw: _int(key, raw, lo, hi)


def boolean(key: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered not in ("true", "false"):
        raise ConfigError(key, f"must be true or false, got {raw!r}")
    return lowered == "true"


def text(key: str, raw: str) -> str:
    """Non-empty text, stripped."""
    if not raw.strip():
        raise ConfigError(key, "must not be empty")
    return raw.strip()


def email(key: str, raw: str) -> str:
    value = raw.strip()
    if not _EMAIL.match(value):
        raise ConfigError(key, f"must be an email address like oncall@example.com, got {raw!r}")
    return value


def phones(key: str, raw: str) -> tuple[str, ...]:
    """A JSON list of E.164 phone numbers."""
    numbers: list[str] = []
    for v in _json(key, raw, list, "a list"):
        if not isinstance(v, str) or not _PHONE.match(v):
            raise ConfigError(key, f"must list phone numbers in E.164 form like +15551234567, got {v!r}")
        numbers.append(v)
    return tuple(numbers)


def _json(key: str, raw: str, kind: type[_J], noun: str) -> _J:
    """A structured value (Pulumi hands lists and objects as JSON text) of the expected kind."""
    try:
        value: object = json.loads(raw)
    except json.JSONDecodeError:
        raise ConfigError(key, f"must be {noun}, got {raw!r}") from None
    if not isinstance(value, kind):
        raise ConfigError(key, f"must be {noun}, got {raw!r}")
    return value


def architecture(key: str, raw: str) -> Architecture:
    for arch in ARCHITECTURES:
        if raw.strip() == arch:
            return arch
    raise ConfigError(key, f"must be one of {', '.join(ARCHITECTURES)}, got {raw!r}")


def retention_days(key: str, raw: str) -> int:
    """A retention CloudWatch Logs accepts."""
    value = _int(key, raw)
    if value not in LOG_RETENTION_DAYS:
        allowed = ", ".join(str(d) for d in LOG_RETENTION_DAYS)
        raise ConfigError(key, f"must be a retention CloudWatch Logs accepts ({allowed}), got {value}")
    return value


def concurrency(key: str, raw: str) -> int | None:
    """Reserved concurrency: -1 is Lambda's own "unreserved" (None); 0 would stop the function entirely."""
    value = _int(key, raw)
    if value == -1:
        return None
    if value < 1:
        raise ConfigError(key, f"must be -1 (unreserved) or at least 1, got {value}")
    return value


def renditions(key: str, raw: str) -> tuple[RenditionSpec, ...]:
    """A JSON list of rendition objects, checked by the handler's own parser."""
    try:
        decoded: object = json.loads(raw)
    except json.JSONDecodeError:
        raise ConfigError(key, f"must be a list of rendition objects, got {raw!r}") from None
    try:
        return parse_renditions(decoded)
    except RenditionSpecError as exc:
        raise ConfigError(key, f"is invalid: {exc}") from None


def tier_emails(key: str, raw: str) -> dict[str, tuple[str, ...]]:
    """A JSON object: alert tier -> list of extra email addresses."""
    from components.monitoring.catalogue import Tier

    tiers = [t.value for t in Tier]
    out: dict[str, tuple[str, ...]] = {}
    for tier, emails in _json(key, raw, dict, "an object").items():
        if tier not in tiers:
            raise ConfigError(key, f"has unknown tier {tier!r}; tiers: {', '.join(tiers)}")
        if not isinstance(emails, list):
            raise ConfigError(key, f"{tier} must be a list of email addresses, got {emails!r}")
        out[tier] = tuple(email(key, e if isinstance(e, str) else repr(e)) for e in emails)
    return out


def thresholds(key: str, raw: str) -> dict[str, float]:
    """A JSON object: alarm id -> threshold (a number of at least 0)."""
    from components.monitoring.catalogue import CONFIGURABLE_THRESHOLDS

    out: dict[str, float] = {}
    for alarm_id, value in _json(key, raw, dict, "an object").items():
        if alarm_id not in CONFIGURABLE_THRESHOLDS:
            known = ", ".join(sorted(CONFIGURABLE_THRESHOLDS))
            raise ConfigError(key, f"has unknown alarm {alarm_id!r}; alarms with a threshold: {known}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(key, f"{alarm_id} must be a number of at least 0, got {value!r}")
        out[alarm_id] = float(value)
    return out


def kms_key_arn(key: str, raw: str) -> str | None:
    """A KMS key ARN, or empty for None."""
    value = raw.strip()
    if not value:
        return None
    if not _KMS_KEY_ARN.match(value):
        raise ConfigError(key, f"must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), got {raw!r}")
    return value


_ORIGIN: Final = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
_USER_POOL_ID: Final = re.compile(r"^[a-z]{2}-[a-z]+-[0-9]_[0-9A-Za-z]+$")


def one_of(*allowed: str) -> Callable[[str, str], str]:
    """One of the given words."""

    def parse(key: str, raw: str) -> str:
        value = raw.strip()
        if value not in allowed:
            raise ConfigError(key, f"must be one of {', '.join(allowed)}, got {raw!r}")
        return value

    return parse


def origins(key: str, raw: str) -> tuple[str, ...]:
    """Exact browser origins (scheme://host[:port], no path), or "*" (refused on protected stacks)."""
    values = _json(key, raw, list, "a list")
    for value in values:
        if value != "*" and not (isinstance(value, str) and _ORIGIN.match(value)):
            raise ConfigError(key, f"must list origins like https://app.example.com (no path), got {value!r}")
    return tuple(str(v) for v in values)


def user_pool_id(key: str, raw: str) -> str | None:
    """A Cognito user pool ID (eu-west-1_AbC123), or empty for None."""
    value = raw.strip()
    if not value:
        return None
    if not _USER_POOL_ID.match(value):
        raise ConfigError(key, f"must be a Cognito user pool ID like eu-west-1_AbC123def, got {raw!r}")
    return value


_IAM_PRINCIPAL: Final = re.compile(r"^arn:aws[a-z-]*:(iam::\d{12}:(root|user/.+|role/.+)|sts::\d{12}:assumed-role/.+)$")


def principals(key: str, raw: str) -> tuple[str, ...]:
    """IAM principal ARNs (accounts, users, roles)."""
    values = _json(key, raw, list, "a list")
    for value in values:
        if not (isinstance(value, str) and _IAM_PRINCIPAL.match(value)):
            raise ConfigError(
                key, f"must list IAM principal ARNs like arn:aws:iam::123456789012:role/auditors, got {value!r}"
            )
    return tuple(str(v) for v in values)


_SCHEDULE: Final = re.compile(r"^(cron\([^()]+\)|rate\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\))$")


def schedule(key: str, raw: str) -> str:
    """An EventBridge Scheduler expression: cron(...) or rate(...)."""
    value = raw.strip()
    if not _SCHEDULE.match(value) or (value.startswith("cron(") and len(value[5:-1].split()) != 6):
        raise ConfigError(key, f"must be cron(minutes hours day month weekday year) or rate(N unit), got {raw!r}")
    return value
