"""The cost model: what uploads and reprocessing cost a stack, and how fast it goes.

For a caller (``tasks.py reprocess --dry-run``)::

    from costs import load_prices, reprocess_plan, stack_profile, upload_estimate
    profile = stack_profile("prod")                     # or profile_for(config, region)
    plan = reprocess_plan(profile, images, load_prices(), concurrency=None, current_share=0.0)
    print(plan.describe())                              # images, time, first limit, cost, dominant line
    plan.seconds, plan.estimate.total_usd, plan.estimate.dominant.name, plan.throughput.first_limit.name
    upload_estimate(profile, images, load_prices())      # what N uploads cost

It reads a stack's config through program/ (no Pillow, no boto3); the model itself is pure arithmetic.
"""

from costs.model import Estimate, reprocess_estimate, upload_estimate
from costs.prices import DEFAULT_PRICES_FILE, PriceFileError, Prices, load_prices
from costs.profile import StackProfile, Workload, profile_for, stack_profile
from costs.reprocess_plan import ReprocessPlan, reprocess_plan
from costs.throughput import Throughput, reprocess_throughput

__all__ = [
    "DEFAULT_PRICES_FILE",
    "Estimate",
    "PriceFileError",
    "Prices",
    "ReprocessPlan",
    "StackProfile",
    "Throughput",
    "Workload",
    "load_prices",
    "profile_for",
    "reprocess_estimate",
    "reprocess_plan",
    "reprocess_throughput",
    "stack_profile",
    "upload_estimate",
]
