"""The stack's configuration: read once, validated, frozen.

Every key is declared once, with ``key(...)`` on the section field it fills: its name, README
type, default (the component Args' own default, imported), help text and typed parser. Parsing
(``read_section``), the README's config table (``KEYS``, see offline/config_table.py) and the
error messages are derived from those declarations (program/config_keys.py); the parsers are in
program/config_values.py.

``parse_config`` is pure (raw strings in, ``StackConfig`` out) so every rule is unit-tested
without Pulumi; ``load_config`` reads the running stack's config and ``load_stack_file``
reads ``Pulumi.{stack}.yaml`` directly (the offline plan and the local demo use it).
"""

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Final, cast

import yaml

from components import dev_cleanup, image_api, image_pipeline, lambda_function, secure_bucket
from components.dev_cleanup import MAX_AGE_DAYS as CLEANUP_MAX_AGE_DAYS
from components.dev_cleanup import SCHEDULE as CLEANUP_SCHEDULE
from components.function_defaults import (
    ARCHITECTURE,
    LOG_RETENTION_DAYS,
    MAX_EVENT_AGE_SECONDS,
    MAX_RETRY_ATTEMPTS,
    MEMORY_MB,
    TIMEOUT_SECONDS,
    UNRESERVED,
)
from components.image_api import COGNITO, NO_AUTHORIZER, THROTTLE_BURST_LIMIT, THROTTLE_RATE_LIMIT
from components.image_pipeline import THUMBNAIL_EXPIRATION_DAYS
from components.inputs import aws_values, e164, each, email
from components.monitoring import alarms, catalogue
from components.monitoring.catalogue import NO_TRAFFIC_MINUTES, Tier
from components.secure_bucket import ABORT_MULTIPART_DAYS, IA_TRANSITION_DAYS, NONCURRENT_EXPIRATION_DAYS
from handlers import contract
from handlers.imaging.renditions import DEFAULT_RENDITIONS, RenditionSpec
from layers.build import Architecture
from program import config_values as parse
from program.config_keys import PROJECT, ConfigError, Key, KeyField, Listed, key, key_fields, read_section, section
from program.config_values import checked

__all__ = [
    "KEYS",
    "KEY_FIELDS",
    "PROJECT",
    "PROTECTED_STACKS",
    "ROOT",
    "STACKS",
    "AlertingConfig",
    "ApiConfig",
    "CleanupConfig",
    "ComplianceConfig",
    "ConfigError",
    "FunctionConfig",
    "ProcessingConfig",
    "StackConfig",
    "StorageConfig",
    "load_config",
    "load_stack_file",
    "parse_config",
    "stack_file_values",
]

# The stacks this repository configures (Pulumi.{stack}.yaml).
STACKS: Final = ("dev", "prod")
# Stacks that hold real users' data: settings that only suit a test stack are refused there.
PROTECTED_STACKS: Final = ("prod",)
# Seed 003: logs kept at least 90 days in compliance mode.
COMPLIANCE_MIN_RETENTION_DAYS: Final = 90
ROOT: Final = Path(__file__).resolve().parent.parent

# The rules of the fields the keys fill, from the components that own them.
_PIPELINE: Final = image_pipeline.INPUTS
_API: Final = image_api.INPUTS
_CLEANUP: Final = dev_cleanup.INPUTS


def _architecture(key: str, raw: str) -> Architecture:
    return cast(Architecture, checked(parse.text, lambda_function.architecture)(key, raw))


@section
class FunctionConfig:
    """The image-processing Lambda."""

    memory_mb: int = key(
        "memoryMb",
        "int",
        str(MEMORY_MB),
        "Lambda memory (MB, 128-10240)",
        checked(parse.integer, lambda_function.memory_mb),
    )
    timeout_s: int = key(
        "timeoutSeconds",
        "int",
        str(TIMEOUT_SECONDS),
        "Lambda timeout (s, 1-900)",
        checked(parse.integer, lambda_function.timeout_seconds),
    )
    architecture: Architecture = key(
        "architecture", "string", ARCHITECTURE, "Lambda architecture: arm64 or x86_64", _architecture
    )
    reserved_concurrency: int = key(
        "reservedConcurrency",
        "int",
        str(UNRESERVED),
        "reserved concurrent executions (-1: unreserved)",
        checked(parse.integer, lambda_function.reserved_concurrency),
    )
    tracing: bool = key("tracing", "bool", "false", "X-Ray active tracing", parse.boolean)
    log_retention_days: int = key(
        "logRetentionDays",
        "int",
        str(LOG_RETENTION_DAYS),
        "function log retention (a CloudWatch value)",
        checked(parse.integer, aws_values.log_retention_days),
    )
    max_retry_attempts: int = key(
        "maxRetryAttempts",
        "int",
        str(MAX_RETRY_ATTEMPTS),
        "async invoke retries before the failure queue (0-2)",
        checked(parse.integer, lambda_function.max_retry_attempts),
    )
    max_event_age_s: int = key(
        "maxEventAgeSeconds",
        "int",
        str(MAX_EVENT_AGE_SECONDS),
        "oldest event Lambda still delivers (s, 60-21600)",
        checked(parse.integer, lambda_function.max_event_age_seconds),
    )
    reprocess_concurrency: int = key(
        "reprocessConcurrency",
        "int",
        str(UNRESERVED),
        "reserved concurrency of the reprocessing function, which S3 Batch Operations jobs invoke (-1: unreserved)",
        checked(parse.integer, _PIPELINE.rule("reprocess_concurrency")),
    )


@section
class ProcessingConfig:
    """What the handler makes and what it refuses; handed to it as environment variables."""

    renditions: tuple[RenditionSpec, ...] = key(
        "renditions",
        "list of objects",
        json.dumps([spec.to_json() for spec in DEFAULT_RENDITIONS]),
        "renditions: name, width, height, formats, alpha_formats",
        parse.renditions,
        shown_default=f"{len(DEFAULT_RENDITIONS)} renditions (below)",
    )
    max_object_bytes: int = key(
        "maxObjectBytes",
        "int",
        str(contract.DEFAULT_MAX_OBJECT_BYTES),
        "largest upload processed (bytes)",
        checked(parse.integer, _PIPELINE.rule("max_object_bytes")),
    )
    max_pixels: int = key(
        "maxPixels",
        "int",
        str(contract.DEFAULT_MAX_PIXELS),
        "largest image processed (pixels, from header)",
        checked(parse.integer, _PIPELINE.rule("max_pixels")),
    )
    min_remaining_ms: int = key(
        "minRemainingMs",
        "int",
        str(contract.DEFAULT_MIN_REMAINING_MS),
        "below this remaining time a record is retried, not started",
        checked(parse.integer, _PIPELINE.rule("min_remaining_ms")),
    )


@section
class StorageConfig:
    """Bucket lifecycle and teardown behaviour."""

    force_destroy: bool = key(
        "forceDestroy", "bool", "false", "let `pulumi destroy` delete non-empty buckets", parse.boolean
    )
    ia_transition_days: int = key(
        "iaTransitionDays",
        "int",
        str(IA_TRANSITION_DAYS),
        "days before objects move to STANDARD_IA (0: never)",
        checked(parse.integer, secure_bucket.ia_transition_days),
    )
    thumbnail_expiration_days: int = key(
        "thumbnailExpirationDays",
        "int",
        str(THUMBNAIL_EXPIRATION_DAYS),
        "days before the thumbnail rendition expires (unless it sets expiration_days)",
        checked(parse.integer, _PIPELINE.rule("thumbnail_expiration_days")),
    )
    noncurrent_expiration_days: int = key(
        "noncurrentExpirationDays",
        "int",
        str(NONCURRENT_EXPIRATION_DAYS),
        "days before noncurrent versions expire",
        checked(parse.integer, _PIPELINE.rule("noncurrent_expiration_days")),
    )
    abort_multipart_days: int = key(
        "abortMultipartDays",
        "int",
        str(ABORT_MULTIPART_DAYS),
        "days before incomplete multipart uploads are aborted",
        checked(parse.integer, _PIPELINE.rule("abort_multipart_days")),
    )
    kms_key_arn: str | None = key(
        "kmsKeyArn",
        "string",
        "",
        "customer KMS key for buckets, table, queue and logs (empty: each service's own key)",
        parse.optional(checked(parse.text, aws_values.kms_key_arn)),
        listed=Listed.LAST,
    )


@section
class AlertingConfig:
    """Who hears about alarms, per tier, and the thresholds that decide when."""

    alert_email: str = key(
        "alertEmail",
        "string",
        None,
        "email that receives every alert tier",
        checked(parse.text, email),
        listed=Listed.FIRST,
    )
    critical_sms: tuple[str, ...] = key(
        "criticalSms",
        "list of E.164 numbers",
        "[]",
        "phones that get critical alerts by SMS",
        checked(parse.strings, each(e164)),
        listed=Listed.FIRST,
    )
    # Extra email addresses per tier ("critical", "performance", "log-alerts"), besides alert_email.
    tier_emails: Mapping[str, tuple[str, ...]] = key(
        "tierEmails",
        "object",
        "{}",
        "extra emails per tier: critical, performance, log-alerts",
        parse.lists_by_name("tier", tuple(t.value for t in Tier), email),
    )
    # Overrides of the catalogue's default thresholds, by alarm id.
    alarm_thresholds: Mapping[str, float] = key(
        "alarmThresholds",
        "object",
        "{}",
        "alarm thresholds by alarm id (docs/alerts.md lists them)",
        parse.thresholds(catalogue.alarm_thresholds),
    )
    # Whether silence is itself a fault (the no-invocations and too-few-successes alarms).
    expect_traffic: bool = key(
        "expectTraffic", "bool", "false", "page when uploads arrive but go unprocessed (prod)", parse.boolean
    )
    no_traffic_minutes: int = key(
        "noTrafficMinutes",
        "int",
        str(NO_TRAFFIC_MINUTES),
        "silence that counts as no traffic (min)",
        checked(parse.integer, catalogue.no_traffic_minutes),
    )
    runbook_url: str | None = key(
        "runbookUrl",
        "string",
        "",
        "where docs/alerts.md is published; each alarm email links its section (empty: no link)",
        parse.optional(checked(parse.text, alarms.runbook_url)),
    )


@section
class ApiConfig:
    """The image API: who may call it, from which browser origins, how fast."""

    authorizer: str = key(
        "apiAuthorizer",
        "string",
        COGNITO,
        f"{COGNITO}: every route needs a Cognito token; {NO_AUTHORIZER}: no sign-in (never on prod)",
        checked(parse.text, _API.rule("authorizer")),
    )
    user_pool_id: str | None = key(
        "apiUserPoolId",
        "string",
        "",
        "existing Cognito user pool (empty: the stack creates one)",
        parse.optional(checked(parse.text, aws_values.user_pool_id)),
    )
    cors_origins: tuple[str, ...] = key(
        "apiCorsOrigins",
        "list of origins",
        "[]",
        "exact browser origins allowed to call the API",
        checked(parse.strings, _API.rule("cors_origins")),
    )
    throttle_rate: int = key(
        "apiThrottleRate",
        "int",
        str(THROTTLE_RATE_LIMIT),
        "steady API requests per second",
        checked(parse.integer, _API.rule("throttle_rate_limit")),
    )
    throttle_burst: int = key(
        "apiThrottleBurst",
        "int",
        str(THROTTLE_BURST_LIMIT),
        "API requests allowed in a burst",
        checked(parse.integer, _API.rule("throttle_burst_limit")),
    )


@section
class ComplianceConfig:
    """Compliance mode (seed 003): customer-managed keys, a private network, separation of duties."""

    enabled: bool = key(
        "compliance",
        "bool",
        "false",
        "customer-managed keys, private subnets, strict bucket policies, auditor and operator roles",
        parse.boolean,
    )
    auditor_principals: tuple[str, ...] = key(
        "auditorPrincipals",
        "list of IAM ARNs",
        "[]",
        "who may assume the auditor role (with MFA)",
        checked(parse.strings, each(aws_values.iam_principal_arn)),
    )
    operator_principals: tuple[str, ...] = key(
        "operatorPrincipals",
        "list of IAM ARNs",
        "[]",
        "who may assume the operator role (with MFA)",
        checked(parse.strings, each(aws_values.iam_principal_arn)),
    )


@section
class CleanupConfig:
    """Dev housekeeping (seed 004): a schedule that deletes test uploads past an age. Never on prod."""

    enabled: bool = key(
        "cleanup", "bool", "false", "scheduled deletion of uploads, renditions and metadata (never prod)", parse.boolean
    )
    schedule: str = key(
        "cleanupSchedule",
        "string",
        CLEANUP_SCHEDULE,
        "when the cleanup runs (EventBridge Scheduler, UTC)",
        checked(parse.text, _CLEANUP.rule("schedule")),
    )
    max_age_days: int = key(
        "cleanupMaxAgeDays",
        "int",
        str(CLEANUP_MAX_AGE_DAYS),
        "the cleanup deletes what is older than this (days)",
        checked(parse.integer, _CLEANUP.rule("max_age_days")),
    )


@section
class StackConfig:
    project: str
    stack: str
    cost_center: str = key(
        "costCenter", "string", None, "CostCenter tag on every resource", parse.text, listed=Listed.FIRST
    )
    function: FunctionConfig
    processing: ProcessingConfig
    storage: StorageConfig
    alerting: AlertingConfig
    api: ApiConfig
    compliance: ComplianceConfig
    cleanup: CleanupConfig

    @property
    def environment(self) -> str:
        return self.stack


# Every key and the field it fills, in field order (the order parse_config reads them in).
KEY_FIELDS: Final[tuple[KeyField, ...]] = key_fields(StackConfig)
# Every key in the order the README's table lists them.
KEYS: Final[tuple[Key[object], ...]] = tuple(f.key for listed in Listed for f in KEY_FIELDS if f.key.listed is listed)
_KNOWN: Final = sorted(k.name for k in KEYS)


def parse_config(raw: Mapping[str, str], stack: str, project: str = PROJECT) -> StackConfig:
    """Validate raw config (key without namespace -> string, as Pulumi hands it) into a StackConfig."""
    unknown = sorted(set(raw) - set(_KNOWN))
    if unknown:
        raise ConfigError(unknown[0], f"is not a known key; known keys: {', '.join(_KNOWN)}")
    config = read_section(StackConfig, raw, project=project, stack=stack)
    _refuse_undecodable(config)
    if stack in PROTECTED_STACKS:
        _refuse_unprotected(config)
    if config.compliance.enabled:
        _refuse_noncompliant(config)
    return config


def _refuse_undecodable(config: StackConfig) -> None:
    """The ImagePipeline's rule: the function's memory must decode the worst upload the caps let in."""
    p = config.processing
    problem = image_pipeline.pixels_fit_memory(
        config.function.memory_mb, p.max_pixels, p.max_object_bytes, names=("memoryMb", "maxObjectBytes")
    )
    if problem is not None:
        raise ConfigError("maxPixels", f"must be {problem.allowed}, got {p.max_pixels}")


def _refuse_noncompliant(config: StackConfig) -> None:
    """What compliance mode needs of the rest of the config."""
    retention = config.function.log_retention_days
    if retention < COMPLIANCE_MIN_RETENTION_DAYS:
        raise ConfigError(
            "logRetentionDays", f"must be at least {COMPLIANCE_MIN_RETENTION_DAYS} with compliance on, got {retention}"
        )
    if config.storage.kms_key_arn is not None:
        raise ConfigError("kmsKeyArn", "must be empty with compliance on: compliance mode creates its own keys")
    for name, principals in (
        ("auditorPrincipals", config.compliance.auditor_principals),
        ("operatorPrincipals", config.compliance.operator_principals),
    ):
        if not principals:
            raise ConfigError(name, "must name at least one principal with compliance on")


def _refuse_unprotected(config: StackConfig) -> None:
    """What a protected stack (prod) may never run with, whatever its file says."""
    if config.api.authorizer != COGNITO:
        raise ConfigError(
            "apiAuthorizer", f"must be {COGNITO} on {config.stack}: without an authorizer anyone may upload and delete"
        )
    if config.cleanup.enabled:
        raise ConfigError(
            "cleanup",
            f"must be false on {config.stack}: the cleanup deletes every upload, rendition and metadata item "
            f"older than cleanupMaxAgeDays",
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
    document: object = yaml.safe_load(path.read_text()) or {}
    values: object = (document.get("config") or {}) if isinstance(document, dict) else None
    if not isinstance(values, dict):
        raise ConfigError("stack", f"file {path.name} must be a mapping with a `config:` mapping")
    settings: Mapping[object, object] = values
    prefix = f"{project}:"
    return {
        name.removeprefix(prefix): _as_pulumi_string(value)
        for name, value in settings.items()
        if isinstance(name, str) and name.startswith(prefix)
    }


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
    names = sorted({name[len(prefix) :] for name in present if name.startswith(prefix)} | {k.name for k in KEYS})
    raw = {name: value for name in names if (value := config.get(name)) is not None}
    return parse_config(raw, pulumi.get_stack(), project)
