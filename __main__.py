"""The imagepipe Pulumi program: config, pipeline, API, alerting, monitoring, exports. Nothing else happens here."""

import pulumi

from components.image_api import ImageApi, serving
from components.image_pipeline import ImagePipeline
from components.monitoring.alerting_sns import AlertingSNS
from components.monitoring.catalogue import Tier
from components.monitoring.pipeline_monitoring import PipelineMonitoring, watching
from handlers import contract
from program.config import load_config
from program.stack_args import alerting_args, api_args, monitoring_args, naming, pipeline_args

config = load_config()
names = naming(config)

pipeline = ImagePipeline(names.prefix, pipeline_args(config))
api = ImageApi(names.name("api"), api_args(config, serving(pipeline)))
alerting = AlertingSNS(names.name("alerting"), alerting_args(config))
monitoring = PipelineMonitoring(names.name("monitoring"), monitoring_args(config, watching(pipeline, alerting, api)))

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
