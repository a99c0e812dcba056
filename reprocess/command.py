"""``python3 tasks.py reprocess STACK``: re-render a stack's stored images on S3 Batch Operations.

    python3 tasks.py reprocess dev --dry-run          how many images, how long, roughly what cost
    python3 tasks.py reprocess dev --stale-only       only images not rendered with the stack's renditions
    python3 tasks.py reprocess prod --stale-only --yes
    python3 tasks.py reprocess dev --user USER_ID     one user's images

Reads the stack's ``reprocess`` output (outputs.py), selects the originals from the metadata table
(selection.py), writes the manifest to the stack's reprocessing bucket and creates the job (job.py).
A protected stack (program/config.py PROTECTED_STACKS) needs ``--yes``; ``--dry-run`` never writes.
"""

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from costs.prices import load_prices
from costs.reprocess_plan import ReprocessPlan
from program.config import PROTECTED_STACKS
from reprocess.estimate import estimate
from reprocess.job import DEFAULT_PRIORITY, JobPlan, create_job
from reprocess.manifest import Manifest, build_manifest
from reprocess.outputs import OutputsUnavailable, ReprocessOutputs, read_stack_outputs
from reprocess.selection import Selection, select

# What a dry run assumes of an unreserved function (new accounts' reduced concurrency quota is often 10).
ASSUMED_CONCURRENCY: Final = 10
USAGE_ERROR: Final = 2
AWS_ERROR: Final = 1


@dataclass(frozen=True)
class AwsClients:
    dynamodb: Any
    s3: Any
    s3control: Any


def boto3_clients(region: str) -> AwsClients:
    import boto3

    session = boto3.session.Session(region_name=region)
    return AwsClients(session.client("dynamodb"), session.client("s3"), session.client("s3control"))


OutputsReader = Callable[[str, Path | None], ReprocessOutputs]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python3 tasks.py reprocess", description=__doc__.splitlines()[0])
    parser.add_argument("stack", help="the Pulumi stack whose images to re-render (dev, prod, ...)")
    parser.add_argument("--dry-run", action="store_true", help="print the count and the estimate; write nothing")
    parser.add_argument(
        "--stale-only", action="store_true", help="only images not rendered with the stack's renditions"
    )
    parser.add_argument("--user", metavar="ID", help="only this user's images")
    parser.add_argument(
        "--yes", action="store_true", help=f"confirm a job on a protected stack ({', '.join(PROTECTED_STACKS)})"
    )
    parser.add_argument("--priority", type=int, default=DEFAULT_PRIORITY, help="the job's priority (higher runs first)")
    parser.add_argument(
        "--outputs", type=Path, help="`pulumi stack output --json` saved to a file (no Pulumi CLI needed)"
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=ASSUMED_CONCURRENCY,
        help="for the estimate, when the function is unreserved",
    )
    parser.add_argument(
        "--manifest-sse-s3",
        action="store_true",
        help="write the manifest with SSE-S3 rather than the bucket's default key (README, Reprocessing)",
    )
    args = parser.parse_args(argv)
    if args.priority < 0:
        parser.error("--priority must be 0 or more")
    if args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    return args


def main(
    argv: Sequence[str] | None = None,
    read_outputs: OutputsReader = read_stack_outputs,
    clients_for: Callable[[str], AwsClients] = boto3_clients,
) -> int:
    args = parse_args(argv)
    if args.stack in PROTECTED_STACKS and not (args.yes or args.dry_run):
        print(
            f"error: {args.stack} is a protected stack: add --yes to create a job there (try --dry-run first)",
            file=sys.stderr,
        )
        return USAGE_ERROR
    try:
        outputs = read_outputs(args.stack, args.outputs)
    except OutputsUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    clients = clients_for(outputs.region)
    selection = select(
        clients.dynamodb, outputs.table, fingerprint=outputs.fingerprint, stale_only=args.stale_only, user=args.user
    )
    manifest = build_manifest(selection.originals)
    concurrency = outputs.concurrency if outputs.concurrency > 0 else args.concurrency
    print_selection(args.stack, outputs, selection)
    current = selection.current / selection.items if selection.items and not args.stale_only else 0.0
    prices = load_prices()
    cost_plan = estimate(
        args.stack, manifest.lines, concurrency, prices, current_share=current, one_user=args.user is not None
    )
    print_estimate(cost_plan, outputs, prices.region)
    if args.dry_run:
        print("dry run: no manifest written, no job created")
        return 0
    if manifest.lines == 0:
        print("nothing to re-render: no job created")
        return 0
    plan = write_manifest(
        clients.s3, args.stack, outputs, manifest, sse_s3=args.manifest_sse_s3, priority=args.priority
    )
    job_id = create_job(clients.s3control, plan)
    print_created(outputs, plan, job_id)
    return 0


def write_manifest(
    s3: Any,
    stack: str,
    outputs: ReprocessOutputs,
    manifest: Manifest,
    *,
    sse_s3: bool = False,
    priority: int = DEFAULT_PRIORITY,
) -> JobPlan:
    key = manifest.key(outputs.manifest_prefix, stack, outputs.fingerprint)
    extra = {"ServerSideEncryption": "AES256"} if sse_s3 else {}
    put = s3.put_object(
        Bucket=outputs.bucket, Key=key, Body=manifest.body.encode("utf-8"), ContentType="text/csv", **extra
    )
    # S3 quotes ETags; CreateJob takes the bare value (S3 User Guide, batch-ops-create-job, CLI example).
    etag = str(put["ETag"]).strip('"')
    return JobPlan(stack, outputs, key, etag, manifest.digest, manifest.lines, priority)


def print_selection(stack: str, outputs: ReprocessOutputs, selection: Selection) -> None:
    print(f"stack {stack}: renditions fingerprint {outputs.fingerprint}, table {outputs.table}")
    print(f"  {selection.items} items read, {selection.current} already current")
    for why, count in sorted(selection.left_out.items()):
        print(f"  {count} left out: {why}")
    print(f"  {len(selection.originals)} images to re-render")


def print_estimate(plan: ReprocessPlan, outputs: ReprocessOutputs, prices_region: str) -> None:
    reserved = "reserved" if outputs.concurrency > 0 else "assumed: the function is unreserved (--concurrency)"
    print(f"  estimate: {plan.describe()}")
    print(
        f"    concurrency {plan.throughput.concurrency} {reserved}; list prices for {prices_region} (costs/prices.json)"
    )


def print_created(outputs: ReprocessOutputs, plan: JobPlan, job_id: str) -> None:
    print(f"manifest s3://{outputs.bucket}/{plan.manifest_key} ({plan.images} lines)")
    print(f"job {job_id} created (priority {plan.priority}; a retry of this command returns the same job)")
    where = f"--account-id {outputs.account_id} --job-id {job_id} --region {outputs.region}"
    print(f"  watch it:   aws s3control describe-job {where}")
    print(f"  its report: s3://{outputs.bucket}/{outputs.report_prefix}job-{job_id}/ (failed tasks only)")


if __name__ == "__main__":
    sys.exit(main())
