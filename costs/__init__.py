"""The cost model: what uploads and reprocessing cost a stack, and how fast it goes.

For a caller (``tasks.py reprocess --dry-run``)::

    from costs import load_prices, stack_profile, reprocess_estimate, reprocess_throughput
    profile = stack_profile("prod")                    # or profile_for(config, region)
    estimate = reprocess_estimate(profile, images, load_prices(), current_share=0.0)
    estimate.total_usd, estimate.dominant.name
    throughput = reprocess_throughput(profile)         # at the stack's concurrency, or concurrency=C
    throughput.seconds_for(images), throughput.first_limit.name
    upload_estimate(profile, images, load_prices())     # what N uploads cost

It reads a stack's config through program/ (no Pillow, no boto3); the model itself is pure arithmetic.
"""

from costs.model import Estimate, reprocess_estimate, upload_estimate
from costs.prices import DEFAULT_PRICES_FILE, PriceFileError, Prices, load_prices
from costs.profile import StackProfile, Workload, profile_for, stack_profile
from costs.throughput import Throughput, reprocess_throughput

__all__ = [
    "DEFAULT_PRICES_FILE",
    "Estimate",
    "PriceFileError",
    "Prices",
    "StackProfile",
    "Throughput",
    "Workload",
    "load_prices",
    "profile_for",
    "reprocess_estimate",
    "reprocess_throughput",
    "stack_profile",
    "upload_estimate",
]
