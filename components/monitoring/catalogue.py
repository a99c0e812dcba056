"""The monitoring catalogue: every metric, alarm and widget of the pipeline, declared once.

Log-derived metrics are built from the handler's telemetry names (imported, never retyped).
MetricFilters, Alarms, Dashboard and the runbook (docs/alerts.md) are all computed from here.
"""

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Final

from components.inputs import Rule, Violation, at_least, matches, whole
from components.monitoring.filter_patterns import FilterPattern, all_of, any_of, equals
from handlers.batch.results import ResultCode
from handlers.telemetry import events as ev


class Tier(StrEnum):
    """SNS tiers (seed 002): who is woken, and how."""

    CRITICAL = "critical"
    PERFORMANCE = "performance"
    LOG_ALERTS = "log-alerts"


class Unit(StrEnum):
    COUNT = "Count"
    MILLISECONDS = "Milliseconds"
    BYTES = "Bytes"


class Source(StrEnum):
    """Whose metric it is; MetricScope places it in a stack (namespace from AWS_NAMESPACES, dimensions)."""

    LAMBDA = "image function"  # FunctionName
    SQS = "failure queue"  # QueueName
    LOGS = "log metric"  # the stack's own namespace, no dimensions
    S3_UPLOADS = "upload requests"  # BucketName (the upload bucket) and FilterId (UPLOAD_REQUEST_FILTER)
    API = "image API"  # ApiName and Stage
    CLEANUP = "cleanup function"  # FunctionName
    REPROCESS = "reprocessing function"  # FunctionName
    FORMATTER = "alert formatter"  # FunctionName
    FORMATTER_QUEUE = "alert formatter's failure queue"  # QueueName

    @property
    def aws_namespace(self) -> str | None:
        """The namespace AWS publishes the metric in; None for the stack's own log metrics."""
        return AWS_NAMESPACES.get(self)


AWS_NAMESPACES: Final = {
    Source.LAMBDA: "AWS/Lambda",
    Source.SQS: "AWS/SQS",
    Source.S3_UPLOADS: "AWS/S3",
    Source.API: "AWS/ApiGateway",
    Source.CLEANUP: "AWS/Lambda",
    Source.REPROCESS: "AWS/Lambda",
    Source.FORMATTER: "AWS/Lambda",
    Source.FORMATTER_QUEUE: "AWS/SQS",
}


@dataclass(frozen=True)
class MetricRef:
    source: Source
    name: str
    statistic: str  # Sum, Maximum, Average or a percentile like p99

    def stat(self, statistic: str) -> "MetricRef":
        """The same metric under another statistic."""
        return replace(self, statistic=statistic)


# The metrics AWS publishes for the function and its failure queue, declared once.
INVOCATIONS = MetricRef(Source.LAMBDA, "Invocations", "Sum")
ERRORS = MetricRef(Source.LAMBDA, "Errors", "Sum")
DURATION = MetricRef(Source.LAMBDA, "Duration", "Average")
THROTTLES = MetricRef(Source.LAMBDA, "Throttles", "Sum")
CONCURRENT_EXECUTIONS = MetricRef(Source.LAMBDA, "ConcurrentExecutions", "Maximum")
RECURSIVE_INVOCATIONS_DROPPED = MetricRef(Source.LAMBDA, "RecursiveInvocationsDropped", "Sum")
QUEUE_DEPTH = MetricRef(Source.SQS, "ApproximateNumberOfMessagesVisible", "Maximum")
# S3 request metrics of the upload bucket, filtered to uploads/: every PUT, POST, multipart part or
# copy of an upload is a request. The function's own reads count too, but only once it runs.
UPLOAD_REQUEST_FILTER: Final = "uploads"
UPLOAD_REQUESTS = MetricRef(Source.S3_UPLOADS, "AllRequests", "Sum")
# The image API's stage.
API_REQUESTS = MetricRef(Source.API, "Count", "Sum")
API_CLIENT_ERRORS = MetricRef(Source.API, "4XXError", "Sum")
API_SERVER_ERRORS = MetricRef(Source.API, "5XXError", "Sum")
API_LATENCY = MetricRef(Source.API, "Latency", "p99")
# The dev cleanup function: it fails its invocation when anything could not be deleted.
CLEANUP_ERRORS = MetricRef(Source.CLEANUP, "Errors", "Sum")
# The reprocessing function (S3 Batch Operations jobs): graphed, never alarmed (a job pages no one).
REPROCESS_INVOCATIONS = MetricRef(Source.REPROCESS, "Invocations", "Sum")
REPROCESS_THROTTLES = MetricRef(Source.REPROCESS, "Throttles", "Sum")
REPROCESS_CONCURRENT_EXECUTIONS = MetricRef(Source.REPROCESS, "ConcurrentExecutions", "Maximum")
# The alert formatter: its failed invocations, and the notifications it gave up on.
FORMATTER_ERRORS = MetricRef(Source.FORMATTER, "Errors", "Sum")
FORMATTER_QUEUE_DEPTH = MetricRef(Source.FORMATTER_QUEUE, "ApproximateNumberOfMessagesVisible", "Maximum")


@dataclass(frozen=True)
class LogMetric:
    """A metric the function's log lines produce through a metric filter."""

    name: str
    unit: Unit
    pattern: FilterPattern
    # "1" counts matching lines; "$.field" publishes the field's value.
    value: str
    description: str

    @property
    def counts(self) -> bool:
        """True for a count of matching lines, False for a metric of a field's values."""
        return not self.value.startswith("$.")

    @property
    def default_value(self) -> float | None:
        """What CloudWatch publishes for log lines that do not match.

        A count gets 0, so a quiet period reads as "none" instead of "no data". A value metric
        gets none: a default would add a 0 ms / 0 byte datapoint for every other log line and
        drag its averages and percentiles down.
        """
        return 0.0 if self.counts else None

    @property
    def filter_pattern(self) -> str:
        return self.pattern.render()

    def ref(self, statistic: str = "Sum") -> MetricRef:
        return MetricRef(Source.LOGS, self.name, statistic)


def _field_value(name: str) -> str:
    return f"$.{name}"


# ERROR lines: the handler's own ("level"), the Python runtime's for an uncaught exception or a
# failed init ("log_level" before awslambdaric 4.0.4, "level" after), and Lambda's platform.report
# of a timed-out invocation, which has no level field. Lambda reads a line without "level" as INFO,
# so an applicationLogLevel above INFO would drop the "log_level" lines (awslambdaric issue #202).
# Shapes and sources: tests/infra/test_lambda_errors_runtime_lines.py.
LAMBDA_ERRORS = LogMetric(
    "LambdaErrors",
    Unit.COUNT,
    any_of(
        equals(ev.FIELD_LEVEL, ev.Level.ERROR),
        equals(ev.FIELD_RUNTIME_LOG_LEVEL, ev.Level.ERROR),
        all_of(
            equals(ev.FIELD_PLATFORM_TYPE, ev.PLATFORM_REPORT),
            equals(ev.FIELD_PLATFORM_STATUS, ev.PLATFORM_STATUS_TIMEOUT),
        ),
    ),
    "1",
    "ERROR log lines: the handler's, the runtime's for an uncaught exception or a failed init, "
    "and Lambda's report of a timed-out invocation",
)
IMAGE_PROCESSING_TIME = LogMetric(
    "ImageProcessingTime",
    Unit.MILLISECONDS,
    equals(ev.FIELD_EVENT, ev.LogEvent.PROCESSED),
    _field_value(ev.FIELD_PROCESSING_TIME_MS),
    "time to turn one upload into all its renditions",
)
SUCCESSFUL_PROCESSES = LogMetric(
    "SuccessfulProcesses",
    Unit.COUNT,
    equals(ev.FIELD_EVENT, ev.LogEvent.PROCESSED),
    "1",
    "uploads processed into renditions",
)
IMAGE_SIZE_BYTES = LogMetric(
    "ImageSizeBytes",
    Unit.BYTES,
    equals(ev.FIELD_EVENT, ev.LogEvent.PROCESSED),
    _field_value(ev.FIELD_IMAGE_SIZE_BYTES),
    "size of each processed upload",
)
S3_ACCESS_DENIED = LogMetric(
    "S3AccessDenied",
    Unit.COUNT,
    all_of(equals(ev.FIELD_EVENT, ev.LogEvent.FAILED), equals(ev.FIELD_ERROR_CODE, ev.ERROR_CODE_ACCESS_DENIED)),
    "1",
    "S3 or DynamoDB calls refused with AccessDenied",
)
REJECTED_UPLOADS = LogMetric(
    "RejectedUploads",
    Unit.COUNT,
    equals(ev.FIELD_EVENT, ev.LogEvent.REJECTED),
    "1",
    "uploads that can never become renditions (corrupt, too large, unsupported)",
)
LOG_METRICS: Final[tuple[LogMetric, ...]] = (
    LAMBDA_ERRORS,
    IMAGE_PROCESSING_TIME,
    SUCCESSFUL_PROCESSES,
    IMAGE_SIZE_BYTES,
    S3_ACCESS_DENIED,
    REJECTED_UPLOADS,
)


def _reprocess_tasks(name: str, condition: FilterPattern, description: str) -> LogMetric:
    return LogMetric(
        name, Unit.COUNT, all_of(equals(ev.FIELD_EVENT, ev.LogEvent.REPROCESS_TASK), condition), "1", description
    )


# From the reprocessing function's log group: one reprocess.task line per S3 Batch Operations task.
REPROCESS_RENDERED = _reprocess_tasks(
    "ReprocessRendered", equals(ev.FIELD_OUTCOME, ev.OUTCOME_RENDERED), "tasks that rendered an image again"
)
REPROCESS_SUCCEEDED = _reprocess_tasks(
    "ReprocessSucceeded",
    equals(ev.FIELD_RESULT_CODE, ResultCode.SUCCEEDED),
    "tasks that succeeded: rendered again, or already current (one read, no writes)",
)
REPROCESS_TEMPORARY_FAILURES = _reprocess_tasks(
    "ReprocessTemporaryFailures",
    equals(ev.FIELD_RESULT_CODE, ResultCode.TEMPORARY_FAILURE),
    "tasks Batch Operations will try again (throttled, a server error, short of time)",
)
REPROCESS_PERMANENT_FAILURES = _reprocess_tasks(
    "ReprocessPermanentFailures",
    equals(ev.FIELD_RESULT_CODE, ResultCode.PERMANENT_FAILURE),
    "tasks that failed for good: in the job's completion report with their reason",
)
REPROCESS_LOG_METRICS: Final[tuple[LogMetric, ...]] = (
    REPROCESS_RENDERED,
    REPROCESS_SUCCEEDED,
    REPROCESS_TEMPORARY_FAILURES,
    REPROCESS_PERMANENT_FAILURES,
)


@dataclass(frozen=True)
class StackFacts:
    """What the thresholds depend on, handed in from the stack config."""

    timeout_s: int
    reserved_concurrency: int | None
    expect_traffic: bool
    no_traffic_minutes: int
    overrides: dict[str, float] = field(default_factory=dict)
    # Whether the stack runs the image API (its alarms exist only then).
    api: bool = False
    # Whether the stack runs the dev cleanup schedule.
    cleanup: bool = False
    # Whether an alert formatter composes the stack's alert emails.
    formatter: bool = False


@dataclass(frozen=True)
class AlarmSpec:
    """One alarm and everything an on-call reads about it."""

    id: str
    tier: Tier
    # What broke, in words, for an email's subject: `image function errors`.
    title: str
    comparison: str
    # The stack's default; None: the alarm does not apply (e.g. no reserved concurrency).
    # alarmThresholds overrides it by id.
    default_threshold: Callable[[StackFacts], float | None]
    treat_missing_data: str
    what: str
    why: str
    checks: tuple[str, str, str]
    metric: MetricRef | None = None
    # Metric math over named metrics instead of one metric.
    expression: str | None = None
    expression_metrics: tuple[tuple[str, MetricRef], ...] = ()
    period_s: int = 300
    # The period is the stack's no-traffic window instead of period_s.
    period_is_silence_window: bool = False
    evaluation_periods: int = 1
    threshold_text: str = ""
    # Only where the stack expects traffic: silence is then a fault.
    needs_traffic: bool = False
    # Pages only while uploads arrive (a composite of this alarm and an UPLOAD_REQUESTS > 0 alarm over
    # the same period): a quiet hour, or the first hour after the first deploy, is not an outage.
    only_while_uploading: bool = False
    # Only where the stack runs the image API.
    needs_api: bool = False
    # Only where the stack runs the dev cleanup.
    needs_cleanup: bool = False
    # Only where an alert formatter composes the emails; such an alarm watches the formatter itself, so it
    # notifies the raw topic, whose email subscribers get CloudWatch's own text.
    needs_formatter: bool = False
    # Written after the figure in an email's subject (`7.5% in 5 min`); empty for counts.
    subject_unit: str = ""
    # Log lines that explain an alarm on an AWS metric (the metric's own log lines for a log metric).
    log_evidence: "LogMetric | None" = None

    @property
    def evidence_lines(self) -> "LogMetric | None":
        """The log metric whose lines are the evidence for this alarm, if any."""
        if self.log_evidence is not None:
            return self.log_evidence
        refs = [self.metric] if self.metric is not None else [ref for _, ref in self.expression_metrics]
        for ref in refs:
            if ref.source is Source.LOGS:
                return next(m for m in LOG_METRICS if m.name == ref.name)
        return None

    def threshold_for(self, facts: StackFacts) -> float | None:
        if self.needs_traffic and not facts.expect_traffic:
            return None
        if self.needs_api and not facts.api:
            return None
        if self.needs_cleanup and not facts.cleanup:
            return None
        if self.needs_formatter and not facts.formatter:
            return None
        default = self.default_threshold(facts)
        return None if default is None else facts.overrides.get(self.id, default)

    def period_for(self, facts: StackFacts) -> int:
        return facts.no_traffic_minutes * 60 if self.period_is_silence_window else self.period_s


def _fixed(value: float) -> Callable[[StackFacts], float | None]:
    return lambda _facts: value


GREATER = "GreaterThanThreshold"
LESS = "LessThanThreshold"
NOT_BREACHING = "notBreaching"
BREACHING = "breaching"

ALARMS: Final[tuple[AlarmSpec, ...]] = (
    # --- critical: users' images are not being processed ---
    AlarmSpec(
        id="function-errors",
        title="image function errors",
        log_evidence=LAMBDA_ERRORS,
        tier=Tier.CRITICAL,
        metric=ERRORS,
        comparison=GREATER,
        default_threshold=_fixed(0),
        treat_missing_data=NOT_BREACHING,
        what="The image processor's invocations failed (transient S3/DynamoDB errors or crashes).",
        why="Failed invocations are retried and then land in the failure queue; uploads go unprocessed meanwhile.",
        checks=(
            "Dashboard 'Recent errors': the error_type and error_code of the failing records.",
            "Failure-queue depth: events that exhausted their retries (redrive them once fixed).",
            "Recent deploys or IAM/KMS changes: AccessDenied or KMS errors point there.",
        ),
    ),
    AlarmSpec(
        id="error-rate",
        title="image function error rate",
        subject_unit="%",
        log_evidence=LAMBDA_ERRORS,
        tier=Tier.CRITICAL,
        # Errors/Invocations as a rate; the seed averaged Errors, which is not a rate.
        expression="IF(invocations > 0, 100 * errors / invocations, 0)",
        expression_metrics=(
            ("errors", ERRORS),
            ("invocations", INVOCATIONS),
        ),
        comparison=GREATER,
        default_threshold=_fixed(5),
        threshold_text="% of invocations",
        treat_missing_data=NOT_BREACHING,
        what="More than the allowed share of invocations failed.",
        why="A high error rate means most uploads are not becoming renditions.",
        checks=(
            "Dashboard 'Success vs errors': is it every image or a subset (format, size)?",
            "Logs Insights 'Recent errors' for error_type/error_code.",
            "S3, DynamoDB and KMS service health in the region.",
        ),
    ),
    AlarmSpec(
        id="failure-queue-messages",
        title="events in the failure queue",
        tier=Tier.CRITICAL,
        metric=QUEUE_DEPTH,
        comparison=GREATER,
        default_threshold=_fixed(0),
        treat_missing_data=NOT_BREACHING,
        what="Events gave up after all retries and wait in the failure queue.",
        why="Each message is an upload that will never be processed unless someone redrives it.",
        checks=(
            "Read a message: the original S3 event and the error Lambda recorded.",
            "Fix the cause (see function-errors), then redrive the queue to the function.",
            "Messages expire after 14 days: act before then.",
        ),
    ),
    AlarmSpec(
        id="no-invocations",
        title="uploads not invoking the function",
        tier=Tier.CRITICAL,
        metric=INVOCATIONS,
        comparison=LESS,
        default_threshold=_fixed(1),
        needs_traffic=True,
        only_while_uploading=True,
        period_is_silence_window=True,
        treat_missing_data=BREACHING,
        what="Uploads arrived under uploads/, but nothing invoked the function for the configured period.",
        why="Uploads are piling up unprocessed: the trigger, the bucket notification or the function is broken."
        " A quiet period with no uploads never pages.",
        checks=(
            "Is the bucket notification still pointing at the function (a stack drift)?",
            "Is the function throttled to zero (reserved concurrency 0) or its invoke permission gone?",
            "S3 request metrics of the upload bucket: which requests are arriving?",
        ),
    ),
    AlarmSpec(
        id="too-few-successes",
        title="too few images processed",
        tier=Tier.CRITICAL,
        metric=SUCCESSFUL_PROCESSES.ref(),
        comparison=LESS,
        default_threshold=_fixed(1),
        needs_traffic=True,
        only_while_uploading=True,
        period_s=3600,
        treat_missing_data=BREACHING,
        what="Uploads arrived in the last hour, but fewer images than the threshold were processed.",
        why="Invocations may succeed while every image is rejected or skipped: users see no renditions."
        " A quiet hour with no uploads never pages.",
        checks=(
            "Dashboard 'Success vs errors' and 'Rejected uploads': are uploads being rejected?",
            "Recent changes to the rendition config or the Pillow layer.",
            "Logs Insights: image.skipped reasons (duplicate, superseded, source_missing).",
        ),
    ),
    AlarmSpec(
        id="recursive-invocations-dropped",
        title="recursive invocations dropped",
        tier=Tier.CRITICAL,
        metric=RECURSIVE_INVOCATIONS_DROPPED,
        comparison=GREATER,
        default_threshold=_fixed(0),
        treat_missing_data=NOT_BREACHING,
        what="Lambda stopped a recursive loop involving the function.",
        why="The function is writing somewhere that triggers it again: cost and duplicate work.",
        checks=(
            "Is PROCESSED_BUCKET the upload bucket by mistake?",
            "Bucket notifications on the processed bucket pointing at the function.",
            "Recent changes to key prefixes (uploads/ vs renditions/).",
        ),
    ),
    AlarmSpec(
        id="api-5xx-rate",
        title="image API server errors",
        subject_unit="%",
        tier=Tier.CRITICAL,
        expression="IF(requests > 0, 100 * errors / requests, 0)",
        expression_metrics=(
            ("errors", API_SERVER_ERRORS),
            ("requests", API_REQUESTS),
        ),
        comparison=GREATER,
        default_threshold=_fixed(5),
        threshold_text="% of API requests",
        treat_missing_data=NOT_BREACHING,
        needs_api=True,
        what="More than the allowed share of image API requests failed with a server error (5XX).",
        why="Signed-in users cannot upload, list, fetch or delete their images.",
        checks=(
            "Logs Insights on the API function's log group: the error lines and their request ids.",
            "The API access log: which route, which status, integrationError.",
            "Recent deploys of the API function, its role, the table or the buckets.",
        ),
    ),
    # --- performance: slower or saturated, still working ---
    AlarmSpec(
        id="duration-p99",
        title="image function duration p99",
        subject_unit=" ms",
        tier=Tier.PERFORMANCE,
        metric=DURATION.stat("p99"),
        comparison=GREATER,
        default_threshold=lambda f: 0.8 * f.timeout_s * 1000,
        threshold_text="ms (80% of the timeout)",
        treat_missing_data=NOT_BREACHING,
        what="The slowest 1% of invocations come close to the function's timeout.",
        why="Past the timeout an invocation is killed mid-way and retried: wasted work and late renditions.",
        checks=(
            "Dashboard 'Processing time vs image size': are larger images arriving?",
            "Memory size: Lambda CPU scales with memory; raise memoryMb.",
            "Batch size: S3 events with many records per invocation.",
        ),
    ),
    AlarmSpec(
        id="throttles",
        title="image function throttled",
        tier=Tier.PERFORMANCE,
        metric=THROTTLES,
        comparison=GREATER,
        default_threshold=_fixed(0),
        treat_missing_data=NOT_BREACHING,
        what="Invocations were throttled.",
        why="Throttled async events are retried for up to the maximum event age, then dropped to the queue.",
        checks=(
            "Dashboard 'Concurrency and throttles': is reserved concurrency the ceiling?",
            "Account-level concurrency used by other functions.",
            "An upload burst (batch import) that may pass on its own.",
        ),
    ),
    AlarmSpec(
        id="concurrency",
        title="image function concurrency",
        tier=Tier.PERFORMANCE,
        metric=CONCURRENT_EXECUTIONS,
        comparison=GREATER,
        default_threshold=lambda f: None if f.reserved_concurrency is None else 0.8 * f.reserved_concurrency,
        threshold_text="executions (80% of reserved concurrency)",
        treat_missing_data=NOT_BREACHING,
        what="Concurrent executions are near the function's reserved concurrency.",
        why="At the ceiling, new uploads are throttled and processed late.",
        checks=(
            "Dashboard 'Concurrency and throttles': sustained or a spike?",
            "Duration: slower invocations hold concurrency longer.",
            "Raise reservedConcurrency if the load is genuine.",
        ),
    ),
    AlarmSpec(
        id="processing-time-p99",
        title="processing time p99",
        subject_unit=" ms",
        tier=Tier.PERFORMANCE,
        metric=IMAGE_PROCESSING_TIME.ref("p99"),
        comparison=GREATER,
        default_threshold=_fixed(10_000),
        threshold_text="ms",
        treat_missing_data=NOT_BREACHING,
        what="Turning one upload into renditions takes longer than the threshold for the slowest 1%.",
        why="Users wait longer for thumbnails; invocations approach the timeout.",
        checks=(
            "Dashboard 'Processing time vs image size': correlated with size?",
            "Image mix: many large PNGs or animated GIFs cost more than JPEGs.",
            "Memory size (CPU) of the function.",
        ),
    ),
    AlarmSpec(
        id="api-latency-p99",
        title="image API latency p99",
        subject_unit=" ms",
        tier=Tier.PERFORMANCE,
        metric=API_LATENCY,
        comparison=GREATER,
        default_threshold=_fixed(2_000),
        threshold_text="ms",
        treat_missing_data=NOT_BREACHING,
        needs_api=True,
        what="The slowest 1% of image API requests take longer than the threshold.",
        why="Apps wait on every list and fetch; API Gateway gives up on a request after 29 s.",
        checks=(
            "Dashboard 'API latency': all routes, or list (large pages) only?",
            "DynamoDB and S3 throttling in the API function's log lines.",
            "The API function's memory (CPU) and cold starts after a deploy.",
        ),
    ),
    # --- log alerts: signals from the handler's own log lines ---
    AlarmSpec(
        id="lambda-errors",
        title="ERROR log lines",
        tier=Tier.LOG_ALERTS,
        metric=LAMBDA_ERRORS.ref(),
        comparison=GREATER,
        default_threshold=_fixed(0),
        threshold_text="ERROR lines",
        treat_missing_data=NOT_BREACHING,
        what="The handler or the Lambda runtime logged ERROR lines (failed records, crashes, init errors, timeouts).",
        why="Each ERROR is a record or an invocation that failed and will be retried; a trend precedes an outage.",
        checks=(
            "Logs Insights 'Recent errors' on the dashboard.",
            "error_code: throttling (SlowDown, ProvisionedThroughputExceeded) or permissions?",
            "Correlate with deploys.",
        ),
    ),
    AlarmSpec(
        id="s3-access-denied",
        title="S3/DynamoDB access denied",
        tier=Tier.LOG_ALERTS,
        metric=S3_ACCESS_DENIED.ref(),
        comparison=GREATER,
        default_threshold=_fixed(0),
        treat_missing_data=NOT_BREACHING,
        what="The handler was denied access to S3 or DynamoDB.",
        why="A permissions change (IAM, bucket policy, KMS key policy) stops processing for every image.",
        checks=(
            "The key and error_code in the log line: which bucket or table refused?",
            "Recent changes to the role, bucket policies or the KMS key policy.",
            "Uploads outside uploads/ are not readable by design.",
        ),
    ),
    AlarmSpec(
        id="rejected-uploads",
        title="rejected uploads",
        tier=Tier.LOG_ALERTS,
        metric=REJECTED_UPLOADS.ref(),
        comparison=GREATER,
        default_threshold=_fixed(10),
        threshold_text="rejections",
        treat_missing_data=NOT_BREACHING,
        what="A spike of uploads was rejected (corrupt, too large, unsupported format).",
        why="Either a client is sending bad files or the limits are too tight for real photos.",
        checks=(
            "The reason field of image.rejected lines: one reason dominating?",
            "Which user_id prefix the rejected keys share (one misbehaving client?).",
            "maxObjectBytes / maxPixels in the stack config versus what users upload.",
        ),
    ),
    AlarmSpec(
        id="api-4xx-spike",
        title="image API client errors",
        tier=Tier.LOG_ALERTS,
        metric=API_CLIENT_ERRORS,
        comparison=GREATER,
        default_threshold=_fixed(50),
        threshold_text="client errors",
        treat_missing_data=NOT_BREACHING,
        needs_api=True,
        what="A spike of image API requests was refused (4XX: unauthorized, not found, bad requests, throttled).",
        why="A client is misbehaving, sign-in is broken, or someone is probing for other users' images.",
        checks=(
            "The API access log: which status dominates (401, 404, 429) and from which ip.",
            "401s after a Cognito change (app client, user pool) or expired tokens in an app release.",
            "Many 404s from one caller: probing image ids; consider WAF rate rules.",
        ),
    ),
    AlarmSpec(
        id="cleanup-errors",
        title="dev cleanup failed",
        tier=Tier.LOG_ALERTS,
        metric=CLEANUP_ERRORS,
        comparison=GREATER,
        default_threshold=_fixed(0),
        threshold_text="failed sweeps",
        treat_missing_data=NOT_BREACHING,
        needs_cleanup=True,
        what="The dev cleanup could not delete everything past its age (or crashed).",
        why="Test uploads pile up and cost money until a sweep succeeds; it is not retried until the next day.",
        checks=(
            "The cleanup function's log group: cleanup.delete_failed and cleanup.failed lines.",
            "Its role: a bucket or table renamed, or a policy change (AccessDenied).",
            "Its duration: a very large backlog may need a longer timeout.",
        ),
    ),
    # --- the alert formatter: these reach email through the raw topic, never through the formatter ---
    AlarmSpec(
        id="alert-formatter-errors",
        tier=Tier.LOG_ALERTS,
        title="alert formatter failing",
        metric=FORMATTER_ERRORS,
        comparison=GREATER,
        default_threshold=_fixed(0),
        threshold_text="failed invocations",
        treat_missing_data=NOT_BREACHING,
        needs_formatter=True,
        what="The alert formatter failed to compose or publish an alert email (it is retried twice).",
        why="Until it works again, email recipients may receive no alert emails; SMS and the alarms themselves"
        " are unaffected.",
        checks=(
            "The formatter's log group: alert.failed lines say why (publish refused, KMS, throttling).",
            "The alarms' states on the dashboard: what the missing emails would have said.",
            "Its role and the alert topics' key: a recent IAM or key policy change.",
        ),
    ),
    AlarmSpec(
        id="alert-formatter-failures",
        tier=Tier.LOG_ALERTS,
        title="alert emails not composed",
        metric=FORMATTER_QUEUE_DEPTH,
        comparison=GREATER,
        default_threshold=_fixed(0),
        threshold_text="undelivered notifications",
        treat_missing_data=NOT_BREACHING,
        needs_formatter=True,
        what="Alarm notifications wait in the alert formatter's failure queue: their emails were never sent.",
        why="Each message is an alarm (its full CloudWatch notification inside) that no email recipient has seen.",
        checks=(
            "Read the queue's messages: each holds the alarm's name, state and CloudWatch's text.",
            "Check those alarms on the dashboard and act on them first.",
            "Fix the formatter (see alert-formatter-errors), then purge or redrive the queue.",
        ),
    ),
)

CONFIGURABLE_THRESHOLDS: Final = frozenset(a.id for a in ALARMS)


class _AlarmThresholds(Rule):
    """Each key an alarm id of the catalogue (the closest one suggested), each value a number of at least 0."""

    def __init__(self) -> None:
        super().__init__("a mapping of alarm ids to numbers of at least 0", lambda _: True)

    def check(self, value: object) -> None:
        if not isinstance(value, dict):
            raise Violation(self.allowed, value)
        for alarm_id, threshold in value.items():
            if alarm_id not in CONFIGURABLE_THRESHOLDS:
                close = difflib.get_close_matches(str(alarm_id), sorted(CONFIGURABLE_THRESHOLDS), n=1)
                hint = f"did you mean {close[0]}? " if close else ""
                known = ", ".join(sorted(CONFIGURABLE_THRESHOLDS))
                raise Violation(f"an alarm with a threshold ({hint}alarms: {known})", alarm_id, f"[{alarm_id!r}]")
            try:
                at_least(0).check(threshold)
            except Violation as exc:
                raise exc.below(f"[{alarm_id!r}]") from None


# What alarm_thresholds may hold, for every component and config key that takes them.
alarm_thresholds: Final = _AlarmThresholds()
# A silence window the silence alarms can evaluate: CloudWatch periods of 5 minutes to a day.
NO_TRAFFIC_MINUTES: Final = 60
no_traffic_minutes: Final = whole(5, 1440)
# A custom namespace (PutMetricData: 1-255 characters; "AWS/" is reserved for AWS's own).
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
namespace: Final = matches(
    r"(?!AWS/)[A-Za-z0-9.\-_/#:]{1,255}", "a CloudWatch namespace like imagepipe/prod (not AWS/...)"
)


def format_threshold(value: float) -> str:
    """3.0 -> 3, 0.5 -> 0.5: a threshold or default value as people and CloudWatch read it."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True)
class MetricScope:
    """Resolved names that place a catalogue metric in this stack."""

    namespace: str
    function_name: str
    queue_name: str
    upload_bucket: str | None = None
    api_name: str | None = None
    api_stage: str | None = None
    cleanup_function: str | None = None
    reprocess_function: str | None = None
    formatter_function: str | None = None
    formatter_queue: str | None = None

    def namespace_of(self, ref: MetricRef) -> str:
        return ref.source.aws_namespace or self.namespace

    def dimensions_of(self, ref: MetricRef) -> dict[str, str]:
        """The metric's dimensions in this stack; a metric of a resource the stack was not given is refused."""
        by_source: dict[Source, dict[str, str | None]] = {
            Source.LAMBDA: {"FunctionName": self.function_name},
            Source.SQS: {"QueueName": self.queue_name},
            Source.LOGS: {},
            Source.S3_UPLOADS: {"BucketName": self.upload_bucket, "FilterId": UPLOAD_REQUEST_FILTER},
            Source.API: {"ApiName": self.api_name, "Stage": self.api_stage},
            Source.CLEANUP: {"FunctionName": self.cleanup_function},
            Source.REPROCESS: {"FunctionName": self.reprocess_function},
            Source.FORMATTER: {"FunctionName": self.formatter_function},
            Source.FORMATTER_QUEUE: {"QueueName": self.formatter_queue},
        }
        dimensions = by_source[ref.source]
        missing = [name for name, value in dimensions.items() if value is None]
        if missing:
            raise ValueError(f"{ref.name} of the {ref.source} needs its {' and '.join(missing)}: it was not given")
        return {name: value for name, value in dimensions.items() if value is not None}
