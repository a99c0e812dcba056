"""PipelineMonitoring: metric filters, alarms and dashboard, derived from the pipeline they watch.

As cdk-monitoring-constructs does it: hand it what it watches (the pipeline's function, log group,
failure queue and upload bucket) and where to send alerts (the three tiers' topics), and every
metric filter, alarm and dashboard widget follows from the catalogue. MetricFilters, Alarms and
Dashboard stay available on their own.
"""

from collections.abc import Mapping
from typing import Any, Final, NotRequired, TypedDict

import pulumi

from components import lambda_function as lambda_rules
from components.function_defaults import TIMEOUT_SECONDS, UNRESERVED
from components.inputs import ArgsCheck, FieldCheck, Violation, aws_values
from components.lambda_function import VPC_NEEDS_SECURITY_GROUPS
from components.monitoring import alarms, alert_formatter, dashboard, metric_filters
from components.monitoring.alarms import Alarms, AlarmsArgs
from components.monitoring.alert_formatter import AlertFormatter, AlertFormatterArgs
from components.monitoring.alert_guides import alarm_guides_json
from components.monitoring.catalogue import NO_TRAFFIC_MINUTES
from components.monitoring.dashboard import Dashboard, DashboardArgs, dashboard_url_output
from components.monitoring.metric_filters import MetricFilters, MetricFiltersArgs
from components.naming import name_prefix, prefix_rule
from components.type_tokens import PACKAGE, component_options, moved_from_stack_root, type_token


class PipelineMonitoringArgs(TypedDict):
    function_name: pulumi.Input[str]
    """The image-processing function (ImagePipeline's function_name)."""
    log_group_name: pulumi.Input[str]
    """Its log group (ImagePipeline's log_group_name)."""
    failure_queue_name: pulumi.Input[str]
    """Its failure queue (ImagePipeline's failure_queue_name)."""
    upload_bucket_name: pulumi.Input[str]
    """Its upload bucket (ImagePipeline's upload_bucket_name), whose request metrics gate the silence alarms."""
    critical_topic_arn: pulumi.Input[str]
    """Where critical alarms go (AlertingSNS's critical_topic_arn)."""
    performance_topic_arn: pulumi.Input[str]
    """Where performance alarms go (AlertingSNS's performance_topic_arn)."""
    log_alerts_topic_arn: pulumi.Input[str]
    """Where log alarms go (AlertingSNS's log_alerts_topic_arn)."""
    api_name: NotRequired[pulumi.Input[str]]
    """The image API in front of the pipeline (ImageApi's api_name), if any: its alarms and graphs follow."""
    api_stage: NotRequired[pulumi.Input[str]]
    """Its stage (ImageApi's stage_name)."""
    cleanup_function_name: NotRequired[pulumi.Input[str]]
    """The dev cleanup function (DevCleanup's function_name), if any: its failures alarm too."""
    reprocess_function_name: NotRequired[pulumi.Input[str]]
    """The reprocessing function (ImagePipeline's reprocess_function_name), if any: graphed on the dashboard,
    never alarmed (a job's failures are in its completion report)."""
    reprocess_log_group_name: NotRequired[pulumi.Input[str]]
    """Its log group (ImagePipeline's reprocess_log_group_name): task results become metrics for the graph."""
    name_prefix: NotRequired[str]
    """Prefix of every filter, alarm and the dashboard; default `{project}-{stack}-{name}`, shortened to fit."""
    namespace: NotRequired[pulumi.Input[str]]
    """Namespace of the log-derived metrics; default `imagepipe/{prefix}`."""
    tags: NotRequired[dict[str, str]]
    """Tags for every alarm; none by default."""
    timeout_seconds: NotRequired[int]
    """The function's timeout: duration-p99 fires at 80% of it. Default 60."""
    reserved_concurrency: NotRequired[int]
    """The function's reserved concurrency (-1, the default: unreserved, no concurrency alarm)."""
    expect_traffic: NotRequired[bool]
    """Whether uploads that go unprocessed for the silence window page (production); default false."""
    no_traffic_minutes: NotRequired[int]
    """The silence window in minutes (5-1440); default 60."""
    alarm_thresholds: NotRequired[dict[str, float]]
    """Thresholds by alarm id, overriding the catalogue's (docs/alerts.md lists the ids)."""
    runbook_url: NotRequired[str]
    """Where the runbook (docs/alerts.md) is published; each alarm links its own section. No link by default."""
    alerts_key_arn: NotRequired[pulumi.Input[str]]
    """The alert topics' key (AlertingSNS's key_arn). Given, an alert formatter composes every tier's emails
    with the evidence (give AlertingSNS composed_emails too); with raw_alerts_topic_arn."""
    raw_alerts_topic_arn: NotRequired[pulumi.Input[str]]
    """Where the formatter's own alarms go (AlertingSNS's raw_topic_arn, which only an AlertingSNS with
    composed_emails has): CloudWatch's text, no formatter."""
    alert_evidence_lines: NotRequired[int]
    """How many matching log lines an alert email shows (1-20); default 5."""
    architecture: NotRequired[str]
    """The formatter's architecture, `arm64` or `x86_64`; default arm64."""
    log_retention_days: NotRequired[int]
    """Retention of the formatter's log group; default 7."""
    log_kms_key_arn: NotRequired[pulumi.Input[str]]
    """KMS key of the formatter's log group (compliance mode's logs key); none by default."""
    subnet_ids: NotRequired[pulumi.Input[list[str]]]
    """Private subnets the formatter runs in (compliance mode); with security_group_ids."""
    security_group_ids: NotRequired[pulumi.Input[list[str]]]
    """The formatter's security groups in those subnets."""


# The prefix names the filters, the alarms, the dashboard and the formatter: the tightest of them.
MAX_PREFIX: Final = min(
    alarms.MAX_PREFIX, metric_filters.MAX_PREFIX, dashboard.MAX_DASHBOARD_NAME, alert_formatter.MAX_PREFIX
)


def _key_needs_raw_topic(values: Mapping[str, Any]) -> None:
    if ("alerts_key_arn" in values) != ("raw_alerts_topic_arn" in values):
        raise Violation("given together with alerts_key_arn (the formatter's own alarms need it)", None)


def _reprocess_needs_both(values: Mapping[str, Any]) -> None:
    if ("reprocess_function_name" in values) != ("reprocess_log_group_name" in values):
        raise Violation(
            "given together with reprocess_function_name (the reprocessing graphs need both)",
            values.get("reprocess_log_group_name"),
        )


INPUTS: Final = ArgsCheck(
    PipelineMonitoringArgs,
    {
        **alarms.MONITORING_RULES,
        "name_prefix": prefix_rule(MAX_PREFIX),
        "alerts_key_arn": aws_values.kms_key_arn,
        "alert_evidence_lines": alert_formatter.evidence_lines,
        "architecture": lambda_rules.architecture,
        "log_retention_days": aws_values.log_retention_days,
        "log_kms_key_arn": aws_values.kms_key_arn,
    },
    across=(
        *alarms.MONITORING_ACROSS,
        FieldCheck("raw_alerts_topic_arn", _key_needs_raw_topic),
        FieldCheck("reprocess_log_group_name", _reprocess_needs_both),
        VPC_NEEDS_SECURITY_GROUPS,
    ),
)


class PipelineMonitoring(pulumi.ComponentResource):
    """Metric filters, alarms routed to three SNS tiers, and one dashboard for an ImagePipeline."""

    namespace: pulumi.Output[str]
    """Where the log-derived metrics are published."""
    dashboard_name: pulumi.Output[str]
    """The dashboard's name."""
    dashboard_url: pulumi.Output[str]
    """The dashboard in the CloudWatch console."""
    alarm_arns: pulumi.Output[list[str]]
    """The alarms that notify a topic."""

    def __init__(self, name: str, args: PipelineMonitoringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        args = INPUTS.check("PipelineMonitoring", name, args)
        super().__init__(type_token(PipelineMonitoring), name, None, component_options(PipelineMonitoring, opts))
        prefix = name_prefix(args.get("name_prefix"), name, MAX_PREFIX)
        namespace = args.get("namespace", f"{PACKAGE}/{prefix}")
        timeout = args.get("timeout_seconds", TIMEOUT_SECONDS)
        reserved = args.get("reserved_concurrency", UNRESERVED)

        def child(component: type[pulumi.ComponentResource]) -> pulumi.ResourceOptions:
            # These three sat under the stack before this component existed.
            return pulumi.ResourceOptions(parent=self, aliases=[moved_from_stack_root(component)])

        filter_args = MetricFiltersArgs(log_group_name=args["log_group_name"], namespace=namespace, name_prefix=prefix)
        if "reprocess_log_group_name" in args:
            filter_args["reprocess_log_group_name"] = args["reprocess_log_group_name"]
        self.metric_filters = MetricFilters(f"{prefix}-metric-filters", filter_args, opts=child(MetricFilters))
        url = dashboard_url_output(prefix)
        alarm_args = AlarmsArgs(
            namespace=namespace,
            function_name=args["function_name"],
            failure_queue_name=args["failure_queue_name"],
            upload_bucket_name=args["upload_bucket_name"],
            critical_topic_arn=args["critical_topic_arn"],
            performance_topic_arn=args["performance_topic_arn"],
            log_alerts_topic_arn=args["log_alerts_topic_arn"],
            name_prefix=prefix,
            tags=args.get("tags", {}),
            dashboard_url=url,
            timeout_seconds=timeout,
            reserved_concurrency=reserved,
            expect_traffic=args.get("expect_traffic", False),
            no_traffic_minutes=args.get("no_traffic_minutes", NO_TRAFFIC_MINUTES),
            alarm_thresholds=args.get("alarm_thresholds", {}),
        )
        if "runbook_url" in args:
            alarm_args["runbook_url"] = args["runbook_url"]
        dashboard_args = DashboardArgs(
            namespace=namespace,
            function_name=args["function_name"],
            failure_queue_name=args["failure_queue_name"],
            log_group_name=args["log_group_name"],
            dashboard_name=prefix,
            timeout_seconds=timeout,
            reserved_concurrency=reserved,
        )
        for wiring in (alarm_args, dashboard_args):
            if "api_name" in args and "api_stage" in args:
                wiring["api_name"] = args["api_name"]
                wiring["api_stage"] = args["api_stage"]
        if "cleanup_function_name" in args:
            alarm_args["cleanup_function_name"] = args["cleanup_function_name"]
        if "reprocess_function_name" in args:
            dashboard_args["reprocess_function_name"] = args["reprocess_function_name"]
        self.alert_formatter = None
        if "alerts_key_arn" in args:
            self.alert_formatter = self._alert_formatter(prefix, args, alarm_args, url)
            alarm_args["formatter_function_name"] = self.alert_formatter.function_name
            alarm_args["formatter_queue_name"] = self.alert_formatter.failure_queue_name
            alarm_args["raw_alerts_topic_arn"] = args["raw_alerts_topic_arn"]
        self.alarms = Alarms(f"{prefix}-alarms", alarm_args, opts=child(Alarms))
        dashboard_args["alarm_arns"] = self.alarms.alarm_arns
        self.dashboard = Dashboard(f"{prefix}-dashboard", dashboard_args, opts=child(Dashboard))

        self.namespace = pulumi.Output.from_input(namespace)
        self.dashboard_name = self.dashboard.dashboard_name
        self.dashboard_url = self.dashboard.url
        self.alarm_arns = self.alarms.alarm_arns
        self.register_outputs(
            {
                "namespace": self.namespace,
                "dashboard_name": self.dashboard_name,
                "dashboard_url": self.dashboard_url,
                "alarm_arns": self.alarm_arns,
            }
        )

    def _alert_formatter(
        self, prefix: str, args: PipelineMonitoringArgs, alarm_args: AlarmsArgs, url: pulumi.Output[str]
    ) -> AlertFormatter:
        """The function that composes the tier emails, told each alarm's guide from the catalogue."""
        facts = alarms.stack_facts(alarm_args)
        guides = pulumi.Output.from_input(args["log_group_name"]).apply(
            lambda group: alarm_guides_json(prefix, facts, group)
        )
        formatter_args = AlertFormatterArgs(
            critical_topic_arn=args["critical_topic_arn"],
            performance_topic_arn=args["performance_topic_arn"],
            log_alerts_topic_arn=args["log_alerts_topic_arn"],
            alerts_key_arn=args["alerts_key_arn"],
            log_group_name=args["log_group_name"],
            alarm_guides=guides,
            stack=prefix,
            dashboard_url=url,
            name_prefix=prefix,
            tags=args.get("tags", {}),
        )
        for optional in (
            "runbook_url",
            "architecture",
            "log_retention_days",
            "log_kms_key_arn",
            "subnet_ids",
            "security_group_ids",
        ):
            if optional in args:
                formatter_args[optional] = args[optional]
        if "alert_evidence_lines" in args:
            formatter_args["evidence_lines"] = args["alert_evidence_lines"]
        return AlertFormatter(f"{prefix}-alert-formatter", formatter_args, opts=pulumi.ResourceOptions(parent=self))
