"""A photo-sharing team's stack built from the imagepipe components, with its own names and settings.

One 200x200 WebP thumbnail per upload (WebP keeps transparency, so no PNG), a bucket of its own for
originals it exports, one email for every alert tier. Physical names are the package's defaults
(`{project}-{stack}-{component name}`), so the program deploys to any number of stacks in one account.

In a project of your own, run `pulumi package add github.com/<owner>/imagepipe.git/plugin@v<version>`
(or a local path to the `plugin/` folder) and import the generated SDK instead
(`import pulumi_imagepipe as imagepipe`): the components, their
Args and their outputs have the same names there (snake_case in Python, camelCase in YAML and
TypeScript). Here, inside the repository, the program imports the components directly, so the tests
can evaluate it under Pulumi's mocks.
"""

import sys
from pathlib import Path

import pulumi

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the imagepipe repository root

from components.image_pipeline import ImagePipeline, ImagePipelineArgs, RenditionArgs
from components.monitoring.alerting_sns import AlertingSNS, AlertingSNSArgs
from components.monitoring.pipeline_monitoring import PipelineMonitoring, PipelineMonitoringArgs
from components.secure_bucket import SecureBucket, SecureBucketArgs

config = pulumi.Config()
email = config.get("alertEmail") or "media-team@example.com"
tags = {"Team": "media", "Service": "thumbnails"}

exports = SecureBucket("media-exports", SecureBucketArgs(tags=tags, ia_transition_days=0))
pipeline = ImagePipeline(
    "media",
    ImagePipelineArgs(
        tags=tags,
        memory_mb=512,
        timeout_seconds=30,
        architecture="x86_64",
        renditions=[RenditionArgs(name="thumb", width=200, height=200, formats=["webp"], expiration_days=30)],
        max_object_bytes=10 * 1024 * 1024,
        # What 512 MB decodes with 10 MiB uploads (up to 22.9 MP, handlers/imaging/memory.py).
        max_pixels=20_000_000,
        force_destroy=True,
    ),
)
alerting = AlertingSNS(
    "media",
    AlertingSNSArgs(tags=tags, critical_emails=[email], performance_emails=[email], log_alerts_emails=[email]),
)
monitoring = PipelineMonitoring(
    "media",
    PipelineMonitoringArgs(
        function_name=pipeline.function_name,
        log_group_name=pipeline.log_group_name,
        failure_queue_name=pipeline.failure_queue_name,
        upload_bucket_name=pipeline.upload_bucket_name,
        critical_topic_arn=alerting.critical_topic_arn,
        performance_topic_arn=alerting.performance_topic_arn,
        log_alerts_topic_arn=alerting.log_alerts_topic_arn,
        tags=tags,
        timeout_seconds=30,
        alarm_thresholds={"rejected-uploads": 25},
    ),
)

pulumi.export("upload_bucket", pipeline.upload_bucket_name)
pulumi.export("exports_bucket", exports.name)
pulumi.export("dashboard_url", monitoring.dashboard_url)
