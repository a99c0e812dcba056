"""``--dry-run``'s estimate of a job: the cost model's plan (``costs/``) for the images the manifest lists.

Priced from the stack's own config (its renditions, memory, architecture; ``Pulumi.<stack>.yaml``) and
the cost model's price file, at the job's concurrency; the time and its first limit come from the
model's throughput (Lambda concurrency, S3 per-prefix rates for one user's images, DynamoDB).
"""

from costs.prices import Prices
from costs.profile import stack_profile
from costs.reprocess_plan import ReprocessPlan, reprocess_plan


def estimate(
    stack: str, images: int, concurrency: int, prices: Prices, *, current_share: float = 0.0, one_user: bool = False
) -> ReprocessPlan:
    """``current_share``: the part of ``images`` already current (one read each, no writes)."""
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    return reprocess_plan(
        stack_profile(stack),
        images,
        prices,
        concurrency=concurrency,
        current_share=current_share,
        one_user=one_user,
    )
