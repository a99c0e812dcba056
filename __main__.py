"""The imagepipe Pulumi program: config in, components, exports. Nothing else happens here."""

import pulumi

from components.config import load_config
from components.image_pipeline import ImagePipeline, ImagePipelineArgs
from components.lambda_code import handler_code_archive, pillow_layer_archive
from components.monitoring.alarms import Alarms, AlarmsArgs
from components.monitoring.alerting_sns import AlertingSNS, AlertingSNSArgs
from components.monitoring.catalogue import Tier
from components.monitoring.dashboard import Dashboard, DashboardArgs, dashboard_url_output
from components.monitoring.metric_filters import MetricFilters, MetricFiltersArgs
from components.monitoring.stack_facts import stack_facts, tier_emails
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

alerting = AlertingSNS(
    naming.name("alerting"),
    AlertingSNSArgs(naming=naming, tags=tags, emails=tier_emails(config), critical_sms=config.alerting.critical_sms),
)
MetricFilters(
    naming.name("metric-filters"),
    MetricFiltersArgs(
        log_group_name=pipeline.log_group.name, namespace=naming.metric_namespace, name_prefix=naming.prefix
    ),
)
alarms = Alarms(
    naming.name("alarms"),
    AlarmsArgs(
        naming=naming,
        tags=tags,
        topic_arns={tier: topic.arn for tier, topic in alerting.topics.items()},
        facts=stack_facts(config),
        namespace=naming.metric_namespace,
        function_name=pipeline.function.name,
        queue_name=pipeline.failure_queue.name,
        upload_bucket_name=pipeline.upload_bucket.name,
        dashboard_url=dashboard_url_output(naming.dashboard),
    ),
)
dashboard = Dashboard(
    naming.name("dashboard"),
    DashboardArgs(
        name=naming.dashboard,
        namespace=naming.metric_namespace,
        function_name=pipeline.function.name,
        queue_name=pipeline.failure_queue.name,
        log_group_name=pipeline.log_group.name,
        alarm_arns=alarms.paging_alarm_arns,
        timeout_s=config.function.timeout_s,
        reserved_concurrency=config.function.reserved_concurrency,
    ),
)

pulumi.export("upload_bucket", pipeline.upload_bucket.name)
pulumi.export("processed_bucket", pipeline.processed_bucket.name)
pulumi.export("upload_location", pipeline.upload_bucket.name.apply(lambda b: f"s3://{b}/{contract.UPLOAD_PREFIX}"))
pulumi.export("function_name", pipeline.function.name)
pulumi.export("function_arn", pipeline.function.arn)
pulumi.export("metadata_table", pipeline.table.name)
pulumi.export("failure_queue_url", pipeline.failure_queue.url)
pulumi.export("dashboard_url", dashboard.url)
for tier in Tier:
    pulumi.export(f"{tier.value.replace('-', '_')}_topic_arn", alerting.topics[tier].arn)
