"""The stack's configuration: read once, validated, frozen.

``parse_config`` is pure (raw strings in, ``StackConfig`` out) so every rule is unit-tested
without Pulumi; ``load_config`` reads the running stack's config and ``load_stack_file``
reads ``Pulumi.{stack}.yaml`` directly (the offline plan and the local demo use it).
Every key is declared once in ``KEYS``; the README's config table is generated from it.
"""

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

import yaml

from handlers import contract
from handlers.imaging.renditions import (
    DEFAULT_RENDITIONS,
    RenditionSpec,
    RenditionSpecError,
    parse_renditions,
)
from layers.build import ARCHITECTURES, Architecture

PROJECT: Final = "imagepipe"
_J = TypeVar("_J", list[Any], dict[str, Any])
# The stacks this repository configures (Pulumi.{stack}.yaml).
STACKS: Final = ("dev", "prod")
ROOT: Final = Path(__file__).resolve().parent.parent

# The values CloudWatch Logs accepts for retentionInDays.
LOG_RETENTION_DAYS: Final = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip
MAX_LAMBDA_TIMEOUT_S: Final = 900
LAMBDA_MEMORY_RANGE: Final = (128, 10240)
# Lambda async invocation limits.
MAX_RETRY_ATTEMPTS_RANGE: Final = (0, 2)
MAX_EVENT_AGE_RANGE: Final = (60, 21600)
_EMAIL: Final = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_PHONE: Final = re.compile(r"^\+[1-9][0-9]{6,14}$")  # E.164, as SNS SMS requires


class ConfigError(ValueError):
    """A config value is missing or not allowed. The message names the key and what is allowed."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{PROJECT}:{key} {problem}")
        self.key = key


@dataclass(frozen=True)
class FunctionConfig:
    """The image-processing Lambda."""

    memory_mb: int
    timeout_s: int
    architecture: Architecture
    reserved_concurrency: int | None
    tracing: bool
    log_retention_days: int
    max_retry_attempts: int
    max_event_age_s: int


@dataclass(frozen=True)
class ProcessingConfig:
    """What the handler makes and what it refuses; handed to it as environment variables."""

    renditions: tuple[RenditionSpec, ...]
    max_object_bytes: int
    max_pixels: int
    min_remaining_ms: int


@dataclass(frozen=True)
class StorageConfig:
    """Bucket lifecycle and teardown behaviour."""

    force_destroy: bool
    ia_transition_days: int
    thumbnail_expiration_days: int
    noncurrent_expiration_days: int
    abort_multipart_days: int
    kms_key_arn: str | None


@dataclass(frozen=True)
class AlertingConfig:
    """Who hears about alarms, per tier, and the thresholds that decide when."""

    alert_email: str
    critical_sms: tuple[str, ...]
    # Extra email addresses per tier ("critical", "performance", "log-alerts"), besides alert_email.
    tier_emails: Mapping[str, tuple[str, ...]]
    # Overrides of the catalogue's default thresholds, by alarm id.
    alarm_thresholds: Mapping[str, float]
    # Whether silence is itself a fault (the no-invocations and too-few-successes alarms).
    expect_traffic: bool
    no_traffic_minutes: int


@dataclass(frozen=True)
class StackConfig:
    project: str
    stack: str
    cost_center: str
    function: FunctionConfig
    processing: ProcessingConfig
    storage: StorageConfig
    alerting: AlertingConfig

    @property
    def environment(self) -> str:
        return self.stack


# --- value parsers: raw config string -> typed value, or ConfigError naming the key ---


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


def _bool(key: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered not in ("true", "false"):
        raise ConfigError(key, f"must be true or false, got {raw!r}")
    return lowered == "true"


def _str(key: str, raw: str) -> str:
    if not raw.strip():
        raise ConfigError(key, "must not be empty")
    return raw.strip()


def _email(key: str, raw: str) -> str:
    value = raw.strip()
    if not _EMAIL.match(value):
        raise ConfigError(key, f"must be an email address like oncall@example.com, got {raw!r}")
    return value


def _phones(key: str, raw: str) -> tuple[str, ...]:
    values = _json_list(key, raw)
    for v in values:
        if not isinstance(v, str) or not _PHONE.match(v):
            raise ConfigError(key, f"must list phone numbers in E.164 form like +15551234567, got {v!r}")
    return tuple(values)


def _json(key: str, raw: str, kind: type[_J], noun: str) -> _J:
    """A structured value (Pulumi hands lists and objects as JSON text) of the expected kind."""
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        raise ConfigError(key, f"must be {noun}, got {raw!r}") from None
    if not isinstance(value, kind):
        raise ConfigError(key, f"must be {noun}, got {raw!r}")
    return value


def _json_list(key: str, raw: str) -> list[Any]:
    return _json(key, raw, list, "a list")


def _json_object(key: str, raw: str) -> dict[str, Any]:
    return _json(key, raw, dict, "an object")


def _architecture(key: str, raw: str) -> Architecture:
    for arch in ARCHITECTURES:
        if raw.strip() == arch:
            return arch
    raise ConfigError(key, f"must be one of {', '.join(ARCHITECTURES)}, got {raw!r}")


def _retention(key: str, raw: str) -> int:
    value = _int(key, raw)
    if value not in LOG_RETENTION_DAYS:
        allowed = ", ".join(str(d) for d in LOG_RETENTION_DAYS)
        raise ConfigError(key, f"must be a retention CloudWatch Logs accepts ({allowed}), got {value}")
    return value


def _renditions(key: str, raw: str) -> tuple[RenditionSpec, ...]:
    try:
        return parse_renditions(json.loads(raw))
    except json.JSONDecodeError:
        raise ConfigError(key, f"must be a list of rendition objects, got {raw!r}") from None
    except RenditionSpecError as exc:
        raise ConfigError(key, f"is invalid: {exc}") from None


def _tier_emails(key: str, raw: str) -> dict[str, tuple[str, ...]]:
    from components.monitoring.catalogue import Tier

    tiers = [t.value for t in Tier]
    out: dict[str, tuple[str, ...]] = {}
    for tier, emails in _json_object(key, raw).items():
        if tier not in tiers:
            raise ConfigError(key, f"has unknown tier {tier!r}; tiers: {', '.join(tiers)}")
        if not isinstance(emails, list):
            raise ConfigError(key, f"{tier} must be a list of email addresses, got {emails!r}")
        out[tier] = tuple(_email(key, e) if isinstance(e, str) else _email(key, repr(e)) for e in emails)
    return out


def _thresholds(key: str, raw: str) -> dict[str, float]:
    from components.monitoring.catalogue import CONFIGURABLE_THRESHOLDS

    out: dict[str, float] = {}
    for alarm_id, value in _json_object(key, raw).items():
        if alarm_id not in CONFIGURABLE_THRESHOLDS:
            known = ", ".join(sorted(CONFIGURABLE_THRESHOLDS))
            raise ConfigError(key, f"has unknown alarm {alarm_id!r}; alarms with a threshold: {known}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(key, f"{alarm_id} must be a number of at least 0, got {value!r}")
        out[alarm_id] = float(value)
    return out


def _optional_arn(key: str, raw: str) -> str | None:
    value = raw.strip()
    if not value:
        return None
    if not re.match(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+$", value):
        raise ConfigError(key, f"must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), got {raw!r}")
    return value


@dataclass(frozen=True)
class Key:
    """One config key: its parser, default (None = required) and the README's description."""

    name: str
    type: str
    default: str | None
    meaning: str
    parse: Callable[[str, str], Any]


def _days(key: str, raw: str) -> int:
    return _int(key, raw, lo=1)


def _positive(key: str, raw: str) -> int:
    return _int(key, raw, lo=1)


def _concurrency(key: str, raw: str) -> int | None:
    # -1 is Lambda's own "unreserved"; 0 would stop the function entirely.
    value = _int(key, raw)
    if value == -1:
        return None
    if value < 1:
        raise ConfigError(key, f"must be -1 (unreserved) or at least 1, got {value}")
    return value


KEYS: Final[tuple[Key, ...]] = (
    Key("costCenter", "string", None, "CostCenter tag on every resource", _str),
    Key("alertEmail", "string", None, "email that receives every alert tier", _email),
    Key("criticalSms", "list of E.164 numbers", "[]", "phones that get critical alerts by SMS", _phones),
    Key("memoryMb", "int", "1024", "Lambda memory (MB, 128-10240)",
        lambda k, r: _int(k, r, *LAMBDA_MEMORY_RANGE)),
    Key("timeoutSeconds", "int", "60", "Lambda timeout (s, 1-900)",
        lambda k, r: _int(k, r, 1, MAX_LAMBDA_TIMEOUT_S)),
    Key("architecture", "string", "arm64", "Lambda architecture: arm64 or x86_64", _architecture),
    Key("reservedConcurrency", "int", "-1", "reserved concurrent executions (-1: unreserved)", _concurrency),
    Key("tracing", "bool", "false", "X-Ray active tracing", _bool),
    Key("logRetentionDays", "int", "7", "function log retention (a CloudWatch value)", _retention),
    Key("maxRetryAttempts", "int", "2", "async invoke retries before the failure queue (0-2)",
        lambda k, r: _int(k, r, *MAX_RETRY_ATTEMPTS_RANGE)),
    Key("maxEventAgeSeconds", "int", "21600", "oldest event Lambda still delivers (s, 60-21600)",
        lambda k, r: _int(k, r, *MAX_EVENT_AGE_RANGE)),
    Key("renditions", "list of objects", None, "renditions: name, width, height, formats, alpha_formats",
        _renditions),
    Key("maxObjectBytes", "int", str(contract.DEFAULT_MAX_OBJECT_BYTES), "largest upload processed (bytes)",
        _positive),
    Key("maxPixels", "int", str(contract.DEFAULT_MAX_PIXELS), "largest image processed (pixels, from header)",
        _positive),
    Key("minRemainingMs", "int", str(contract.DEFAULT_MIN_REMAINING_MS),
        "below this remaining time a record is retried, not started", _positive),
    Key("forceDestroy", "bool", "false", "let `pulumi destroy` delete non-empty buckets", _bool),
    Key("iaTransitionDays", "int", "30", "days before objects move to STANDARD_IA", _days),
    Key("thumbnailExpirationDays", "int", "90", "days before thumbnails expire", _days),
    Key("noncurrentExpirationDays", "int", "30", "days before noncurrent versions expire", _days),
    Key("abortMultipartDays", "int", "7", "days before incomplete multipart uploads are aborted", _days),
    Key("tierEmails", "object", "{}", "extra emails per tier: critical, performance, log-alerts", _tier_emails),
    Key("alarmThresholds", "object", "{}", "alarm thresholds by alarm id (docs/alerts.md lists them)", _thresholds),
    Key("expectTraffic", "bool", "false", "alarm when no images arrive (prod)", _bool),
    Key("noTrafficMinutes", "int", "60", "silence that counts as no traffic (min)", lambda k, r: _int(k, r, 5, 1440)),
    Key("kmsKeyArn", "string", "",
        "customer KMS key for buckets, table, queue and logs (empty: each service's own key)", _optional_arn),
)  # fmt: skip
_BY_NAME: Final = {k.name: k for k in KEYS}
DEFAULT_RENDITIONS_JSON: Final = json.dumps([s.to_json() for s in DEFAULT_RENDITIONS])


def parse_config(raw: Mapping[str, str], stack: str, project: str = PROJECT) -> StackConfig:
    """Validate raw config (key without namespace -> string, as Pulumi hands it) into a StackConfig."""
    unknown = sorted(set(raw) - set(_BY_NAME))
    if unknown:
        raise ConfigError(unknown[0], f"is not a known key; known keys: {', '.join(sorted(_BY_NAME))}")

    def get(name: str) -> Any:
        key = _BY_NAME[name]
        value = raw.get(name)
        if value is None:
            if name == "renditions":
                value = DEFAULT_RENDITIONS_JSON
            elif key.default is None:
                raise ConfigError(name, f"is required ({key.meaning}); set it with `pulumi config set {name} ...`")
            else:
                value = key.default
        return key.parse(name, value)

    return StackConfig(
        project=project,
        stack=stack,
        cost_center=get("costCenter"),
        function=FunctionConfig(
            memory_mb=get("memoryMb"),
            timeout_s=get("timeoutSeconds"),
            architecture=get("architecture"),
            reserved_concurrency=get("reservedConcurrency"),
            tracing=get("tracing"),
            log_retention_days=get("logRetentionDays"),
            max_retry_attempts=get("maxRetryAttempts"),
            max_event_age_s=get("maxEventAgeSeconds"),
        ),
        processing=ProcessingConfig(
            renditions=get("renditions"),
            max_object_bytes=get("maxObjectBytes"),
            max_pixels=get("maxPixels"),
            min_remaining_ms=get("minRemainingMs"),
        ),
        storage=StorageConfig(
            force_destroy=get("forceDestroy"),
            ia_transition_days=get("iaTransitionDays"),
            thumbnail_expiration_days=get("thumbnailExpirationDays"),
            noncurrent_expiration_days=get("noncurrentExpirationDays"),
            abort_multipart_days=get("abortMultipartDays"),
            kms_key_arn=get("kmsKeyArn"),
        ),
        alerting=AlertingConfig(
            alert_email=get("alertEmail"),
            critical_sms=get("criticalSms"),
            tier_emails=get("tierEmails"),
            alarm_thresholds=get("alarmThresholds"),
            expect_traffic=get("expectTraffic"),
            no_traffic_minutes=get("noTrafficMinutes"),
        ),
    )


def _as_pulumi_string(value: object) -> str:
    """Pulumi hands scalars as text and objects/lists as JSON; mirror that for stack files."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def stack_file_values(stack: str, root: Path = ROOT, project: str = PROJECT) -> dict[str, str]:
    """The raw `{project}:` values of Pulumi.{stack}.yaml, as strings the way Pulumi passes them."""
    path = root / f"Pulumi.{stack}.yaml"
    if not path.exists():
        raise ConfigError("stack", f"file {path.name} does not exist (stacks: dev, prod)")
    document = yaml.safe_load(path.read_text()) or {}
    values = document.get("config") or {}
    prefix = f"{project}:"
    return {k[len(prefix) :]: _as_pulumi_string(v) for k, v in values.items() if k.startswith(prefix)}


def load_stack_file(stack: str, root: Path = ROOT) -> StackConfig:
    return parse_config(stack_file_values(stack, root), stack)


def load_config() -> StackConfig:
    """Read the running Pulumi stack's config (inside `pulumi up/preview` or the mock runtime).

    Every key set under the project's namespace is read, so a typo is refused instead of ignored.
    """
    import pulumi  # imported here so the local demo does not pay for the Pulumi SDK
    from pulumi.runtime.config import CONFIG, get_config_env

    project = pulumi.get_project()
    config = pulumi.Config(project)
    prefix = f"{project}:"
    present = {**(get_config_env() or {}), **CONFIG.get()}
    names = sorted({key[len(prefix) :] for key in present if key.startswith(prefix)} | {k.name for k in KEYS})
    raw = {name: value for name in names if (value := config.get(name)) is not None}
    return parse_config(raw, pulumi.get_stack(), project)
