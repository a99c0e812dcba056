"""Alert formatter benchmark: what its cold start pays for its own code.

    python -m benchmarks.alerts [--quick]

``import handlers.alert_formatter`` in fresh interpreters (median), as Lambda's init pays it, next to
``import handlers.image_api`` measured the same way, as a ratio: the formatter's cold start against the
function on-call already knows. boto3 stays out of both imports: the formatter imports it, and makes its
clients, on the first alarm only (about 130 ms for boto3 and 105 ms for a first client on this kind of
machine, shared/README.md).
"""

import argparse
import os
import platform
import sys
from collections.abc import Callable, Sequence
from typing import Final

from benchmarks.api import ImportTime, import_time

FORMATTER_MODULE: Final = "handlers.alert_formatter"
API_MODULE: Final = "handlers.image_api"
FULL_RUNS: Final = 7
QUICK_RUNS: Final = 1


def format_import(formatter: ImportTime, api: ImportTime) -> str:
    leaked = f"; imported anyway: {', '.join(formatter.imported)}" if formatter.imported else "; boto3 and PIL kept out"
    return (
        f"cold import of {FORMATTER_MODULE}: {formatter.median_ms:.1f} ms, {API_MODULE}: {api.median_ms:.1f} ms, "
        f"ratio {formatter.median_ms / api.median_ms:.2f} (median of {formatter.runs} fresh processes{leaked})"
    )


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_RUNS} run instead of {FULL_RUNS}")
    args = parser.parse_args(argv)
    runs = QUICK_RUNS if args.quick else FULL_RUNS
    out(
        f"Python {platform.python_version()} ({sys.implementation.name}), {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} (other load skews times: rerun if it is high)"
    )
    out(format_import(import_time(runs, FORMATTER_MODULE), import_time(runs, API_MODULE)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
