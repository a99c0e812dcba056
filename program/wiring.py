"""How this program hands one component's outputs to another: the pipeline's buckets and table to the
API and the cleanup, and what monitoring watches. A consumer of the package writes the same few lines."""

from dataclasses import asdict
from typing import Any

import pulumi

from components.dev_cleanup import DevCleanup, DevCleanupArgs
from components.image_api import ImageApi, ImageApiArgs
from components.image_pipeline import ImagePipeline
from components.monitoring.alerting_sns import AlertingSNS
from components.monitoring.pipeline_monitoring import PipelineMonitoringArgs
from program.config import StackConfig
from reprocess.outputs import ReprocessOutputs


def serving(pipeline: ImagePipeline) -> ImageApiArgs:
    """The Args that put the API in front of a pipeline's buckets and table."""
    return ImageApiArgs(
        upload_bucket_name=pipeline.upload_bucket_name,
        upload_bucket_arn=pipeline.upload_bucket_arn,
        processed_bucket_name=pipeline.processed_bucket_name,
        processed_bucket_arn=pipeline.processed_bucket_arn,
        table_name=pipeline.table_name,
        table_arn=pipeline.table_arn,
    )


def cleaning(pipeline: ImagePipeline) -> DevCleanupArgs:
    """The Args that point the cleanup at a pipeline's buckets and table."""
    return DevCleanupArgs(
        upload_bucket_name=pipeline.upload_bucket_name,
        upload_bucket_arn=pipeline.upload_bucket_arn,
        processed_bucket_name=pipeline.processed_bucket_name,
        processed_bucket_arn=pipeline.processed_bucket_arn,
        table_name=pipeline.table_name,
        table_arn=pipeline.table_arn,
    )


def watching(
    pipeline: ImagePipeline,
    alerting: AlertingSNS,
    api: ImageApi | None = None,
    cleanup: DevCleanup | None = None,
) -> PipelineMonitoringArgs:
    """The Args that point monitoring at a pipeline, its API if any, and the alert topics."""
    watched = PipelineMonitoringArgs(
        function_name=pipeline.function_name,
        log_group_name=pipeline.log_group_name,
        failure_queue_name=pipeline.failure_queue_name,
        upload_bucket_name=pipeline.upload_bucket_name,
        reprocess_function_name=pipeline.reprocess_function_name,
        reprocess_log_group_name=pipeline.reprocess_log_group_name,
        critical_topic_arn=alerting.critical_topic_arn,
        performance_topic_arn=alerting.performance_topic_arn,
        log_alerts_topic_arn=alerting.log_alerts_topic_arn,
        alerts_key_arn=alerting.key_arn,
        raw_alerts_topic_arn=alerting.raw_topic_arn,
    )
    if api is not None:
        watched["api_name"] = api.api_name
        watched["api_stage"] = api.stage_name
    if cleanup is not None:
        watched["cleanup_function_name"] = cleanup.function_name
    return watched


def reprocess_outputs(pipeline: ImagePipeline, config: StackConfig) -> pulumi.Output[dict[str, Any]]:
    """What `python3 tasks.py reprocess STACK` reads from the stack's outputs."""
    return pulumi.Output.all(
        pipeline.reprocess_function_arn,
        pipeline.reprocess_job_role_arn,
        pipeline.reprocess_bucket_name,
        pipeline.reprocess_manifest_prefix,
        pipeline.reprocess_report_prefix,
        pipeline.rendering_fingerprint,
        pipeline.table_name,
    ).apply(
        lambda v: asdict(
            ReprocessOutputs(
                function_arn=v[0],
                job_role_arn=v[1],
                bucket=v[2],
                manifest_prefix=v[3],
                report_prefix=v[4],
                fingerprint=v[5],
                table=v[6],
                concurrency=config.function.reprocess_concurrency,
                memory_mb=config.function.memory_mb,
                architecture=config.function.architecture,
            )
        )
    )
