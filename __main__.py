"""The imagepipe Pulumi program: config, compliance, pipeline, API, alerting, monitoring, exports."""

import pulumi

from components.compliance.access_roles import AccessRoles
from components.compliance.keys import ComplianceKeys
from components.compliance.network import PrivateNetwork
from components.dev_cleanup import DevCleanup
from components.image_api import ImageApi
from components.image_pipeline import ImagePipeline
from components.monitoring.alerting_sns import AlertingSNS
from components.monitoring.catalogue import Tier
from components.monitoring.pipeline_monitoring import PipelineMonitoring
from handlers import contract
from program.config import load_config
from program.stack_args import (
    Protection,
    access_roles_args,
    alerting_args,
    api_args,
    cleanup_args,
    compliance_keys_args,
    monitoring_args,
    naming,
    network_args,
    pipeline_args,
)
from program.wiring import cleaning, reprocess_outputs, serving, watching
from reprocess.outputs import OUTPUT_NAME as REPROCESS_OUTPUT

config = load_config()
names = naming(config)

protection = None
if config.compliance.enabled:
    keys = ComplianceKeys(names.name("keys"), compliance_keys_args(config))
    protection = Protection(keys, PrivateNetwork(names.name("network"), network_args(config, keys)))

pipeline = ImagePipeline(names.prefix, pipeline_args(config, protection))
api = ImageApi(names.name("api"), api_args(config, serving(pipeline), protection))
cleanup = (
    DevCleanup(names.name("cleanup"), cleanup_args(config, cleaning(pipeline))) if config.cleanup.enabled else None
)
alerting = AlertingSNS(names.name("alerting"), alerting_args(config))
monitoring = PipelineMonitoring(
    names.name("monitoring"), monitoring_args(config, watching(pipeline, alerting, api, cleanup), protection)
)
if protection is not None:
    AccessRoles(names.name("access"), access_roles_args(config, pipeline, api, monitoring, protection))

pulumi.export("upload_bucket", pipeline.upload_bucket_name)
pulumi.export("processed_bucket", pipeline.processed_bucket_name)
pulumi.export("upload_location", pipeline.upload_bucket_name.apply(lambda b: f"s3://{b}/{contract.UPLOAD_PREFIX}"))
pulumi.export("function_name", pipeline.function_name)
pulumi.export("function_arn", pipeline.function_arn)
pulumi.export("metadata_table", pipeline.table_name)
pulumi.export("failure_queue_url", pipeline.failure_queue_url)
pulumi.export("dashboard_url", monitoring.dashboard_url)
pulumi.export("api_url", api.api_url)
pulumi.export("user_pool_id", api.user_pool_id)
pulumi.export("user_pool_client_id", api.user_pool_client_id)
for tier in Tier:
    pulumi.export(f"{tier.value.replace('-', '_')}_topic_arn", alerting.topics[tier].arn)
# What `python3 tasks.py reprocess STACK` reads (reprocess/outputs.py names every field once).
pulumi.export(REPROCESS_OUTPUT, reprocess_outputs(pipeline, config))
