"""What a stack's configuration decides about the price of one image, and the workload it is run on.

``StackProfile`` holds only what the model needs (memory, architecture, renditions, log level, keys,
concurrency); ``profile_for(config)`` reads it from a parsed stack config and ``stack_profile(stack)``
from ``Pulumi.{stack}.yaml``. ``Workload`` is the image the price is for, with the measured defaults.
"""

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

import yaml

from components.lambda_function import APPLICATION_LOG_LEVEL, reserved_or_none
from costs import measured
from handlers.imaging.renditions import RenditionSpec
from program.config import ROOT, StackConfig, load_stack_file

# Lambda's default concurrency quota per account and region, what an unreserved function may reach at
# most (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html); new accounts often start
# lower (README, "Reserved concurrency"): pass --concurrency with `aws lambda get-account-settings`.
ACCOUNT_CONCURRENCY: Final = 1000
# One S3 or DynamoDB round trip from a function in the same region, the original's download included.
# ASSUMPTION: not measured here (moto's latency is not AWS's); pass --round-trip-ms from the deployed
# function's timings (the item's timings_ms: download, store) to replace it.
ROUND_TRIP_MS: Final = 20.0


@dataclass(frozen=True)
class StackProfile:
    stack: str
    region: str
    memory_mb: int
    architecture: str
    renditions: tuple[RenditionSpec, ...]
    # Every function's application log level (Lambda drops lines below it).
    log_level: str
    # A customer-managed key on the buckets and table (compliance mode or kmsKeyArn); the buckets then
    # always use an S3 bucket key (components/secure_bucket.py).
    kms: bool
    # None: unreserved (up to the account's quota).
    reserved_concurrency: int | None

    @property
    def concurrency(self) -> int:
        return self.reserved_concurrency if self.reserved_concurrency is not None else ACCOUNT_CONCURRENCY

    def with_renditions(self, renditions: tuple[RenditionSpec, ...]) -> "StackProfile":
        return replace(self, renditions=renditions)


@dataclass(frozen=True)
class Workload:
    """The images priced: their measured cost in the image core, and how they reach AWS."""

    image: measured.BenchFigure = measured.PHOTO_12MP
    # Share of sources with transparency (they get the renditions' alpha_formats besides).
    alpha_share: float = 0.0
    round_trip_ms: float = ROUND_TRIP_MS
    # A measured per-image billed duration replaces the estimate from CPU time and round trips.
    duration_ms: float | None = None


def profile_for(config: StackConfig, region: str) -> StackProfile:
    return StackProfile(
        stack=config.stack,
        region=region,
        memory_mb=config.function.memory_mb,
        architecture=config.function.architecture,
        renditions=config.processing.renditions,
        log_level=APPLICATION_LOG_LEVEL,
        kms=config.compliance.enabled or config.storage.kms_key_arn is not None,
        reserved_concurrency=reserved_or_none(config.function.reserved_concurrency),
    )


def stack_region(stack: str, root: Path = ROOT) -> str:
    """``aws:region`` of Pulumi.{stack}.yaml (the provider's region, where the stack is deployed)."""
    document: object = yaml.safe_load((root / f"Pulumi.{stack}.yaml").read_text()) or {}
    values = document.get("config") if isinstance(document, dict) else None
    region = values.get("aws:region") if isinstance(values, dict) else None
    return region if isinstance(region, str) else "unknown"


def stack_profile(stack: str, root: Path = ROOT) -> StackProfile:
    return profile_for(load_stack_file(stack, root), stack_region(stack, root))


# The images the model prices unless told otherwise: the measured 12 MP photo, all opaque.
MEASURED: Final = Workload()
