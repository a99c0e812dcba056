"""Usage times prices: the cost of N uploads or of reprocessing N images, line by line.

``upload_estimate`` and ``reprocess_estimate`` are the model's public questions; both take a ``Prices``
(costs/prices.py) so another region's figures plug in. Storage is not in them: it is paid per month for
as long as the objects are kept (``monthly_storage_usd``).
"""

from dataclasses import dataclass
from typing import Final

from costs.prices import Prices
from costs.profile import MEASURED, StackProfile, Workload
from costs.usage import ImageUsage, reprocess_usage, upload_usage

GB: Final = 2**30

# The table's lines, in this order, named once.
LAMBDA_COMPUTE: Final = "Lambda compute"
LAMBDA_REQUESTS: Final = "Lambda requests"
S3_PUT: Final = "S3 PUT"
S3_GET: Final = "S3 GET"
DYNAMODB_WRITES: Final = "DynamoDB writes"
DYNAMODB_READS: Final = "DynamoDB reads"
CLOUDWATCH_LOGS: Final = "CloudWatch Logs"
BATCH_OPERATIONS: Final = "Batch Operations"
KMS: Final = "KMS"
LINES: Final = (
    LAMBDA_COMPUTE,
    LAMBDA_REQUESTS,
    S3_PUT,
    S3_GET,
    DYNAMODB_WRITES,
    DYNAMODB_READS,
    CLOUDWATCH_LOGS,
    BATCH_OPERATIONS,
    KMS,
)


@dataclass(frozen=True)
class CostLine:
    name: str
    quantity: float  # in the unit below, for all the images
    unit: str
    usd: float


@dataclass(frozen=True)
class Estimate:
    images: int
    lines: tuple[CostLine, ...]
    usage: ImageUsage  # per image

    @property
    def total_usd(self) -> float:
        return sum(line.usd for line in self.lines)

    @property
    def dominant(self) -> CostLine:
        return max(self.lines, key=lambda line: line.usd)

    def line(self, name: str) -> CostLine:
        return next(line for line in self.lines if line.name == name)


def upload_estimate(profile: StackProfile, images: int, prices: Prices, workload: Workload = MEASURED) -> Estimate:
    """What ``images`` uploads cost the stack, from the upload's PUT to the item and the log line."""
    return _estimate(upload_usage(profile, workload), images, prices, profile.architecture, jobs=0)


def reprocess_estimate(
    profile: StackProfile,
    images: int,
    prices: Prices,
    workload: Workload = MEASURED,
    current_share: float = 0.0,
    jobs: int = 1,
) -> Estimate:
    """What reprocessing ``images`` in ``jobs`` S3 Batch Operations job(s) costs; ``current_share`` of the
    images already current (one read each, no writes)."""
    usage = reprocess_usage(profile, workload, current_share)
    return _estimate(usage, images, prices, profile.architecture, jobs=jobs)


def _estimate(u: ImageUsage, images: int, p: Prices, architecture: str, jobs: int) -> Estimate:
    if images < 0 or jobs < 0:
        raise ValueError(f"images and jobs cannot be negative, got {images} and {jobs}")
    n = images
    batch_usd = jobs * p.batch_operations_job + n * u.batch_objects * p.batch_operations_objects_per_million / 1e6
    lines = (
        CostLine(LAMBDA_COMPUTE, n * u.gb_seconds, "GB-s", n * u.gb_seconds * p.lambda_gb_second(architecture)),
        CostLine(
            LAMBDA_REQUESTS, n * u.invocations, "requests", n * u.invocations * p.lambda_requests_per_million / 1e6
        ),
        CostLine(S3_PUT, n * u.s3_put, "requests", n * u.s3_put * p.s3_put_per_thousand / 1e3),
        CostLine(S3_GET, n * u.s3_get, "requests", n * u.s3_get * p.s3_get_per_thousand / 1e3),
        CostLine(
            DYNAMODB_WRITES,
            n * u.dynamodb_write_units,
            "write units",
            n * u.dynamodb_write_units * p.dynamodb_write_units_per_million / 1e6,
        ),
        CostLine(
            DYNAMODB_READS,
            n * u.dynamodb_read_units,
            "read units",
            n * u.dynamodb_read_units * p.dynamodb_read_units_per_million / 1e6,
        ),
        CostLine(CLOUDWATCH_LOGS, n * u.log_bytes / GB, "GB", n * u.log_bytes / GB * p.logs_ingestion_gb),
        CostLine(BATCH_OPERATIONS, n * u.batch_objects, "objects", batch_usd),
        CostLine(KMS, n * u.kms_requests, "requests", n * u.kms_requests * p.kms_requests_per_ten_thousand / 1e4),
    )
    return Estimate(images=images, lines=lines, usage=u)


def monthly_storage_usd(images: int, bytes_per_image: int, prices: Prices) -> float:
    """S3 Standard storage of ``images`` objects of that size for one month."""
    return images * bytes_per_image / GB * prices.s3_storage_gb_month
