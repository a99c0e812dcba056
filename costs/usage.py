"""What one image uses, in the units AWS bills: derived from the stack's config, the code's calls and
the measured figures (costs/calls.py, costs/measured.py), never typed per stack.
"""

import math
from dataclasses import dataclass
from typing import Final

from costs import calls, measured
from costs.calls import Calls
from costs.dynamodb_units import read_units, write_units
from costs.profile import MEASURED, StackProfile, Workload
from handlers.telemetry.events import PROCESSED_LEVEL

# Lambda gives a function one vCPU's worth of CPU at 1,769 MB, in proportion below it
# (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). The image core is
# single-threaded, so more memory than that buys no speed: CPU time scales by max(1, 1769 / memory).
FULL_VCPU_MB: Final = 1769
# CloudWatch Logs counts each event as its UTF-8 message plus 26 bytes (PutLogEvents API reference);
# counted here as ingested bytes too, an upper bound.
LOG_EVENT_OVERHEAD_BYTES: Final = 26
# Lambda's application log levels, lowest first
# (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html).
LOG_LEVELS: Final = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")
# S3 asks KMS once per object request without a bucket key
# (awsdocs/amazon-s3-developer-guide doc_source/bucket-key.md: "a call to AWS KMS every time a request
# is made against a KMS-encrypted object"), and only per time-limited bucket key with one: AWS says "up
# to 99 percent" fewer; its own sample (github.com/aws-samples/s3-bucketkey-poc) measured 97.3 % fewer on
# 150 requests. We keep 2.7 % of the requests: an upper bound, since a key is reused for longer runs.
BUCKET_KEY_KMS_SHARE: Final = 0.027
# DynamoDB with a customer-managed key calls KMS for its table key, not per request (the key is
# cached); ASSUMPTION: modelled as no KMS request per image (the caching rule is in AWS's KMS guide,
# "How Amazon DynamoDB uses AWS KMS", which no stored page here confirmed).
DYNAMODB_KMS_REQUESTS_PER_IMAGE: Final = 0.0


@dataclass(frozen=True)
class ImageUsage:
    """Billable units for one image."""

    invocations: float
    billed_ms: float
    gb_seconds: float
    s3_put: float
    s3_get: float
    dynamodb_write_units: float
    dynamodb_read_units: float
    log_bytes: float
    kms_requests: float
    batch_objects: float
    rendition_puts: float  # of s3_put


def renditions_made(profile: StackProfile, has_alpha: bool) -> int:
    """Objects one image writes: each rendition in each of its formats (plus alpha_formats if transparent)."""
    return sum(len(spec.formats_for(has_alpha)) for spec in profile.renditions)


def item_bytes(renditions: int) -> int:
    return measured.ITEM_BASE_BYTES + measured.ITEM_BYTES_PER_RENDITION * renditions


def cpu_scale(memory_mb: int) -> float:
    return max(1.0, FULL_VCPU_MB / memory_mb)


def logs(level: str, line_level: str) -> bool:
    return LOG_LEVELS.index(line_level) >= LOG_LEVELS.index(level)


def upload_usage(profile: StackProfile, workload: Workload = MEASURED) -> ImageUsage:
    return _usage(profile, workload, calls.UPLOAD, batch=False)


def reprocess_usage(profile: StackProfile, workload: Workload = MEASURED, current_share: float = 0.0) -> ImageUsage:
    """One image reprocessed by Batch Operations; ``current_share`` of them already current (a read only)."""
    stale = _usage(profile, workload, calls.REPROCESS, batch=True)
    current = _usage(profile, workload, calls.ALREADY_CURRENT, batch=True)
    return _mix(stale, current, current_share)


def _usage(profile: StackProfile, workload: Workload, c: Calls, batch: bool) -> ImageUsage:
    opaque, transparent = (_one(profile, workload, c, batch, has_alpha) for has_alpha in (False, True))
    return _mix(opaque, transparent, workload.alpha_share)


def _one(profile: StackProfile, workload: Workload, c: Calls, batch: bool, has_alpha: bool) -> ImageUsage:
    made = renditions_made(profile, has_alpha) if c.writes_renditions else 0
    puts = c.s3_put_besides_renditions + made
    handler_requests = c.s3_get + made + c.dynamodb_get_item + c.dynamodb_put_item
    renders = c.writes_renditions
    if workload.duration_ms is not None and renders:
        billed_ms = workload.duration_ms
    else:
        cpu_ms = workload.image.cpu_ms * cpu_scale(profile.memory_mb) if renders else 0.0
        billed_ms = cpu_ms + handler_requests * workload.round_trip_ms
    size = item_bytes(made)
    # The table write, and the user index's (projection ALL), each charged on the item's size.
    writes = c.dynamodb_put_item * 2 * write_units(size)
    line = measured.PROCESSED_LOG_LINE_BYTES + LOG_EVENT_OVERHEAD_BYTES
    object_requests = c.s3_get + puts
    kms = 0.0
    if profile.kms:
        kms = object_requests * BUCKET_KEY_KMS_SHARE + DYNAMODB_KMS_REQUESTS_PER_IMAGE
    return ImageUsage(
        invocations=1.0,
        billed_ms=math.ceil(billed_ms),  # Lambda bills duration in whole milliseconds
        gb_seconds=profile.memory_mb / 1024 * math.ceil(billed_ms) / 1000,
        s3_put=float(puts),
        s3_get=float(c.s3_get),
        dynamodb_write_units=float(writes),
        # Consistent read of the item: of an upload's, not there yet, the minimum; else its size.
        dynamodb_read_units=c.dynamodb_get_item * read_units(size if batch else 0, consistent=True),
        log_bytes=float(line) if logs(profile.log_level, PROCESSED_LEVEL.value) else 0.0,
        kms_requests=kms,
        batch_objects=1.0 if batch else 0.0,
        rendition_puts=float(made),
    )


def _mix(a: ImageUsage, b: ImageUsage, share_b: float) -> ImageUsage:
    if not 0.0 <= share_b <= 1.0:
        raise ValueError(f"a share must be from 0 to 1, got {share_b}")
    if share_b == 0.0:
        return a
    values = {name: getattr(a, name) * (1 - share_b) + getattr(b, name) * share_b for name in vars(a)}
    return ImageUsage(**values)
