"""The stack's renditions change; S3 Batch Operations re-renders what is stored, on this machine.

After the demo's usual run: the renditions change (``small`` is dropped, a 96x96 WebP ``avatar`` is
added: the functions' RENDITIONS after a deploy); one more photo is uploaded, which the image processor
renders with the new set; then the job runs as ``python3 tasks.py reprocess`` would start it. The
manifest is built from the emulated table by the command's own code (reprocess/selection.py,
reprocess/manifest.py) and stored in the stack's reprocessing bucket; each of its lines is delivered to
``handlers.reprocessor.handler`` as Batch Operations does (emulated_aws/batch_operations.py: invocation
schema 2.0, one task per invocation, a task id each), as many at once as the function's concurrency.
What the function answers is the job's completion report.
"""

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final

from components.image_pipeline import function_environment
from components.monitoring.catalogue import REPROCESS_LOG_METRICS
from emulated_aws.batch_operations import invocations
from emulated_aws.environment import patched_environ
from emulated_aws.lambda_context import LocalLambdaContext
from emulated_aws.server import LocalAws
from handlers import contract
from handlers.batch.results import ResultCode
from handlers.edge.events import decode_key
from handlers.imaging.fingerprint import rendering_fingerprint
from handlers.imaging.renditions import OutputFormat, RenditionSpec
from handlers.reprocessor import handler as reprocess_handler
from localrun.log_capture import captured_stdout_lines
from localrun.metrics_report import MetricReading, read_metrics
from program.config import StackConfig
from program.stack_args import pipeline_args, rendition_args
from reprocess.job import REQUESTED_BY
from reprocess.manifest import build_manifest
from reprocess.selection import select

DROPPED: Final = "small"
ADDED: Final = RenditionSpec("avatar", 96, 96, (OutputFormat.WEBP,))
JOB_ID: Final = "00000000-demo-4000-8000-reprocess001"
# The function's concurrency when the stack leaves it unreserved (as dev does).
UNRESERVED_DEMO_CONCURRENCY: Final = 4


@dataclass(frozen=True)
class TaskOutcome:
    key: str
    code: str
    text: str


@dataclass(frozen=True)
class ReprocessReport:
    dropped: str
    added: RenditionSpec
    fingerprint_before: str
    fingerprint_after: str
    manifest_key: str
    concurrency: int
    tasks: tuple[TaskOutcome, ...]
    metrics: tuple[MetricReading, ...]
    log_lines: tuple[str, ...]
    """The reprocessing function's lines (its own log group on AWS, not the image processor's)."""

    def with_code(self, code: ResultCode, text_prefix: str = "") -> list[TaskOutcome]:
        return [t for t in self.tasks if t.code == code and t.text.startswith(text_prefix)]

    @property
    def as_expected(self) -> bool:
        """Every task answered, none left for a retry."""
        return bool(self.tasks) and not self.with_code(ResultCode.TEMPORARY_FAILURE)


def changed_renditions(specs: Sequence[RenditionSpec]) -> tuple[RenditionSpec, ...]:
    return (*(s for s in specs if s.name != DROPPED), ADDED)


def run_reprocess_tour(
    aws: LocalAws,
    config: StackConfig,
    buckets: tuple[str, str, str],
    table: str,
    upload_after_change: Callable[[], None],
) -> ReprocessReport:
    """``buckets``: upload, processed, reprocessing. ``upload_after_change`` puts one more photo and
    hands its event to the image processor, under the changed renditions."""
    _, processed_bucket, reprocess_bucket = buckets
    before = config.processing.renditions
    after = changed_renditions(before)
    args = pipeline_args(config)
    args["renditions"] = [rendition_args(spec) for spec in after]
    fingerprint = rendering_fingerprint(after)
    with patched_environ(function_environment(args, processed_bucket, table)):
        upload_after_change()
        selection = select(aws.client("dynamodb"), table, fingerprint=fingerprint)
        manifest = build_manifest(selection.originals)
        key = manifest.key(contract.REPROCESS_MANIFEST_PREFIX, config.stack, fingerprint)
        s3 = aws.client("s3")
        s3.put_object(Bucket=reprocess_bucket, Key=key, Body=manifest.body.encode("utf-8"), ContentType="text/csv")
        body = s3.get_object(Bucket=reprocess_bucket, Key=key)["Body"].read().decode("utf-8")
        arguments = {
            contract.REPROCESS_ARGUMENT_FINGERPRINT: fingerprint,
            contract.REPROCESS_ARGUMENT_REQUESTED_BY: REQUESTED_BY,
        }
        events = list(invocations(JOB_ID, body, arguments))
        concurrency = config.function.reprocess_concurrency
        concurrency = concurrency if concurrency > 0 else UNRESERVED_DEMO_CONCURRENCY
        timeout_ms = config.function.timeout_s * 1000
        with captured_stdout_lines() as lines, ThreadPoolExecutor(max_workers=concurrency) as pool:
            answers = list(pool.map(lambda event: reprocess_handler(event, LocalLambdaContext(timeout_ms)), events))
    tasks = tuple(_outcome(event, answer) for event, answer in zip(events, answers, strict=True))
    return ReprocessReport(
        dropped=DROPPED,
        added=ADDED,
        fingerprint_before=rendering_fingerprint(before),
        fingerprint_after=fingerprint,
        manifest_key=key,
        concurrency=concurrency,
        tasks=tasks,
        metrics=tuple(read_metrics(lines.lines, REPROCESS_LOG_METRICS)),
        log_lines=tuple(lines.lines),
    )


def _outcome(event: dict[str, Any], answer: dict[str, Any]) -> TaskOutcome:
    ((task,), (result,)) = event["tasks"], answer["results"]
    return TaskOutcome(decode_key(task["s3Key"]), result["resultCode"], result["resultString"])


def render_report(report: ReprocessReport) -> str:
    """The job's completion report, as the terminal shows it."""
    rendered = report.with_code(ResultCode.SUCCEEDED, "rendered")
    current = report.with_code(ResultCode.SUCCEEDED, "already_current")
    failed = [t for t in report.tasks if t.code != ResultCode.SUCCEEDED]
    lines = [
        f"renditions changed: dropped {report.dropped}, added {report.added.name} "
        f"({report.added.width}x{report.added.height} {', '.join(f.value for f in report.added.formats)}); "
        f"fingerprint {report.fingerprint_before} -> {report.fingerprint_after}",
        f"manifest {report.manifest_key}: {len(report.tasks)} lines, delivered {report.concurrency} at a time",
        f"report: {len(rendered)} rendered again, {len(current)} already current, {len(failed)} failed",
    ]
    lines += [f"  {t.code:<16} {t.key.rsplit('/', 1)[-1]}: {t.text}" for t in report.tasks]
    return "\n".join(lines)
