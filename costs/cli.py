"""``python3 tasks.py cost STACK``: what a million uploads and a million reprocessed images cost the stack.

python3 tasks.py cost prod
python3 tasks.py cost prod --prices my-region.json --duration-ms 410 --concurrency 200
"""

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from costs.prices import DEFAULT_PRICES_FILE, PriceFileError, load_prices
from costs.profile import Workload, stack_profile
from costs.table import render, render_variants, report
from program.config import STACKS, ConfigError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tasks.py cost", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("stack", choices=STACKS)
    parser.add_argument("--prices", type=Path, default=DEFAULT_PRICES_FILE, help="a price file like costs/prices.json")
    parser.add_argument("--duration-ms", type=float, help="measured billed ms per image (the function's REPORT lines)")
    parser.add_argument("--round-trip-ms", type=float, help="ms per S3/DynamoDB request (default: an assumption)")
    parser.add_argument("--concurrency", type=int, help="concurrency for the throughput (default: the stack's)")
    parser.add_argument("--alpha-share", type=float, default=0.0, help="share of transparent uploads, 0 to 1")
    args = parser.parse_args(argv)
    try:
        prices = load_prices(args.prices)
        profile = stack_profile(args.stack)
    except (PriceFileError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name, value in (("--duration-ms", args.duration_ms), ("--round-trip-ms", args.round_trip_ms)):
        if value is not None and value <= 0:
            parser.error(f"{name} must be more than 0, got {value:g}")
    if not 0.0 <= args.alpha_share <= 1.0:
        parser.error(f"--alpha-share must be from 0 to 1, got {args.alpha_share:g}")
    if args.concurrency is not None:
        if args.concurrency < 1:
            parser.error(f"--concurrency must be at least 1, got {args.concurrency}")
        profile = replace(profile, reserved_concurrency=args.concurrency)
    workload = Workload(alpha_share=args.alpha_share, duration_ms=args.duration_ms)
    if args.round_trip_ms is not None:
        workload = replace(workload, round_trip_ms=args.round_trip_ms)
    print(render(report(profile, prices, workload)))
    print()
    print(render_variants(profile, prices, workload))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
