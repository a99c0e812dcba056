"""Throughput on paper: how fast one stack renders, how long a reprocess takes, and what limits it first.

Each limit is the images per second one AWS quota allows for this stack's per-image requests; the
lowest is the one that binds. The figures AWS publishes, each cited where it is defined:
- Lambda: the function runs at most its reserved concurrency (or the account's quota), each execution
  environment one image at a time; it scales by at most 1,000 environments every 10 seconds per function
  (https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html).
- S3: at least 3,500 PUT/COPY/POST/DELETE and 5,500 GET/HEAD requests per second per partitioned prefix
  (https://aws.amazon.com/premiumsupport/knowledge-center/s3-object-key-naming-pattern/ and
  repost.aws/knowledge-center/http-5xx-errors-s3); S3 partitions busy prefixes further on its own, so
  this is the floor for one user's images (renditions/{user_id}/...), not a cap on the bucket.
- DynamoDB on demand: a new table sustains up to 4,000 writes and 12,000 reads per second (of 1 KB and
  4 KB) and then up to double its previous peak
  (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html,
  pre-warming-on-demand-capacity-mode.html).
- S3 Batch Operations: AWS publishes no invocation rate for LambdaInvoke; it invokes the function
  synchronously per object (docs.aws.amazon.com/lambda/latest/dg/services-s3-batch.html), so the
  function's concurrency bounds it and throttled tasks come back as TemporaryFailure to be retried.
"""

import math
from dataclasses import dataclass
from typing import Final

from costs.dynamodb_units import READ_UNIT_BYTES, WRITE_UNIT_BYTES
from costs.profile import MEASURED, StackProfile, Workload
from costs.usage import ImageUsage, reprocess_usage

LAMBDA_SCALING_STEP: Final = 1000  # execution environments added per function...
LAMBDA_SCALING_SECONDS: Final = 10  # ...every this many seconds
S3_PUT_PER_PREFIX_PER_SECOND: Final = 3500
S3_GET_PER_PREFIX_PER_SECOND: Final = 5500
DYNAMODB_NEW_TABLE_WRITES_PER_SECOND: Final = 4000
DYNAMODB_NEW_TABLE_READS_PER_SECOND: Final = 12000
# The reprocess the README answers for.
TEN_MILLION: Final = 10_000_000

LAMBDA_CONCURRENCY: Final = "Lambda concurrency"
S3_PUTS_PER_PREFIX: Final = "S3 PUT per prefix"
S3_GETS_PER_PREFIX: Final = "S3 GET per prefix"
DYNAMODB_WRITES: Final = "DynamoDB on-demand writes (new table)"
DYNAMODB_READS: Final = "DynamoDB on-demand reads (new table)"


@dataclass(frozen=True)
class Limit:
    name: str
    images_per_second: float
    why: str
    # True: binds only when the images share one key prefix (one user's), until S3 partitions it further.
    per_prefix: bool = False


@dataclass(frozen=True)
class Throughput:
    concurrency: int
    seconds_per_image: float
    limits: tuple[Limit, ...]  # slowest first
    # Whether the images are one user's (one rendition prefix): then S3's per-prefix rates count too.
    one_user: bool = False

    @property
    def first_limit(self) -> Limit:
        return next(limit for limit in self.limits if self.one_user or not limit.per_prefix)

    @property
    def images_per_second(self) -> float:
        return self.first_limit.images_per_second

    @property
    def ramp_seconds(self) -> float:
        """Time for Lambda to scale from nothing to the concurrency the run uses."""
        return math.ceil(self.concurrency / LAMBDA_SCALING_STEP) * LAMBDA_SCALING_SECONDS

    def seconds_for(self, images: int) -> float:
        """Wall time for ``images``: the ramp, then the binding rate (an upper bound on the ramp's share)."""
        return self.ramp_seconds + images / self.images_per_second if images else 0.0


def throughput(usage: ImageUsage, concurrency: int, one_user: bool = False) -> Throughput:
    """The limits for images that each use ``usage``, run at ``concurrency``; ``one_user``: all under one
    user's prefix (images of many users spread over many prefixes, which S3 scales separately)."""
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    seconds = usage.billed_ms / 1000
    limits = [
        Limit(LAMBDA_CONCURRENCY, concurrency / seconds, f"{concurrency} at a time, {usage.billed_ms:.0f} ms each")
    ]
    if usage.rendition_puts:
        limits.append(
            Limit(
                S3_PUTS_PER_PREFIX,
                S3_PUT_PER_PREFIX_PER_SECOND / usage.rendition_puts,
                f"{S3_PUT_PER_PREFIX_PER_SECOND:,}/s, {usage.rendition_puts:g} per image",
                per_prefix=True,
            )
        )
    if usage.s3_get:
        limits.append(
            Limit(
                S3_GETS_PER_PREFIX,
                S3_GET_PER_PREFIX_PER_SECOND / usage.s3_get,
                f"{S3_GET_PER_PREFIX_PER_SECOND:,}/s, {usage.s3_get:g} per image",
                per_prefix=True,
            )
        )
    # The table's own writes (half of the units: the index is written as well, from its own capacity).
    table_writes = usage.dynamodb_write_units / 2
    if table_writes:
        limits.append(
            Limit(
                DYNAMODB_WRITES,
                DYNAMODB_NEW_TABLE_WRITES_PER_SECOND / table_writes,
                f"{DYNAMODB_NEW_TABLE_WRITES_PER_SECOND:,} x {WRITE_UNIT_BYTES} B/s, {table_writes:g} units per image",
            )
        )
    if usage.dynamodb_read_units:
        limits.append(
            Limit(
                DYNAMODB_READS,
                DYNAMODB_NEW_TABLE_READS_PER_SECOND / usage.dynamodb_read_units,
                f"{DYNAMODB_NEW_TABLE_READS_PER_SECOND:,} x {READ_UNIT_BYTES} B/s, {usage.dynamodb_read_units:g} "
                "units per image",
            )
        )
    ordered = tuple(sorted(limits, key=lambda limit: limit.images_per_second))
    return Throughput(concurrency=concurrency, seconds_per_image=seconds, limits=ordered, one_user=one_user)


def reprocess_throughput(
    profile: StackProfile,
    workload: Workload = MEASURED,
    concurrency: int | None = None,
    current_share: float = 0.0,
    one_user: bool = False,
) -> Throughput:
    """How fast the stack reprocesses, at its own concurrency unless told another."""
    usage = reprocess_usage(profile, workload, current_share)
    return throughput(usage, concurrency or profile.concurrency, one_user)
