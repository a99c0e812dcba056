"""The alert formatter benchmark still runs in --quick mode and prints its line in its shape (no time is asserted)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_alerts_benchmark_prints_the_cold_import_without_boto3() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.alerts", "--quick"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"Python \S+ \(cpython\), \d+ CPUs, load average .*", lines[0])
    assert re.fullmatch(
        r"cold import of handlers\.alert_formatter: \d+\.\d ms, handlers\.image_api: \d+\.\d ms, "
        r"ratio \d+\.\d\d \(median of 1 fresh processes; boto3 and PIL kept out\)",
        lines[1],
    )
