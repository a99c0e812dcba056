"""``--dry-run``'s estimate of a job's duration and cost: a PLACEHOLDER until ``costs/`` exists.

TODO(costs/): the cost model (issue 16, points 6-7) is another engineer's, in ``costs/``, not on this
branch yet. When it is merged, ``estimate`` below becomes a call to it (on main:
``costs.reprocess_plan.reprocess_plan(stack_profile(stack), images, load_prices(), concurrency=...,
current_share=..., one_user=...)``, whose ``seconds`` and ``estimate.total_usd`` fill ``Estimate`` and whose
``describe()`` can be printed as it is) and everything under "placeholder" goes. The command only uses
``estimate(images, concurrency, memory_mb, architecture) -> Estimate``. Until then the figures are
deliberately crude and say so where they are printed:

- duration: images x PLACEHOLDER_SECONDS_PER_IMAGE / concurrency (one invocation per image, Batch
  Operations' own rate and cold starts ignored);
- cost: Lambda compute and requests, and Batch Operations' per-job and per-object fees, at list prices
  remembered from AWS's pricing pages (aws.amazon.com/lambda/pricing, aws.amazon.com/s3/pricing,
  "S3 Batch Operations"; us-east-1; not checked on this machine, which has no internet). S3 requests,
  DynamoDB, CloudWatch Logs and KMS are left out.
"""

from dataclasses import dataclass
from typing import Final

# --- placeholder figures (see the module docstring) ---
PLACEHOLDER_SECONDS_PER_IMAGE: Final = 0.5
PLACEHOLDER_LAMBDA_GB_SECOND_USD: Final = {"arm64": 0.0000133334, "x86_64": 0.0000166667}
PLACEHOLDER_LAMBDA_REQUEST_USD: Final = 0.20 / 1_000_000
PLACEHOLDER_BATCH_JOB_USD: Final = 0.25
PLACEHOLDER_BATCH_OBJECT_USD: Final = 1.00 / 1_000_000
PLACEHOLDER_BASIS: Final = (
    "placeholder until costs/ exists: 0.5 s per image, Lambda and Batch Operations fees only "
    "(us-east-1 list prices, unverified)"
)


@dataclass(frozen=True)
class Estimate:
    duration_s: float
    cost_usd: float
    basis: str
    """Where the figures come from, printed beside them."""


def estimate(images: int, concurrency: int, memory_mb: int, architecture: str) -> Estimate:
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    seconds = images * PLACEHOLDER_SECONDS_PER_IMAGE
    gb_seconds = seconds * memory_mb / 1024
    cost = (
        gb_seconds * PLACEHOLDER_LAMBDA_GB_SECOND_USD[architecture]
        + images * PLACEHOLDER_LAMBDA_REQUEST_USD
        + PLACEHOLDER_BATCH_JOB_USD
        + images * PLACEHOLDER_BATCH_OBJECT_USD
    )
    return Estimate(duration_s=seconds / concurrency, cost_usd=cost, basis=PLACEHOLDER_BASIS)
