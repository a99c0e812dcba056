"""Figures measured on this project's own code, each with how it was measured; the model's defaults.

The request counts, the log line and the item size are measured from the real handler under moto, and
tests/costs/test_usage_matches_handler.py fails when the code's calls or lines move away from them.
The per-image time and memory come from ``python3 tasks.py bench`` on this machine: re-run the bench
(or read the REPORT lines of the deployed function) on Lambda's hardware for real numbers and pass them
with ``--cpu-ms`` / ``--duration-ms``.
"""

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class BenchFigure:
    """One bench case: what the image core costs for one image (no AWS calls in it)."""

    case: str
    cpu_ms: float  # median CPU time of the whole rendition set (single-threaded)
    peak_rss_mib: float  # peak resident memory of a fresh process making it
    source_bytes: int  # the upload
    rendition_bytes: int  # every rendition of DEFAULT_RENDITIONS together
    measured: str  # when and how


_BENCH_RUN: Final = "python3 tasks.py bench --quick, 2026-12-04, x86_64, 2 cores, load average 0.5-1.0"

# The typical phone photo; the model's default image.
PHOTO_12MP: Final = BenchFigure(
    case="12 MP JPEG 4000x3000",
    cpu_ms=81.9,
    peak_rss_mib=29.5,
    source_bytes=round(2.9 * 2**20),
    rendition_bytes=254_394,
    measured=_BENCH_RUN,
)
# The bench's transparent source (three PNG renditions besides the JPEG and WebP ones).
PNG_ALPHA_2000: Final = BenchFigure(
    case="PNG with alpha 2000x2000",
    cpu_ms=362.3,
    peak_rss_mib=66.0,
    source_bytes=round(8.4 * 2**20),
    rendition_bytes=1_301_329,
    measured=_BENCH_RUN,
)

# The handler's log line per processed image, in Lambda's JSON shape, for an upload under the key the
# image API hands out (uploads/{Cognito sub}/{upload id}/{file name}); measured under moto, whose
# version ids are 4 characters longer than S3's. tests/costs pins it within 5 %.
PROCESSED_LOG_LINE_BYTES: Final = 647

# The metadata item of a completed upload: a base plus one map per rendition stored, in DynamoDB's
# item size (costs/dynamodb_units.py), for the same key shape. Measured: 1,977 bytes with 6 renditions,
# 2,609 with 9; tests/costs pins the formula within 3 % and to the same write units.
ITEM_BASE_BYTES: Final = 686
ITEM_BYTES_PER_RENDITION: Final = 215
