"""The imagepipe Pulumi program: config in, components, exports. Nothing else happens here."""

import pulumi

from components.config import load_config
from components.image_pipeline import ImagePipeline, ImagePipelineArgs
from components.lambda_code import handler_code_archive, pillow_layer_archive
from components.naming import Naming
from components.tagging import StandardTags
from handlers import contract

config = load_config()
naming = Naming(config.project, config.stack)
tags = StandardTags(config.environment, config.project, config.cost_center).as_dict()

pipeline = ImagePipeline(
    naming.prefix,
    ImagePipelineArgs(
        naming=naming,
        tags=tags,
        function=config.function,
        processing=config.processing,
        storage=config.storage,
        code=handler_code_archive(),
        layer=pillow_layer_archive(config.function.architecture),
    ),
)

pulumi.export("upload_bucket", pipeline.upload_bucket.name)
pulumi.export("processed_bucket", pipeline.processed_bucket.name)
pulumi.export("upload_location", pipeline.upload_bucket.name.apply(lambda b: f"s3://{b}/{contract.UPLOAD_PREFIX}"))
pulumi.export("function_name", pipeline.function.name)
pulumi.export("function_arn", pipeline.function.arn)
pulumi.export("metadata_table", pipeline.table.name)
pulumi.export("failure_queue_url", pipeline.failure_queue.url)
