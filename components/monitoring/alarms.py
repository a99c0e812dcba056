"""Alarms: one CloudWatch alarm per applicable catalogue entry, routed to its tier's topic."""

from collections.abc import Mapping
from typing import Any, Final, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components import lambda_function as lambda_rules
from components.function_defaults import TIMEOUT_SECONDS, UNRESERVED
from components.inputs import ArgsCheck, FieldCheck, Violation, aws_values, matches
from components.lambda_function import reserved_or_none
from components.monitoring import catalogue
from components.monitoring.catalogue import (
    ALARMS,
    GREATER,
    NO_TRAFFIC_MINUTES,
    NOT_BREACHING,
    UPLOAD_REQUEST_FILTER,
    UPLOAD_REQUESTS,
    AlarmSpec,
    MetricScope,
    StackFacts,
    Tier,
    format_threshold,
)
from components.naming import LongestName, max_prefix, name_prefix, prefix_rule
from components.type_tokens import component_options, type_token
from handlers import contract
from handlers.alerts.guide import runbook_section

# CloudWatch's limit on AlarmDescription.
MAX_DESCRIPTION = 1024
_OPERATORS = {"GreaterThanThreshold": ">", "LessThanThreshold": "<"}


def alarm_name(prefix: str, spec: AlarmSpec) -> str:
    """`{prefix}-{alarm}-{tier}`."""
    return f"{prefix}-{spec.id}-{spec.tier.value}"


def paging_alarm_name(prefix: str, spec: AlarmSpec) -> str:
    """The alarm that notifies: the metric alarm itself, or its while-uploading composite."""
    if spec.only_while_uploading:
        return f"{prefix}-{spec.id}-while-uploading-{spec.tier.value}"
    return alarm_name(prefix, spec)


def uploads_alarm_name(prefix: str, spec: AlarmSpec) -> str:
    return f"{prefix}-{spec.id}-uploads-arriving"


def condition_text(spec: AlarmSpec, threshold: float, period_s: int) -> str:
    if spec.expression is not None:
        subject = spec.expression
    else:
        assert spec.metric is not None
        subject = f"{spec.metric.name} {spec.metric.statistic}"
    unit = f" {spec.threshold_text}" if spec.threshold_text else ""
    text = f"{subject} {_OPERATORS[spec.comparison]} {format_threshold(threshold)}{unit} over {period_s // 60} min"
    if spec.only_while_uploading:
        text += f", while the upload bucket received requests under {contract.UPLOAD_PREFIX} in the same window"
    return text


def runbook_link(runbook_url: str | None, spec: AlarmSpec) -> str | None:
    """The alarm's section of the runbook (docs/alerts.md, published where runbook_url points)."""
    return None if not runbook_url else runbook_section(runbook_url, spec.id)


def describe(
    spec: AlarmSpec, threshold: float, period_s: int, dashboard_url: str | None, runbook_url: str | None = None
) -> str:
    """What the on-call reads in the alarm email."""
    checks = "\n".join(f"{i}. {check}" for i, check in enumerate(spec.checks, start=1))
    runbook = runbook_link(runbook_url, spec)
    text = (
        f"[{spec.tier.value.upper()}] {spec.what}\n"
        f"Why it matters: {spec.why}\n"
        f"Condition: {condition_text(spec, threshold, period_s)}\n"
        f"First checks:\n{checks}"
        + (f"\nDashboard: {dashboard_url}" if dashboard_url else "")
        + (f"\nRunbook: {runbook}" if runbook else "")
    )
    if len(text) > MAX_DESCRIPTION:
        raise ValueError(f"alarm {spec.id}: description is {len(text)} characters, CloudWatch allows {MAX_DESCRIPTION}")
    return text


class AlarmsArgs(TypedDict):
    namespace: pulumi.Input[str]
    """Namespace of the log-derived metrics (MetricFilters' namespace)."""
    function_name: pulumi.Input[str]
    """The image-processing function."""
    failure_queue_name: pulumi.Input[str]
    """The function's failure queue."""
    critical_topic_arn: pulumi.Input[str]
    """Alarm and OK actions of the critical tier."""
    performance_topic_arn: pulumi.Input[str]
    """Alarm and OK actions of the performance tier."""
    log_alerts_topic_arn: pulumi.Input[str]
    """Alarm and OK actions of the log-alerts tier."""
    upload_bucket_name: NotRequired[pulumi.Input[str]]
    """The upload bucket; needed where expect_traffic is true (its request metrics gate the silence alarms)."""
    name_prefix: NotRequired[str]
    """Alarm names are `{prefix}-{alarm}-{tier}`; default `{project}-{stack}-{name}`, shortened to fit."""
    tags: NotRequired[dict[str, str]]
    """Tags for every alarm; none by default."""
    api_name: NotRequired[pulumi.Input[str]]
    """The image API (ImageApi's api_name); with it, the API's alarms are created too."""
    api_stage: NotRequired[pulumi.Input[str]]
    """The image API's stage (ImageApi's stage_name)."""
    cleanup_function_name: NotRequired[pulumi.Input[str]]
    """The dev cleanup function (DevCleanup's function_name), if any: its failures alarm too."""
    formatter_function_name: NotRequired[pulumi.Input[str]]
    """The alert formatter (PipelineMonitoring's), if any: its failures alarm on raw_alerts_topic_arn."""
    formatter_queue_name: NotRequired[pulumi.Input[str]]
    """The alert formatter's failure queue; with formatter_function_name."""
    raw_alerts_topic_arn: NotRequired[pulumi.Input[str]]
    """Where the formatter's own alarms go: a topic whose email subscribers get CloudWatch's text
    (AlertingSNS's raw_topic_arn); with formatter_function_name."""
    dashboard_url: NotRequired[pulumi.Input[str]]
    """Linked from every alarm's description; none by default."""
    runbook_url: NotRequired[str]
    """Where the runbook (docs/alerts.md) is published, e.g. `https://github.com/acme/imagepipe/blob/v0.2.0/docs/alerts.md`;
    each alarm links its own section. No link by default."""
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


# The longest alarm names: `{prefix}-{alarm id}-while-uploading-{tier}` (255 characters).
MAX_PREFIX: Final = max_prefix(*(LongestName(f"-{spec.id}-while-uploading-{spec.tier.value}", 255) for spec in ALARMS))
runbook_url: Final = matches(r"https://\S+", "an https URL of the published runbook")


def _api_needs_stage(values: Mapping[str, Any]) -> None:
    if ("api_name" in values) != ("api_stage" in values):
        raise Violation("given together with api_name (the API's metrics need both)", values.get("api_stage"))


def _formatter_needs_its_queue_and_raw_topic(values: Mapping[str, Any]) -> None:
    together = ("formatter_function_name", "formatter_queue_name", "raw_alerts_topic_arn")
    given = [name for name in together if name in values]
    if given and len(given) != len(together):
        raise Violation(f"given together: {', '.join(together)} (the formatter's alarms need all three)", given)


def _traffic_needs_bucket(values: Mapping[str, Any]) -> None:
    if values.get("expect_traffic", False) and "upload_bucket_name" not in values:
        raise Violation("given with expect_traffic (its request metrics gate the silence alarms)", None)


# Rules shared with PipelineMonitoring, which hands these fields on.
MONITORING_RULES: Final = {
    "namespace": catalogue.namespace,
    "tags": aws_values.tags,
    "timeout_seconds": lambda_rules.timeout_seconds,
    "reserved_concurrency": lambda_rules.reserved_concurrency,
    "no_traffic_minutes": catalogue.no_traffic_minutes,
    "alarm_thresholds": catalogue.alarm_thresholds,
    "runbook_url": runbook_url,
    "critical_topic_arn": aws_values.sns_topic_arn,
    "performance_topic_arn": aws_values.sns_topic_arn,
    "log_alerts_topic_arn": aws_values.sns_topic_arn,
    # Only an AlertingSNS with composed_emails has one; an empty one means its recipients already get
    # CloudWatch's text, and a formatter would send them every alert twice.
    "raw_alerts_topic_arn": matches(
        aws_values.sns_topic_arn.pattern,
        "the direct topic of an AlertingSNS with composed_emails (its raw_topic_arn): an SNS topic ARN",
    ),
}
MONITORING_ACROSS: Final = (
    FieldCheck("api_stage", _api_needs_stage),
    FieldCheck("upload_bucket_name", _traffic_needs_bucket),
)

INPUTS: Final = ArgsCheck(
    AlarmsArgs,
    {**MONITORING_RULES, "name_prefix": prefix_rule(MAX_PREFIX)},
    across=(*MONITORING_ACROSS, FieldCheck("raw_alerts_topic_arn", _formatter_needs_its_queue_and_raw_topic)),
)


def stack_facts(args: AlarmsArgs) -> StackFacts:
    """What the thresholds depend on, from checked Args."""
    return StackFacts(
        timeout_s=args.get("timeout_seconds", TIMEOUT_SECONDS),
        reserved_concurrency=reserved_or_none(args.get("reserved_concurrency", UNRESERVED)),
        expect_traffic=args.get("expect_traffic", False),
        no_traffic_minutes=args.get("no_traffic_minutes", NO_TRAFFIC_MINUTES),
        overrides=dict(args.get("alarm_thresholds", {})),
        api=args.get("api_name") is not None,
        cleanup=args.get("cleanup_function_name") is not None,
        formatter=args.get("formatter_function_name") is not None,
    )


class Alarms(pulumi.ComponentResource):
    """The pipeline's alarms from the catalogue, each notifying its tier's topic on ALARM and on OK."""

    alarm_arns: pulumi.Output[list[str]]
    """The alarms that notify a topic: metric alarms and while-uploading composites, not their conditions."""

    def __init__(self, name: str, args: AlarmsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        args = INPUTS.check("Alarms", name, args)
        super().__init__(type_token(Alarms), name, None, component_options(Alarms, opts))
        self._args = args
        self._prefix = name_prefix(args.get("name_prefix"), name, MAX_PREFIX)
        self._tags = dict(args.get("tags", {}))
        self._facts = stack_facts(args)
        self._topics: dict[Tier, pulumi.Input[str]] = {
            Tier.CRITICAL: args["critical_topic_arn"],
            Tier.PERFORMANCE: args["performance_topic_arn"],
            Tier.LOG_ALERTS: args["log_alerts_topic_arn"],
        }
        child = pulumi.ResourceOptions(parent=self)
        # Resolved once, shared by every alarm's namespace and dimensions.
        self._scope = pulumi.Output.all(
            namespace=args["namespace"],
            function_name=args["function_name"],
            queue_name=args["failure_queue_name"],
            upload_bucket=args.get("upload_bucket_name"),
            api_name=args.get("api_name"),
            api_stage=args.get("api_stage"),
            cleanup_function=args.get("cleanup_function_name"),
            formatter_function=args.get("formatter_function_name"),
            formatter_queue=args.get("formatter_queue_name"),
        ).apply(lambda names: MetricScope(**names))
        self.alarms: dict[str, aws.cloudwatch.MetricAlarm] = {}
        self.composites: dict[str, aws.cloudwatch.CompositeAlarm] = {}
        self.upload_request_metrics: aws.s3.BucketMetric | None = None
        for spec in ALARMS:
            threshold = spec.threshold_for(self._facts)
            if threshold is None:
                continue
            # An alarm behind a composite notifies nobody itself: the composite pages.
            alarm = self._alarm(spec, threshold, child, notify=not spec.only_while_uploading)
            self.alarms[spec.id] = alarm
            if spec.only_while_uploading:
                self.composites[spec.id] = self._while_uploading(spec, threshold, alarm, child)
        self.alarm_arns = pulumi.Output.all(*self.paging_alarm_arns).apply(list)
        self.register_outputs({"alarm_arns": self.alarm_arns})

    @property
    def paging_alarm_arns(self) -> list[pulumi.Output[str]]:
        """The alarms that notify a topic, for the dashboard's alarm status widget."""
        direct = [a.arn for spec_id, a in self.alarms.items() if spec_id not in self.composites]
        return direct + [c.arn for c in self.composites.values()]

    def _topic(self, spec: AlarmSpec) -> pulumi.Input[str]:
        """The tier's topic; the raw topic for an alarm on the formatter, which must not need the formatter."""
        return self._args["raw_alerts_topic_arn"] if spec.needs_formatter else self._topics[spec.tier]

    def _upload_requests(self, opts: pulumi.ResourceOptions) -> aws.s3.BucketMetric:
        if self.upload_request_metrics is None:
            bucket = self._args["upload_bucket_name"]
            self.upload_request_metrics = aws.s3.BucketMetric(
                f"{self._prefix}-upload-requests",
                bucket=bucket,
                name=UPLOAD_REQUEST_FILTER,
                filter=aws.s3.BucketMetricFilterArgs(prefix=contract.UPLOAD_PREFIX),
                opts=opts,
            )
        return self.upload_request_metrics

    def _while_uploading(
        self, spec: AlarmSpec, threshold: float, condition: aws.cloudwatch.MetricAlarm, opts: pulumi.ResourceOptions
    ) -> aws.cloudwatch.CompositeAlarm:
        metrics = self._upload_requests(opts)
        period = spec.period_for(self._facts)
        scope = self._scope
        uploads_name = uploads_alarm_name(self._prefix, spec)
        uploads = aws.cloudwatch.MetricAlarm(
            uploads_name,
            name=uploads_name,
            alarm_description=f"Condition of {paging_alarm_name(self._prefix, spec)}: uploads arrived in the window.",
            comparison_operator=GREATER,
            threshold=0,
            evaluation_periods=spec.evaluation_periods,
            # No requests publish no data: a quiet window is simply not uploading.
            treat_missing_data=NOT_BREACHING,
            namespace=UPLOAD_REQUESTS.source.aws_namespace,
            metric_name=UPLOAD_REQUESTS.name,
            dimensions=scope.apply(lambda s: s.dimensions_of(UPLOAD_REQUESTS)),
            statistic=UPLOAD_REQUESTS.statistic,
            period=period,
            tags=self._tags,
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[metrics])),
        )
        topic = self._topic(spec)
        name = paging_alarm_name(self._prefix, spec)
        return aws.cloudwatch.CompositeAlarm(
            name,
            alarm_name=name,
            alarm_rule=pulumi.Output.all(condition.name, uploads.name).apply(
                lambda names: f'ALARM("{names[0]}") AND ALARM("{names[1]}")'
            ),
            alarm_description=pulumi.Output.from_input(self._args.get("dashboard_url")).apply(
                lambda url: describe(spec, threshold, period, url, self._args.get("runbook_url"))
            ),
            alarm_actions=[topic],
            ok_actions=[topic],
            tags=self._tags,
            opts=opts,
        )

    def _alarm(
        self, spec: AlarmSpec, threshold: float, opts: pulumi.ResourceOptions, notify: bool = True
    ) -> aws.cloudwatch.MetricAlarm:
        name = alarm_name(self._prefix, spec)
        topic = self._topic(spec)
        scope = self._scope
        period = spec.period_for(self._facts)
        condition_only = f"Condition of {paging_alarm_name(self._prefix, spec)}, which pages: "
        description = pulumi.Output.from_input(self._args.get("dashboard_url")).apply(
            lambda url: (
                describe(spec, threshold, period, url, self._args.get("runbook_url"))
                if notify
                else condition_only + condition_text(spec, threshold, period)
            )
        )
        math = spec.expression is not None
        # The single metric, when the alarm is not metric math.
        ref = None if math else spec.metric
        if not math and ref is None:
            raise ValueError(f"alarm {spec.id} has neither a metric nor an expression")
        percentile = ref is not None and ref.statistic.startswith("p")
        return aws.cloudwatch.MetricAlarm(
            name,
            name=name,
            alarm_description=description,
            comparison_operator=spec.comparison,
            threshold=threshold,
            evaluation_periods=spec.evaluation_periods,
            treat_missing_data=spec.treat_missing_data,
            alarm_actions=[topic] if notify else [],
            ok_actions=[topic] if notify else [],
            metric_queries=scope.apply(lambda s: self._metric_queries(spec, s, period)) if math else None,
            namespace=None if ref is None else scope.apply(lambda s: s.namespace_of(ref)),
            metric_name=None if ref is None else ref.name,
            dimensions=None if ref is None else scope.apply(lambda s: s.dimensions_of(ref)),
            statistic=None if ref is None or percentile else ref.statistic,
            extended_statistic=ref.statistic if ref is not None and percentile else None,
            period=None if math else period,
            tags=self._tags,
            opts=opts,
        )

    @staticmethod
    def _metric_queries(
        spec: AlarmSpec, scope: MetricScope, period: int
    ) -> list[aws.cloudwatch.MetricAlarmMetricQueryArgs]:
        queries = [
            aws.cloudwatch.MetricAlarmMetricQueryArgs(
                id=query_id,
                return_data=False,
                metric=aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(
                    namespace=scope.namespace_of(ref),
                    metric_name=ref.name,
                    dimensions=scope.dimensions_of(ref),
                    stat=ref.statistic,
                    period=period,
                ),
            )
            for query_id, ref in spec.expression_metrics
        ]
        queries.append(
            aws.cloudwatch.MetricAlarmMetricQueryArgs(
                id="result", expression=spec.expression, label=spec.id, return_data=True
            )
        )
        return queries
