"""The stack's pipeline on this machine: ``python -m localrun.demo [--stack dev] [--out out/demo]``.

In an embedded AWS emulator it creates what the stack creates in AWS (upload and processed
buckets with versioning, the metadata table with its user index, the failure queue), uploads the
samples under ``uploads/demo-user/``, and hands ``handlers.image_processor.handler`` the events S3
would send, in-process, the way Lambda's asynchronous invoke would (retries, then the failure
queue). The handler's environment comes from ``components.image_pipeline.function_environment``
applied to ``program.stack_args.pipeline_args(config)``,
the function the stack itself uses. It prints what happened to each image, takes one more image
through the image API, then changes the renditions and re-renders everything stored with an S3
Batch Operations job (``localrun.reprocess_tour``). It copies the renditions, as the job left them,
into the output folder (emptied first; see ``localrun.output_folder``) and writes a contact sheet
there, ``index.html``, that shows it all. Nothing leaves the machine; the emulator, the environment
and the logging setup are gone when ``main`` returns.
"""

import argparse
import json
import logging
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from components.image_api import ImageApiArgs
from components.image_api import function_environment as api_environment
from components.image_pipeline import function_environment
from components.naming import Naming
from emulated_aws.environment import REGION, patched_environ
from emulated_aws.lambda_context import LocalLambdaContext
from emulated_aws.provisioning import create_failure_queue, create_metadata_table, create_versioned_bucket
from emulated_aws.s3_events import S3Event, Sequencers, object_created_record, s3_event, s3_test_event
from emulated_aws.server import LocalAws, local_aws
from handlers import contract
from handlers.api.clients import reset_api_clients
from handlers.image_item import decode_item
from handlers.image_processor import handler, reset_aws_clients
from handlers.key_layout import image_id_for
from handlers.telemetry.logger import ROOT_LOGGER_NAME
from localrun import contact_sheet
from localrun.alert_tour import FOLDER, raise_alerts
from localrun.api_tour import run_tour
from localrun.log_capture import captured_stdout_lines, without
from localrun.metrics_report import read_metrics, render_metrics
from localrun.output_folder import NotDemoFolder, claim_output_folder
from localrun.reprocess_tour import ReprocessReport, render_report, run_reprocess_tour
from localrun.results import DemoReport, ImageResult
from localrun.samples import samples
from program.config import ROOT, ConfigError, StackConfig, load_stack_file
from program.stack_args import api_args, naming, pipeline_args

DEMO_USER = "demo-user"
# Inside the repository and ignored by git: the demo's own, emptied even without the marker.
DEFAULT_OUT = ROOT / "out" / "demo"
FAILED = "failed"  # the event ended in the failure queue
# The photo uploaded after the renditions change: rendered with the new set, so already current for the job.
AFTER_CHANGE = "after-the-change.jpg"


@dataclass(frozen=True)
class Resources:
    upload_bucket: str
    processed_bucket: str
    table: str
    failure_queue_url: str
    reprocess_bucket: str


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localrun.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--stack", default="dev", help="stack whose Pulumi.<stack>.yaml configures the handler")
    parser.add_argument(
        "--out", default=DEFAULT_OUT, type=Path, help="folder for the renditions and index.html, emptied first"
    )
    args = parser.parse_args(argv)
    try:
        config = load_stack_file(args.stack)
        claim_output_folder(args.out, project_owned=args.out.resolve() == DEFAULT_OUT.resolve())
    except (ConfigError, NotDemoFolder) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    print(f"stack {config.stack}: {len(config.processing.renditions)} renditions per image, "
          f"limits {config.processing.max_object_bytes:,} bytes / {config.processing.max_pixels:,} pixels")  # fmt: skip
    print("handler log lines (one JSON object each, as CloudWatch receives them):")
    with local_aws() as aws, _handler_logging_restored(), captured_stdout_lines() as logs:
        resources = _provision(aws, naming(config))
        environment = function_environment(pipeline_args(config), resources.processed_bucket, resources.table)
        with patched_environ(environment):
            # The handler keeps its clients per container; this run's container is the emulator.
            reset_aws_clients()
            try:
                results, redelivered_unchanged = _run(aws, resources, config, args.out)
                with patched_environ(_api_environment(config, resources)):
                    reset_api_clients()
                    tour = run_tour(aws, resources.upload_bucket, lambda key: _process(aws, resources, config, key))
                reprocessed = _reprocess(aws, resources, config, results[0].sample.data)
                first_run, results = results, _as_reprocessed(aws, resources, results, args.out)
                # The image processor's and the API's lines: the reprocessing function logs to a group of its own.
                run_lines = without(logs.lines, reprocessed.log_lines)
                failed_invocations = _refused_uploads(aws, resources, config)
            finally:
                reset_aws_clients()
                reset_api_clients()
        print("alert emails the formatter composes from these log lines (one alarm of each tier, one recovery):")
        alerts = raise_alerts(
            aws, config, naming(config), without(logs.lines, reprocessed.log_lines), failed_invocations, args.out
        )

    report = DemoReport(
        stack=config.stack,
        upload_prefix=f"{contract.UPLOAD_PREFIX}{DEMO_USER}/",
        results=tuple(results),
        redelivered_unchanged=redelivered_unchanged,
        metric_namespace=naming(config).metric_namespace,
        metrics=tuple(read_metrics(run_lines)),
        reprocess=reprocessed,
        alerts=tuple(alerts),
    )
    _print_summary(first_run, report.redelivered_unchanged, args.out)
    print()
    print("one image through the image API (Cognito sign-in, presigned upload, processing, GET, DELETE):")
    for line in tour.steps:
        print(f"  {line}")
    print(f"  versions of the original left after DELETE: {tour.versions_left}")
    print()
    print(render_metrics(report.metrics, report.metric_namespace))
    print()
    print("an S3 Batch Operations job after the renditions changed (as `python3 tasks.py reprocess dev` starts it):")
    print(render_report(reprocessed))
    print(render_metrics(reprocessed.metrics, report.metric_namespace, "the reprocessing function's log lines"))
    print(f"the renditions under {args.out} are now as the job left them")
    print()
    print(f"alert emails, as the alert formatter composed them (under {args.out / FOLDER}):")
    for email in report.alerts:
        print(f"  {email.subject}")
    sheet = args.out / contact_sheet.FILE_NAME
    sheet.write_text(contact_sheet.render_contact_sheet(report, args.out.resolve()), encoding="utf-8")
    print()
    print(f"open {sheet} to see each sample's outcome and renditions as the job left them, and these metrics")
    return 0 if report.as_expected and tour.as_expected else 1


def _provision(aws: LocalAws, naming: Naming) -> Resources:
    s3, dynamodb, sqs = aws.client("s3"), aws.client("dynamodb"), aws.client("sqs")
    upload_bucket, processed_bucket = naming.name("uploads"), naming.name("processed")
    for bucket in (upload_bucket, processed_bucket):
        create_versioned_bucket(s3, bucket, REGION)
    table = naming.name("images")
    create_metadata_table(dynamodb, table)
    queue_url = create_failure_queue(sqs, naming.name("image-processor-failures"))
    reprocess_bucket = naming.name("reprocess")
    create_versioned_bucket(s3, reprocess_bucket, REGION)
    return Resources(upload_bucket, processed_bucket, table, queue_url, reprocess_bucket)


def _run(aws: LocalAws, resources: Resources, config: StackConfig, out: Path) -> tuple[list[ImageResult], bool]:
    s3, dynamodb, sqs = aws.client("s3"), aws.client("dynamodb"), aws.client("sqs")
    sequencers = Sequencers()

    def invoke(event: S3Event) -> bool:
        """Lambda's asynchronous invoke: retry on error, then send the event to the failure queue."""
        error: Exception | None = None
        for _ in range(1 + config.function.max_retry_attempts):
            try:
                handler(event, LocalLambdaContext(timeout_ms=config.function.timeout_s * 1000))
                return True
            except Exception as exc:
                error = exc
        sqs.send_message(QueueUrl=resources.failure_queue_url, MessageBody=json.dumps(_failure_record(event, error)))
        return False

    def item(key: str) -> dict[str, Any]:
        response = dynamodb.get_item(
            TableName=resources.table, Key={contract.TABLE_HASH_KEY: {"S": image_id_for(key)}}, ConsistentRead=True
        )
        return decode_item(response["Item"]) if "Item" in response else {}

    # Saving a bucket notification makes S3 send a test event first.
    invoke(s3_test_event(resources.upload_bucket))
    results: list[ImageResult] = []
    events: list[S3Event] = []
    for sample in samples():
        key = f"{contract.UPLOAD_PREFIX}{DEMO_USER}/{sample.file_name}"
        put = s3.put_object(Bucket=resources.upload_bucket, Key=key, Body=sample.data, ContentType=sample.content_type)
        record = object_created_record(
            resources.upload_bucket,
            key,
            size=len(sample.data),
            sequencer=sequencers.next(),
            version_id=put["VersionId"],
            etag=put["ETag"].strip('"'),
            event_time=datetime.now(UTC),
            region=REGION,
        )
        events.append(s3_event(record))
        delivered = invoke(events[-1])
        stored = item(key)
        status = str(stored.get("status", "")) if delivered else FAILED
        files = _copy_renditions(s3, resources.processed_bucket, stored.get("renditions", []), out)
        results.append(ImageResult(sample, key, status, stored, files))

    # S3 delivers at least once: a second delivery of the first event must change nothing.
    before = item(results[0].key)
    invoke(events[0])
    return results, item(results[0].key) == before


def _refused_uploads(aws: LocalAws, resources: Resources, config: StackConfig, count: int = 2) -> int:
    """``count`` uploads processed while the processed bucket refuses every write: each attempt fails (the
    handler's transient error, retried as Lambda would), then the event goes to the failure queue.
    Returns the failed invocations."""
    s3, sqs = aws.client("s3"), aws.client("sqs")
    photo = samples()[0]
    failed = 0
    refusing = {contract.ENV_PROCESSED_BUCKET: f"{resources.processed_bucket}-refuses-writes"}
    with patched_environ(refusing):
        reset_aws_clients()
        for number in range(1, count + 1):
            key = f"{contract.UPLOAD_PREFIX}{DEMO_USER}/refused-{number}.jpg"
            put = s3.put_object(Bucket=resources.upload_bucket, Key=key, Body=photo.data, ContentType="image/jpeg")
            record = object_created_record(
                resources.upload_bucket,
                key,
                size=len(photo.data),
                sequencer=Sequencers().next(),
                version_id=put["VersionId"],
                event_time=datetime.now(UTC),
                region=REGION,
            )
            error: Exception | None = None
            for _ in range(1 + config.function.max_retry_attempts):
                try:
                    handler(s3_event(record), LocalLambdaContext(timeout_ms=config.function.timeout_s * 1000))
                    break
                except Exception as exc:
                    failed += 1
                    error = exc
            else:
                body = json.dumps(_failure_record(s3_event(record), error))
                sqs.send_message(QueueUrl=resources.failure_queue_url, MessageBody=body)
    reset_aws_clients()
    return failed


def _api_environment(config: StackConfig, resources: Resources) -> dict[str, str]:
    """The API function's environment, from the same Args the stack's ImageApi gets."""
    buckets = {"upload": resources.upload_bucket, "processed": resources.processed_bucket}
    served = ImageApiArgs(
        upload_bucket_name=buckets["upload"],
        upload_bucket_arn=f"arn:aws:s3:::{buckets['upload']}",
        processed_bucket_name=buckets["processed"],
        processed_bucket_arn=f"arn:aws:s3:::{buckets['processed']}",
        table_name=resources.table,
        table_arn=f"arn:aws:dynamodb:{REGION}:000000000000:table/{resources.table}",
    )
    return api_environment(api_args(config, served), buckets["upload"], buckets["processed"], resources.table)


def _process(aws: LocalAws, resources: Resources, config: StackConfig, key: str) -> None:
    """The image processor on the ObjectCreated event S3 sends for the object now at ``key``."""
    head = aws.client("s3").head_object(Bucket=resources.upload_bucket, Key=key)
    record = object_created_record(
        resources.upload_bucket,
        key,
        size=int(head["ContentLength"]),
        sequencer=Sequencers().next(),
        version_id=head["VersionId"],
        event_time=datetime.now(UTC),
        region=REGION,
    )
    handler(s3_event(record), LocalLambdaContext(timeout_ms=config.function.timeout_s * 1000))


def _reprocess(aws: LocalAws, resources: Resources, config: StackConfig, photo: bytes) -> ReprocessReport:
    """Change the renditions, upload one more photo, and run the S3 Batch Operations job over the table."""

    def upload_after_change() -> None:
        key = f"{contract.UPLOAD_PREFIX}{DEMO_USER}/{AFTER_CHANGE}"
        aws.client("s3").put_object(Bucket=resources.upload_bucket, Key=key, Body=photo, ContentType="image/jpeg")
        _process(aws, resources, config, key)

    buckets = (resources.upload_bucket, resources.processed_bucket, resources.reprocess_bucket)
    return run_reprocess_tour(aws, config, buckets, resources.table, upload_after_change)


def _as_reprocessed(aws: LocalAws, resources: Resources, results: list[ImageResult], out: Path) -> list[ImageResult]:
    """Each sample as the job left it: its item read again, its renditions copied afresh."""
    s3, dynamodb = aws.client("s3"), aws.client("dynamodb")
    shutil.rmtree(out / "renditions", ignore_errors=True)
    now = []
    for r in results:
        response = dynamodb.get_item(
            TableName=resources.table, Key={contract.TABLE_HASH_KEY: {"S": image_id_for(r.key)}}, ConsistentRead=True
        )
        stored = decode_item(response["Item"]) if "Item" in response else {}
        files = _copy_renditions(s3, resources.processed_bucket, stored.get("renditions", []), out)
        now.append(ImageResult(r.sample, r.key, r.status, stored, files))
    return now


def _copy_renditions(s3: Any, bucket: str, renditions: list[dict[str, Any]], out: Path) -> tuple[Path, ...]:
    root = out.resolve()
    files = []
    for rendition in renditions:
        target = (root / rendition["key"]).resolve()
        if not target.is_relative_to(root):
            raise ValueError(f"rendition key {rendition['key']!r} points outside {root}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(s3.get_object(Bucket=bucket, Key=rendition["key"])["Body"].read())
        files.append(target)
    return tuple(files)


def _failure_record(event: S3Event, error: Exception | None) -> dict[str, Any]:
    """The record Lambda's on-failure destination receives once retries are exhausted."""
    return {
        "version": "1.0",
        "timestamp": datetime.now(UTC).isoformat(),
        "requestContext": {"condition": "RetriesExhausted", "functionArn": "local:image-processor:$LATEST"},
        "requestPayload": event,
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "responsePayload": {"errorType": type(error).__name__, "errorMessage": str(error)},
    }


def _print_summary(results: Sequence[ImageResult], redelivered_unchanged: bool, out: Path) -> None:
    print()
    print("summary:")
    for r in results:
        item = r.item
        if r.status == contract.ImageStatus.COMPLETED:
            renditions = item["renditions"]
            total = sum(x["bytes"] for x in renditions)
            print(f"{r.status:<9}  {r.sample.file_name}  ({item['format']} {item['width']}x{item['height']}, "
                  f"{len(renditions)} renditions, {total:,} bytes, {item['timings_ms']['total']} ms)")  # fmt: skip
            for x in renditions:
                print(
                    f"           {x['name']:<10} {x['format']:<5} {x['width']:>4}x{x['height']:<4} {x['bytes']:>9,} B"
                )
            print(f"           -> {r.files[0].parent}")
        elif r.status == contract.ImageStatus.REJECTED:
            print(f"{r.status:<9}  {r.sample.file_name}  (reason: {item['reason']}; {item.get('detail', '')})")
        else:
            print(f"{r.status:<9}  {r.sample.file_name}  (error: {item.get('error_code', 'unknown')})")
        print(f"           sample: {r.sample.description}; expected {r.sample.expected}")
    redelivery = "unchanged" if redelivered_unchanged else "CHANGED (should not happen)"
    print(f"redelivered the first event (S3 delivers at least once): item {redelivery}")
    print(f"renditions copied under {out}")


@contextmanager
def _handler_logging_restored() -> Iterator[None]:
    """The handler sets up its logger for the process; put it back as it was afterwards."""
    logger = logging.getLogger(ROOT_LOGGER_NAME)
    handlers, propagate, level = list(logger.handlers), logger.propagate, logger.level
    try:
        yield
    finally:
        logger.handlers[:] = handlers
        logger.propagate = propagate
        logger.setLevel(level)


if __name__ == "__main__":
    sys.exit(main())
