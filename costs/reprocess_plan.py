"""One answer for ``tasks.py reprocess --dry-run``: what reprocessing N images costs and how long it takes."""

from dataclasses import dataclass

from costs.model import Estimate, reprocess_estimate
from costs.prices import Prices
from costs.profile import MEASURED, StackProfile, Workload
from costs.throughput import Throughput, reprocess_throughput


@dataclass(frozen=True)
class ReprocessPlan:
    estimate: Estimate
    throughput: Throughput

    @property
    def seconds(self) -> float:
        return self.throughput.seconds_for(self.estimate.images)

    def describe(self) -> str:
        """One line for an operator: images, time, first limit, cost and its dominant line."""
        e, t = self.estimate, self.throughput
        return (
            f"{e.images:,} images at concurrency {t.concurrency}: about {_duration(self.seconds)} "
            f"({t.images_per_second:,.0f} images/s, limited by {t.first_limit.name}), "
            f"about ${e.total_usd:,.2f} (mostly {e.dominant.name})"
        )


def reprocess_plan(
    profile: StackProfile,
    images: int,
    prices: Prices,
    workload: Workload = MEASURED,
    concurrency: int | None = None,
    current_share: float = 0.0,
    one_user: bool = False,
) -> ReprocessPlan:
    """``concurrency``: the job's (default: the stack's); ``current_share``: images already current;
    ``one_user``: every image under one user's prefix (S3's per-prefix rates then count)."""
    return ReprocessPlan(
        estimate=reprocess_estimate(profile, images, prices, workload, current_share),
        throughput=reprocess_throughput(profile, workload, concurrency, current_share, one_user),
    )


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
