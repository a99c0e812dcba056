"""The dry run's estimate is the cost model's plan for the stack, the images and the job's concurrency."""

import pytest

from costs.prices import load_prices
from costs.profile import stack_profile
from costs.reprocess_plan import reprocess_plan
from reprocess.estimate import estimate


def test_the_estimate_is_the_cost_models_plan_for_the_stacks_own_config() -> None:
    prices = load_prices()
    plan = estimate("prod", 10_000, 10, prices)
    expected = reprocess_plan(stack_profile("prod"), 10_000, prices, concurrency=10)
    assert (plan.estimate.total_usd, plan.seconds) == (expected.estimate.total_usd, expected.seconds)


def test_more_concurrency_finishes_sooner_at_the_same_cost() -> None:
    prices = load_prices()
    slow, fast = estimate("dev", 100_000, 5, prices), estimate("dev", 100_000, 50, prices)
    assert fast.seconds < slow.seconds
    assert fast.estimate.total_usd == slow.estimate.total_usd


def test_images_already_current_cost_less() -> None:
    prices = load_prices()
    assert (
        estimate("dev", 1000, 5, prices, current_share=0.9).estimate.total_usd
        < estimate("dev", 1000, 5, prices).estimate.total_usd
    )


def test_a_concurrency_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match=r"concurrency must be at least 1, got 0"):
        estimate("dev", 10, 0, load_prices())
