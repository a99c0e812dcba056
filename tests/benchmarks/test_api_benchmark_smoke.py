"""The API benchmark still runs end to end in --quick mode and prints its lines in their shape (no time is asserted)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MS = r"\d+\.\d+ ms"


def test_quick_api_benchmark_prints_import_time_and_each_routes_latency() -> None:
    # WHEN the benchmark runs as `python -m benchmarks.api --quick`, as `tasks.py bench-api --quick` runs it
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.api", "--quick"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # THEN it names the versions, the cold import (without boto3 or Pillow), and one row per route
    assert re.fullmatch(r"Python \S+, boto3 \S+, moto \S+, \d+ CPUs, load average .*", lines[0])
    assert re.fullmatch(
        rf"cold import of handlers\.image_api: {MS} \(median of 1 fresh processes; kept out: boto3, PIL\)", lines[1]
    )
    assert lines[2].startswith("warm requests, in-process under moto, median of 5 after a first call")
    assert "moto's in-process latency stands in for the DynamoDB/S3 round trips" in lines[2]
    # route, median, p90, own code, first call
    row = re.compile(rf"  (\S+ \S+)\s+{MS}\s+{MS}\s+{MS}\s+{MS}")
    routes = [m.group(1) for line in lines if (m := row.fullmatch(line))]
    assert routes == ["POST /images", "GET /images", "GET /images/{id}"]
