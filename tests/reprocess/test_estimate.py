"""The dry run's placeholder estimate (until costs/ exists): its arithmetic, stated where it is printed."""

import pytest

from reprocess.estimate import PLACEHOLDER_BASIS, estimate


def test_duration_is_images_times_the_placeholder_seconds_over_the_concurrency() -> None:
    # 10,000 images x 0.5 s / 10 concurrent = 500 s
    assert estimate(10_000, 10, 1024, "arm64").duration_s == 500


def test_cost_is_lambda_compute_and_requests_plus_batch_operations_fees() -> None:
    # 1,000,000 images x 0.5 s x 1 GB = 500,000 GB-s x $0.0000133334 = $6.6667; requests $0.20;
    # Batch Operations $0.25 per job + $1.00 per million objects
    figures = estimate(1_000_000, 100, 1024, "arm64")
    assert figures.cost_usd == pytest.approx(6.6667 + 0.20 + 0.25 + 1.00, abs=0.001)
    assert figures.basis == PLACEHOLDER_BASIS and "placeholder until costs/ exists" in figures.basis


def test_x86_costs_more_per_gb_second_than_arm() -> None:
    assert estimate(1000, 1, 2048, "x86_64").cost_usd > estimate(1000, 1, 2048, "arm64").cost_usd


def test_a_concurrency_under_one_is_refused() -> None:
    with pytest.raises(ValueError, match="concurrency must be at least 1, got 0"):
        estimate(10, 0, 1024, "arm64")
