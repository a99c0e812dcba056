"""Image API benchmark: the cold import of the API function, and warm requests in-process under moto.

    python -m benchmarks.api [--quick]

Cold import: ``import handlers.image_api`` in fresh interpreters (median), as Lambda's init pays it
(boto3 and Pillow stay out of it). Warm requests: the handler called in-process with API Gateway
proxy events after a first call of each route (which creates its boto3 client), median and p90
over N calls: POST /images (a presigned POST), GET /images (a page of 20 summaries) and
GET /images/{id} (an item and three presigned rendition URLs). moto's in-process latency stands in
for the DynamoDB and S3 round trips, so these are the function's own costs plus moto's, not AWS's.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

ROOT = Path(__file__).resolve().parent.parent
API_MODULE: Final = "handlers.image_api"
FULL_IMPORT_RUNS: Final = 5
QUICK_IMPORT_RUNS: Final = 1
FULL_REQUESTS: Final = 200
QUICK_REQUESTS: Final = 5
LISTED_IMAGES: Final = 20
USER: Final = "bench-user"
UPLOAD_BUCKET: Final = "imagepipe-bench-uploads"
PROCESSED_BUCKET: Final = "imagepipe-bench-processed"
TABLE: Final = "imagepipe-bench-images"
# Modules the API function must not import, reported next to the import time.
KEPT_OUT: Final = ("boto3", "PIL")


@dataclass(frozen=True)
class ImportTime:
    median_ms: float
    runs: int
    imported: tuple[str, ...]  # which of KEPT_OUT the module imported anyway


@dataclass(frozen=True)
class RouteTiming:
    route: str
    first_ms: float  # the first call in the process: creates the route's boto3 client
    median_ms: float
    p90_ms: float
    median_own_ms: float  # outside boto3 calls (which moto answers here): the function's own work
    requests: int


def import_time(runs: int, module: str = API_MODULE) -> ImportTime:
    """Median wall time of ``import module`` in fresh interpreters."""
    code = (
        "import json, sys, time; start = time.perf_counter(); "
        f"import {module}; ms = (time.perf_counter() - start) * 1000; "
        f"print(json.dumps([ms, [m for m in {list(KEPT_OUT)!r} if m in sys.modules]]))"
    )
    samples: list[float] = []
    imported: set[str] = set()
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        ms, leaked = json.loads(out)
        samples.append(ms)
        imported.update(leaked)
    return ImportTime(statistics.median(samples), runs, tuple(sorted(imported)))


def time_routes(requests: int) -> list[RouteTiming]:
    """Each route called ``requests`` times in-process, in moto, after one first call."""
    from moto import mock_aws

    from emulated_aws.environment import FAKE_AWS_ENVIRONMENT, REGION, patched_environ
    from handlers import contract
    from handlers.api.clients import reset_api_clients

    environment: dict[str, str | None] = {
        **FAKE_AWS_ENVIRONMENT,
        "AWS_ENDPOINT_URL": None,
        "AWS_LAMBDA_LOG_FORMAT": None,
        contract.ENV_UPLOAD_BUCKET: UPLOAD_BUCKET,
        contract.ENV_PROCESSED_BUCKET: PROCESSED_BUCKET,
        contract.ENV_METADATA_TABLE: TABLE,
        contract.ENV_CORS_ORIGINS: json.dumps(["https://app.example.com"]),
    }
    with patched_environ(environment), mock_aws():
        reset_api_clients()  # clients made here, in this environment, and forgotten afterwards
        try:
            image_id = _provision(REGION)
            return [_time(route, event, requests) for route, event in _events(image_id).items()]
        finally:
            reset_api_clients()


def _provision(region: str) -> str:
    """The buckets, the table and LISTED_IMAGES completed images of USER; returns the newest one's id."""
    import boto3

    from emulated_aws.provisioning import create_metadata_table, create_versioned_bucket
    from handlers.contract import ImageStatus
    from handlers.image_item import ImageRecord, StoredRendition
    from handlers.imaging.renditions import OutputFormat
    from handlers.key_layout import image_id_for, rendition_key, upload_key
    from handlers.timestamps import iso_utc

    session = boto3.session.Session(region_name=region)
    s3, dynamodb = session.client("s3"), session.client("dynamodb")
    for bucket in (UPLOAD_BUCKET, PROCESSED_BUCKET):
        create_versioned_bucket(s3, bucket, region)
    create_metadata_table(dynamodb, TABLE)
    start = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
    image_id = ""
    for n in range(LISTED_IMAGES):
        key = upload_key(USER, f"{n:032x}", f"photo-{n}.jpg")
        image_id = image_id_for(key)
        renditions = tuple(
            StoredRendition(name, fmt.value, rendition_key(USER, image_id, "v1", name, fmt), fmt.content_type, w, h, b)
            for name, fmt, w, h, b in (
                ("thumbnail", OutputFormat.JPEG, 150, 113, 6_000),
                ("thumbnail", OutputFormat.WEBP, 150, 113, 4_000),
                ("preview", OutputFormat.JPEG, 800, 600, 90_000),
            )
        )
        moment = iso_utc(start + timedelta(minutes=n))
        record = ImageRecord(
            image_id=image_id,
            source_bucket=UPLOAD_BUCKET,
            source_key=key,
            source_version_id="v1",
            sequencer=f"{n:020X}",
            version_token="v1",
            uploaded_at=moment,
            status=ImageStatus.COMPLETED,
            updated_at=moment,
            request_id="bench",
            user_id=USER,
            file_name=f"photo-{n}.jpg",
            size_bytes=3_000_000,
            format="JPEG",
            width=4000,
            height=3000,
            renditions=renditions,
        )
        dynamodb.put_item(TableName=TABLE, Item=record.to_item())
    return image_id


def _events(image_id: str) -> dict[str, dict[str, Any]]:
    from emulated_aws.api_gateway import proxy_event
    from handlers import contract

    headers = {"Origin": "https://app.example.com", "Content-Type": "application/json"}
    upload = {"file_name": "photo.jpg", "content_type": "image/jpeg", "size": 3_000_000}
    path = {contract.API_IMAGE_ID_PARAM: image_id}
    return {
        "POST /images": proxy_event(
            "POST", contract.API_IMAGES_PATH, user=USER, headers=headers, body=json.dumps(upload)
        ),
        "GET /images": proxy_event(
            "GET", contract.API_IMAGES_PATH, user=USER, headers=headers, query={"limit": str(LISTED_IMAGES)}
        ),
        "GET /images/{id}": proxy_event(
            "GET", contract.API_IMAGE_PATH, user=USER, headers=headers, path_parameters=path
        ),
    }


class _ClientCallClock:
    """Wall time spent inside boto3 client calls (serialising, moto answering, parsing) while installed."""

    def __init__(self) -> None:
        self.spent_ms = 0.0

    @contextmanager
    def installed(self) -> Iterator[None]:
        from botocore.client import BaseClient

        real = BaseClient._make_api_call

        def timed(client: Any, operation: str, params: dict[str, Any]) -> Any:
            start = time.perf_counter()
            try:
                return real(client, operation, params)
            finally:
                self.spent_ms += (time.perf_counter() - start) * 1000

        BaseClient._make_api_call = timed
        try:
            yield
        finally:
            BaseClient._make_api_call = real


def _time(route: str, event: dict[str, Any], requests: int) -> RouteTiming:
    from emulated_aws.lambda_context import FrozenLambdaContext
    from handlers.image_api import handler

    context = FrozenLambdaContext()
    expected = 201 if route.startswith("POST") else 200
    clock = _ClientCallClock()

    def once() -> tuple[float, float]:
        in_calls = clock.spent_ms
        start = time.perf_counter()
        response = handler(event, context)
        elapsed = (time.perf_counter() - start) * 1000
        if response["statusCode"] != expected:
            raise RuntimeError(f"{route} answered {response['statusCode']}: {response['body']}")
        return elapsed, elapsed - (clock.spent_ms - in_calls)

    with clock.installed():
        first, _ = once()
        samples = [once() for _ in range(requests)]
    totals = sorted(total for total, _ in samples)
    p90 = totals[min(len(totals) - 1, round(0.9 * (len(totals) - 1)))]
    own = statistics.median(own for _, own in samples)
    return RouteTiming(route, first, statistics.median(totals), p90, own, requests)


def format_import(result: ImportTime) -> str:
    kept_out = ", ".join(m for m in KEPT_OUT if m not in result.imported) or "nothing"
    leaked = f"; imported anyway: {', '.join(result.imported)}" if result.imported else ""
    return (
        f"cold import of {API_MODULE}: {result.median_ms:.1f} ms "
        f"(median of {result.runs} fresh processes; kept out: {kept_out}{leaked})"
    )


def format_routes(timings: Sequence[RouteTiming]) -> str:
    requests = timings[0].requests if timings else 0
    lines = [
        f"warm requests, in-process under moto, median of {requests} after a first call "
        "(moto's in-process latency stands in for the DynamoDB/S3 round trips):",
        f"  {'route':<18} {'median':>10} {'p90':>10} {'own code':>10} {'first call':>12}",
    ]
    lines += [
        f"  {t.route:<18} {t.median_ms:>7.2f} ms {t.p90_ms:>7.2f} ms {t.median_own_ms:>7.2f} ms {t.first_ms:>9.1f} ms"
        for t in timings
    ]
    lines.append(
        "  own code: the median outside boto3 calls (what AWS would not change); "
        "first call: the process's first of the route (creates any client no earlier route made)"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_IMPORT_RUNS} import and {QUICK_REQUESTS} requests a route instead of "
        f"{FULL_IMPORT_RUNS} and {FULL_REQUESTS}",
    )
    args = parser.parse_args(argv)
    import boto3
    import moto

    out(
        f"Python {platform.python_version()}, boto3 {boto3.__version__}, moto {moto.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other load skews times: rerun if it is high)"
    )
    out(format_import(import_time(QUICK_IMPORT_RUNS if args.quick else FULL_IMPORT_RUNS)))
    out(format_routes(time_routes(QUICK_REQUESTS if args.quick else FULL_REQUESTS)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
