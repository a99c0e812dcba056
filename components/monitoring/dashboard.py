"""Dashboard: the health of the whole pipeline on one CloudWatch dashboard, built from the catalogue."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components import lambda_function as lambda_rules
from components.function_defaults import TIMEOUT_SECONDS, UNRESERVED
from components.inputs import ArgsCheck, FieldCheck, Violation, matches
from components.lambda_function import reserved_or_none
from components.monitoring import catalogue as c
from components.monitoring.catalogue import MetricRef, MetricScope
from components.naming import name_prefix
from components.type_tokens import component_options, type_token
from handlers.telemetry import events as ev

WIDTH = 12
HEIGHT = 6
RECENT_ERRORS_LIMIT = 20


def dashboard_url(region: str, name: str) -> str:
    return f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#dashboards:name={name}"


def dashboard_url_output(name: str) -> pulumi.Output[str]:
    """The console URL of dashboard `name` in the stack's region (for alarm descriptions)."""
    return aws.get_region_output().region.apply(lambda region: dashboard_url(region, name))


@dataclass(frozen=True)
class Line:
    """One plotted metric."""

    ref: MetricRef
    label: str
    right_axis: bool = False


@dataclass(frozen=True)
class GraphWidget:
    title: str
    lines: tuple[Line, ...]
    # (label, which value of the stack) for horizontal lines: "timeout_ms", "reserved_concurrency".
    annotation: str | None = None
    # Only where the stack runs the image API.
    needs_api: bool = False
    # Only where the dashboard is given the reprocessing function.
    needs_reprocess: bool = False


GRAPHS: tuple[GraphWidget, ...] = (
    GraphWidget(
        "Invocations and errors",
        (Line(c.INVOCATIONS, "Invocations"), Line(c.ERRORS, "Errors")),
    ),
    GraphWidget(
        "Duration (timeout marked)",
        (Line(c.DURATION, "Average"), Line(c.DURATION.stat("p99"), "p99")),
        annotation="timeout_ms",
    ),
    GraphWidget(
        "Concurrency and throttles",
        (
            Line(c.CONCURRENT_EXECUTIONS, "Concurrent executions"),
            Line(c.THROTTLES, "Throttles", right_axis=True),
        ),
        annotation="reserved_concurrency",
    ),
    GraphWidget(
        "Success vs errors",
        (
            Line(c.SUCCESSFUL_PROCESSES.ref(), "Processed"),
            Line(c.LAMBDA_ERRORS.ref(), "ERROR log lines"),
            Line(c.REJECTED_UPLOADS.ref(), "Rejected uploads"),
            Line(c.S3_ACCESS_DENIED.ref(), "Access denied"),
        ),
    ),
    GraphWidget(
        "Processing time vs image size",
        (
            Line(c.IMAGE_PROCESSING_TIME.ref("p50"), "Processing time p50 (ms)"),
            Line(c.IMAGE_PROCESSING_TIME.ref("p99"), "Processing time p99 (ms)"),
            Line(c.IMAGE_SIZE_BYTES.ref("Average"), "Image size avg (bytes)", right_axis=True),
        ),
    ),
    GraphWidget(
        "Failure queue depth",
        (Line(c.QUEUE_DEPTH, "Messages waiting"),),
    ),
    GraphWidget(
        "API requests and errors",
        (
            Line(c.API_REQUESTS, "Requests"),
            Line(c.API_CLIENT_ERRORS, "4XX"),
            Line(c.API_SERVER_ERRORS, "5XX"),
        ),
        needs_api=True,
    ),
    GraphWidget(
        "API latency",
        (Line(c.API_LATENCY.stat("p50"), "p50"), Line(c.API_LATENCY, "p99")),
        needs_api=True,
    ),
    # A reprocessing job's progress and failures: what its completion report will hold, as it runs.
    GraphWidget(
        "Reprocessing tasks (S3 Batch Operations)",
        (
            Line(c.REPROCESS_RENDERED.ref(), "Rendered again"),
            Line(c.REPROCESS_SUCCEEDED.ref(), "Succeeded (incl. already current)"),
            Line(c.REPROCESS_TEMPORARY_FAILURES.ref(), "Retried by the job"),
            Line(c.REPROCESS_PERMANENT_FAILURES.ref(), "Failed (see the report)"),
        ),
        needs_reprocess=True,
    ),
    GraphWidget(
        "Reprocessing function",
        (
            Line(c.REPROCESS_INVOCATIONS, "Invocations"),
            Line(c.REPROCESS_CONCURRENT_EXECUTIONS, "Concurrent executions"),
            Line(c.REPROCESS_THROTTLES, "Throttles", right_axis=True),
        ),
        needs_reprocess=True,
    ),
)


@dataclass(frozen=True)
class DashboardFacts:
    region: str
    scope: MetricScope
    log_group_name: str
    alarm_arns: tuple[str, ...]
    timeout_ms: int
    reserved_concurrency: int | None


def _metric_row(line: Line, scope: MetricScope) -> list[Any]:
    row: list[Any] = [scope.namespace_of(line.ref), line.ref.name]
    for key, value in scope.dimensions_of(line.ref).items():
        row += [key, value]
    options: dict[str, Any] = {"stat": line.ref.statistic, "label": line.label}
    if line.right_axis:
        options["yAxis"] = "right"
    return [*row, options]


def _graph(widget: GraphWidget, facts: DashboardFacts) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "title": widget.title,
        "view": "timeSeries",
        "region": facts.region,
        "period": 60,
        "metrics": [_metric_row(line, facts.scope) for line in widget.lines],
    }
    if widget.annotation == "timeout_ms":
        properties["annotations"] = {"horizontal": [{"label": "Timeout", "value": facts.timeout_ms}]}
    elif widget.annotation == "reserved_concurrency" and facts.reserved_concurrency is not None:
        properties["annotations"] = {
            "horizontal": [{"label": "Reserved concurrency", "value": facts.reserved_concurrency}]
        }
    return {"type": "metric", "properties": properties}


def recent_errors_query(log_group_name: str) -> str:
    # The lines LambdaErrors counts, selected by the same predicate: the handler's ERROR lines, the
    # runtime's uncaught-exception and init-error lines (errorType, errorMessage) and the
    # platform.report of a timed-out invocation (type).
    return (
        f"SOURCE '{log_group_name}' | fields @timestamp, {ev.FIELD_EVENT}, {ev.FIELD_KEY}, "
        f"{ev.FIELD_ERROR_TYPE}, {ev.FIELD_ERROR_CODE}, {ev.FIELD_MESSAGE}, "
        f"{ev.FIELD_RUNTIME_ERROR_TYPE}, {ev.FIELD_RUNTIME_ERROR_MESSAGE}, {ev.FIELD_PLATFORM_TYPE}"
        f" | filter {c.LAMBDA_ERRORS.pattern.insights()}"
        f" | sort @timestamp desc | limit {RECENT_ERRORS_LIMIT}"
    )


def dashboard_body(facts: DashboardFacts) -> dict[str, Any]:
    widgets: list[dict[str, Any]] = [
        {
            "type": "alarm",
            "properties": {"title": "Alarm status", "alarms": list(facts.alarm_arns)},
        }
    ]
    api = facts.scope.api_name is not None
    reprocess = facts.scope.reprocess_function is not None
    widgets += [_graph(g, facts) for g in GRAPHS if (api or not g.needs_api) and (reprocess or not g.needs_reprocess)]
    widgets.append(
        {
            "type": "log",
            "properties": {
                "title": f"Recent errors (last {RECENT_ERRORS_LIMIT} ERROR lines)",
                "region": facts.region,
                "view": "table",
                "query": recent_errors_query(facts.log_group_name),
            },
        }
    )
    # Two columns, in declaration order.
    for index, widget in enumerate(widgets):
        full_width = widget["type"] in ("alarm", "log")
        widget.update(
            {"x": 0 if full_width else (index % 2) * WIDTH, "y": index * HEIGHT, "width": 24 if full_width else WIDTH}
        )
        widget["height"] = HEIGHT
    return {"widgets": widgets}


class DashboardArgs(TypedDict):
    namespace: pulumi.Input[str]
    """Namespace of the log-derived metrics (MetricFilters' namespace)."""
    function_name: pulumi.Input[str]
    """The image-processing function."""
    failure_queue_name: pulumi.Input[str]
    """The function's failure queue."""
    log_group_name: pulumi.Input[str]
    """The function's log group, for the recent-errors widget."""
    dashboard_name: NotRequired[str]
    """The CloudWatch dashboard's name; default `{project}-{stack}-{name}`, shortened to fit."""
    alarm_arns: NotRequired[pulumi.Input[list[str]]]
    """Alarms for the status widget (Alarms' alarm_arns); none by default."""
    timeout_seconds: NotRequired[int]
    """The function's timeout, marked on the duration graph; default 60."""
    reserved_concurrency: NotRequired[int]
    """Marked on the concurrency graph; -1 (the default): unreserved, no mark."""
    api_name: NotRequired[pulumi.Input[str]]
    """The image API (ImageApi's api_name), if any: a row of API graphs follows."""
    api_stage: NotRequired[pulumi.Input[str]]
    """Its stage (ImageApi's stage_name)."""
    reprocess_function_name: NotRequired[pulumi.Input[str]]
    """The reprocessing function (ImagePipeline's reprocess_function_name), if any: a row of reprocessing
    graphs follows (task results need MetricFilters' reprocess_log_group_name)."""


# PutDashboard: "up to 255 characters ... alphanumerics, dash (-), and underscore (_)".
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html
MAX_DASHBOARD_NAME: Final = 255


def _api_needs_stage(values: Mapping[str, Any]) -> None:
    if ("api_name" in values) != ("api_stage" in values):
        raise Violation("given together with api_name (the API's graphs need both)", values.get("api_stage"))


INPUTS: Final = ArgsCheck(
    DashboardArgs,
    {
        "namespace": c.namespace,
        "dashboard_name": matches(
            rf"[A-Za-z0-9_-]{{1,{MAX_DASHBOARD_NAME}}}", f"letters, digits, '-' and '_', at most {MAX_DASHBOARD_NAME}"
        ),
        "timeout_seconds": lambda_rules.timeout_seconds,
        "reserved_concurrency": lambda_rules.reserved_concurrency,
    },
    across=(FieldCheck("api_stage", _api_needs_stage),),
)


class Dashboard(pulumi.ComponentResource):
    """One CloudWatch dashboard with the health of the whole pipeline."""

    dashboard_name: pulumi.Output[str]
    """The dashboard's name."""
    url: pulumi.Output[str]
    """The dashboard in the CloudWatch console."""

    def __init__(self, name: str, args: DashboardArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        args = INPUTS.check("Dashboard", name, args)
        super().__init__(type_token(Dashboard), name, None, component_options(Dashboard, opts))
        dashboard = name_prefix(args.get("dashboard_name"), name, MAX_DASHBOARD_NAME)
        timeout_ms = args.get("timeout_seconds", TIMEOUT_SECONDS) * 1000
        reserved = args.get("reserved_concurrency", UNRESERVED)
        region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=self)).region
        body = pulumi.Output.all(
            args["namespace"],
            region,
            args["function_name"],
            args["failure_queue_name"],
            args["log_group_name"],
            pulumi.Output.from_input(args.get("alarm_arns", [])),
            args.get("api_name"),
            args.get("api_stage"),
            args.get("reprocess_function_name"),
        ).apply(
            lambda v: json.dumps(
                dashboard_body(
                    DashboardFacts(
                        region=v[1],
                        scope=MetricScope(v[0], v[2], v[3], api_name=v[6], api_stage=v[7], reprocess_function=v[8]),
                        log_group_name=v[4],
                        alarm_arns=tuple(v[5]),
                        timeout_ms=timeout_ms,
                        reserved_concurrency=reserved_or_none(reserved),
                    )
                )
            )
        )
        self.dashboard = aws.cloudwatch.Dashboard(
            name, dashboard_name=dashboard, dashboard_body=body, opts=pulumi.ResourceOptions(parent=self)
        )
        self.dashboard_name = self.dashboard.dashboard_name
        self.url = region.apply(lambda r: dashboard_url(r, dashboard))
        self.register_outputs({"dashboard_name": self.dashboard_name, "url": self.url})
