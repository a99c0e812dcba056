"""One benchmark measurement in a fresh interpreter, so the peak RSS is this run's alone.

    python -m benchmarks.worker {handler|baseline} IMAGE_PATH REPEATS

Prints one JSON object: first_ms (the first call, which pays for lazy imports), times_ms and
cpu_times_ms (wall and CPU time of each repeat after it), idle_rss_mib (after imports and
reading the file), peak_rss_mib, output_bytes and format_bytes (output bytes per format).
"""

import json
import resource
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from handlers.contract import DEFAULT_MAX_OBJECT_BYTES, DEFAULT_MAX_PIXELS
from handlers.imaging.renditions import DEFAULT_RENDITIONS, OutputFormat

KIB_PER_MIB = 1024


def peak_rss_mib() -> float:
    """This process's peak resident set size.

    Linux's ru_maxrss starts at the parent's peak (it survives fork and exec), so a worker
    started by a benchmark holding big images would report the parent's size; VmHWM belongs to
    this process's own address space.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / KIB_PER_MIB
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else KIB_PER_MIB)  # bytes on macOS, KiB elsewhere


def _runner(implementation: str) -> Callable[[bytes], dict[str, int]]:
    """A function that makes the default renditions of some bytes and returns their size per format."""
    if implementation == "handler":
        from handlers.imaging import process_image
        from handlers.imaging.types import Limits

        limits = Limits(max_bytes=DEFAULT_MAX_OBJECT_BYTES, max_pixels=DEFAULT_MAX_PIXELS)
        return lambda data: _per_format(
            (r.format, r.data) for r in process_image(data, DEFAULT_RENDITIONS, limits).renditions
        )
    if implementation == "baseline":
        from benchmarks.baseline import naive_renditions

        return lambda data: _per_format((fmt, out) for _, fmt, out in naive_renditions(data, DEFAULT_RENDITIONS))
    raise SystemExit(f"unknown implementation {implementation!r}")


def _per_format(outputs: Iterable[tuple[OutputFormat, bytes]]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for fmt, data in outputs:
        sizes[fmt.value] = sizes.get(fmt.value, 0) + len(data)
    return sizes


def main(argv: list[str]) -> None:
    implementation, path, repeats = argv[0], Path(argv[1]), int(argv[2])
    run = _runner(implementation)
    data = path.read_bytes()
    idle = peak_rss_mib()
    start = time.perf_counter()
    format_bytes = run(data)
    first = (time.perf_counter() - start) * 1000
    times, cpu_times = [], []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        run(data)
        times.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - cpu_start) * 1000)
    report = {
        "first_ms": first,
        "times_ms": times,
        "cpu_times_ms": cpu_times,
        "idle_rss_mib": idle,
        "peak_rss_mib": peak_rss_mib(),
        "output_bytes": sum(format_bytes.values()),
        "format_bytes": format_bytes,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1:])
