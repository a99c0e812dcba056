"""The one place where a stack's config becomes the components' Args.

`__main__.py`, the local demo and the runbook all take their Args from here, so the stack, the demo
and the documentation cannot disagree about what a config value means.
"""

from dataclasses import dataclass

from components.compliance.access_roles import AccessRolesArgs, auditor_role_name, operator_role_name
from components.compliance.keys import ComplianceKeys, ComplianceKeysArgs
from components.compliance.network import PrivateNetwork, PrivateNetworkArgs
from components.dev_cleanup import DevCleanupArgs
from components.image_api import FUNCTION_STEM as API_STEM
from components.image_api import ImageApi, ImageApiArgs
from components.image_pipeline import FUNCTION_STEM as PROCESSOR_STEM
from components.image_pipeline import (
    REPROCESS_JOB_STEM,
    REPROCESS_STEM,
    ImagePipeline,
    ImagePipelineArgs,
    RenditionArgs,
)
from components.lambda_function import reserved_or_none, role_name_pattern
from components.monitoring.alerting_sns import AlertingSNSArgs
from components.monitoring.catalogue import StackFacts, Tier
from components.monitoring.pipeline_monitoring import PipelineMonitoring, PipelineMonitoringArgs
from components.naming import Naming
from components.tagging import StandardTags
from handlers.imaging.renditions import RenditionSpec
from program.config import StackConfig


def naming(config: StackConfig) -> Naming:
    return Naming(config.project, config.stack)


def tags(config: StackConfig) -> dict[str, str]:
    return StandardTags(config.environment, config.project, config.cost_center).as_dict()


def rendition_args(spec: RenditionSpec) -> RenditionArgs:
    args = RenditionArgs(
        name=spec.name,
        width=spec.width,
        height=spec.height,
        formats=[f.value for f in spec.formats],
        alpha_formats=[f.value for f in spec.alpha_formats],
    )
    if spec.expiration_days is not None:
        args["expiration_days"] = spec.expiration_days
    return args


@dataclass(frozen=True)
class Protection:
    """What compliance mode gives the pipeline and the API: its keys and its private network."""

    keys: ComplianceKeys
    network: PrivateNetwork


def compliance_keys_args(config: StackConfig) -> ComplianceKeysArgs:
    n = naming(config)
    return ComplianceKeysArgs(
        user_roles=[
            role_name_pattern(n.prefix, PROCESSOR_STEM),
            role_name_pattern(n.prefix, API_STEM),
            role_name_pattern(n.prefix, REPROCESS_STEM),
            # S3 Batch Operations, as the job role, reads manifests and writes reports in the reprocessing bucket.
            role_name_pattern(n.prefix, REPROCESS_JOB_STEM),
        ],
        reader_roles=[auditor_role_name(n.prefix)],
        denied_roles=[operator_role_name(n.prefix)],
        name_prefix=n.prefix,
        tags=tags(config),
    )


def network_args(config: StackConfig, keys: ComplianceKeys) -> PrivateNetworkArgs:
    return PrivateNetworkArgs(
        logs_key_arn=keys.logs_key_arn,
        name_prefix=naming(config).prefix,
        tags=tags(config),
        log_retention_days=config.function.log_retention_days,
    )


def access_roles_args(
    config: StackConfig,
    pipeline: ImagePipeline,
    api: ImageApi,
    monitoring: PipelineMonitoring,
    protection: Protection,
) -> AccessRolesArgs:
    """The auditor reads every log group the stack writes."""
    c = config.compliance
    formatter = [] if monitoring.alert_formatter is None else [monitoring.alert_formatter.log_group_arn]
    return AccessRolesArgs(
        auditor_principals=list(c.auditor_principals),
        operator_principals=list(c.operator_principals),
        upload_bucket_arn=pipeline.upload_bucket_arn,
        processed_bucket_arn=pipeline.processed_bucket_arn,
        table_arn=pipeline.table_arn,
        log_group_arns=[
            pipeline.log_group.arn,
            pipeline.reprocess.log_group.arn,
            api.function_log_group.arn,
            api.access_log_group.arn,
            protection.network.flow_log_group.arn,
            *formatter,
        ],
        data_key_arn=protection.keys.data_key_arn,
        logs_key_arn=protection.keys.logs_key_arn,
        name_prefix=naming(config).prefix,
        tags=tags(config),
    )


def pipeline_args(config: StackConfig, protection: Protection | None = None) -> ImagePipelineArgs:
    f, p, s = config.function, config.processing, config.storage
    args = ImagePipelineArgs(
        name_prefix=naming(config).prefix,
        tags=tags(config),
        memory_mb=f.memory_mb,
        timeout_seconds=f.timeout_s,
        architecture=f.architecture,
        reserved_concurrency=f.reserved_concurrency,
        tracing=f.tracing,
        log_retention_days=f.log_retention_days,
        max_retry_attempts=f.max_retry_attempts,
        max_event_age_seconds=f.max_event_age_s,
        reprocess_concurrency=f.reprocess_concurrency,
        renditions=[rendition_args(spec) for spec in p.renditions],
        max_object_bytes=p.max_object_bytes,
        max_pixels=p.max_pixels,
        min_remaining_ms=p.min_remaining_ms,
        force_destroy=s.force_destroy,
        ia_transition_days=s.ia_transition_days,
        thumbnail_expiration_days=s.thumbnail_expiration_days,
        noncurrent_expiration_days=s.noncurrent_expiration_days,
        abort_multipart_days=s.abort_multipart_days,
    )
    if s.kms_key_arn is not None:
        args["kms_key_arn"] = s.kms_key_arn
    if protection is not None:
        args["kms_key_arn"] = protection.keys.data_key_arn
        args["log_kms_key_arn"] = protection.keys.logs_key_arn
        args["strict_bucket_policies"] = True
        args["subnet_ids"] = protection.network.subnet_ids
        args["security_group_ids"] = protection.network.security_group_id.apply(lambda group: [group])
    return args


def api_args(config: StackConfig, served: ImageApiArgs, protection: Protection | None = None) -> ImageApiArgs:
    """``served`` (the pipeline's buckets and table: ``serving(pipeline)``) plus the stack's API settings."""
    a, f, s = config.api, config.function, config.storage
    args = ImageApiArgs(
        **served,
        name_prefix=naming(config).prefix,
        tags=tags(config),
        authorizer=a.authorizer,
        cors_origins=list(a.cors_origins),
        throttle_rate_limit=a.throttle_rate,
        throttle_burst_limit=a.throttle_burst,
        max_object_bytes=config.processing.max_object_bytes,
        architecture=f.architecture,
        log_retention_days=f.log_retention_days,
        tracing=f.tracing,
        force_destroy=s.force_destroy,
    )
    if a.user_pool_id is not None:
        args["user_pool_id"] = a.user_pool_id
    if s.kms_key_arn is not None:
        args["kms_key_arn"] = s.kms_key_arn
    if protection is not None:
        args["kms_key_arn"] = protection.keys.data_key_arn
        args["log_kms_key_arn"] = protection.keys.logs_key_arn
        args["subnet_ids"] = protection.network.subnet_ids
        args["security_group_ids"] = protection.network.security_group_id.apply(lambda group: [group])
    return args


def cleanup_args(config: StackConfig, cleaned: DevCleanupArgs) -> DevCleanupArgs:
    """``cleaned`` (the pipeline's buckets and table: ``cleaning(pipeline)``) plus the stack's schedule."""
    c, f = config.cleanup, config.function
    return DevCleanupArgs(
        **cleaned,
        name_prefix=naming(config).prefix,
        tags=tags(config),
        schedule=c.schedule,
        max_age_days=c.max_age_days,
        architecture=f.architecture,
        log_retention_days=f.log_retention_days,
    )


def tier_emails(config: StackConfig) -> dict[Tier, list[str]]:
    """alertEmail hears every tier; tierEmails adds people per tier."""
    a = config.alerting
    return {tier: list(dict.fromkeys((a.alert_email, *a.tier_emails.get(tier.value, ())))) for tier in Tier}


def alerting_args(config: StackConfig) -> AlertingSNSArgs:
    emails = tier_emails(config)
    args = AlertingSNSArgs(
        name_prefix=naming(config).prefix,
        tags=tags(config),
        critical_emails=emails[Tier.CRITICAL],
        performance_emails=emails[Tier.PERFORMANCE],
        log_alerts_emails=emails[Tier.LOG_ALERTS],
        # Every stack of this program runs PipelineMonitoring's alert formatter (monitoring_args).
        composed_emails=True,
    )
    if config.alerting.critical_sms:
        args["critical_sms"] = list(config.alerting.critical_sms)
    return args


def monitoring_args(
    config: StackConfig, watched: PipelineMonitoringArgs, protection: Protection | None = None
) -> PipelineMonitoringArgs:
    """``watched`` (what to watch and where to alert: ``watching(pipeline, alerting)``) plus the stack's settings."""
    a, f = config.alerting, config.function
    n = naming(config)
    args = PipelineMonitoringArgs(
        **watched,
        name_prefix=n.prefix,
        namespace=n.metric_namespace,
        tags=tags(config),
        timeout_seconds=f.timeout_s,
        reserved_concurrency=f.reserved_concurrency,
        expect_traffic=a.expect_traffic,
        no_traffic_minutes=a.no_traffic_minutes,
        alarm_thresholds=dict(a.alarm_thresholds),
        architecture=f.architecture,
        log_retention_days=f.log_retention_days,
    )
    if a.runbook_url is not None:
        args["runbook_url"] = a.runbook_url
    if protection is not None:
        args["log_kms_key_arn"] = protection.keys.logs_key_arn
        args["subnet_ids"] = protection.network.subnet_ids
        args["security_group_ids"] = protection.network.security_group_id.apply(lambda group: [group])
    return args


def alarm_facts(config: StackConfig) -> StackFacts:
    """What the stack's alarm thresholds depend on, as the Alarms component derives them from its Args."""
    a, f = config.alerting, config.function
    return StackFacts(
        timeout_s=f.timeout_s,
        reserved_concurrency=reserved_or_none(f.reserved_concurrency),
        expect_traffic=a.expect_traffic,
        no_traffic_minutes=a.no_traffic_minutes,
        overrides=dict(a.alarm_thresholds),
        api=True,  # every stack of this program runs the image API
        cleanup=config.cleanup.enabled,
        formatter=True,  # every stack of this program runs the alert formatter
    )
