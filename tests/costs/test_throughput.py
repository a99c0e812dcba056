"""Throughput on paper: the binding limit and the time of a reprocess, checked by hand."""

import pytest

from costs import throughput as tp
from costs.profile import Workload
from costs.throughput import reprocess_throughput
from tests.costs.profiles import profile


def test_at_its_reserved_concurrency_the_function_renders_concurrency_over_duration() -> None:
    # GIVEN 50 reserved, half a second per image
    t = reprocess_throughput(profile(reserved_concurrency=50), Workload(duration_ms=500))
    # THEN 100 images per second, Lambda's concurrency binding first
    assert t.first_limit.name == tp.LAMBDA_CONCURRENCY
    assert t.images_per_second == 100
    # AND 10 million images take the 10 s ramp plus 100,000 s
    assert t.seconds_for(tp.TEN_MILLION) == 10 + 100_000


def test_ten_million_images_of_many_users_are_not_held_to_one_prefixs_rate() -> None:
    # GIVEN the account's 1,000 unreserved at 100 ms each (10,000/s from Lambda), one rendition PUT each
    t = reprocess_throughput(profile(reserved_concurrency=None), Workload(duration_ms=100))
    # THEN a new on-demand table's 4,000 writes/s binds (1 unit per image to the table)...
    assert (t.first_limit.name, t.images_per_second) == (tp.DYNAMODB_WRITES, 4000)
    # ...while one user's images would be held to S3's 3,500 PUT/s per prefix first
    one_user = reprocess_throughput(profile(reserved_concurrency=None), Workload(duration_ms=100), one_user=True)
    assert (one_user.first_limit.name, one_user.images_per_second) == (tp.S3_PUTS_PER_PREFIX, 3500)


def test_limits_are_listed_slowest_first() -> None:
    t = reprocess_throughput(profile(reserved_concurrency=None), Workload(duration_ms=100))
    rates = [limit.images_per_second for limit in t.limits]
    assert rates == sorted(rates)
    assert {limit.name for limit in t.limits} == {
        tp.LAMBDA_CONCURRENCY,
        tp.S3_PUTS_PER_PREFIX,
        tp.S3_GETS_PER_PREFIX,
        tp.DYNAMODB_WRITES,
        tp.DYNAMODB_READS,
    }


def test_lambda_adds_a_thousand_environments_every_ten_seconds() -> None:
    t = reprocess_throughput(profile(reserved_concurrency=2500), Workload(duration_ms=1000))
    assert t.ramp_seconds == 30


def test_a_concurrency_given_replaces_the_stacks() -> None:
    t = reprocess_throughput(profile(reserved_concurrency=50), Workload(duration_ms=500), concurrency=5)
    assert t.images_per_second == 10


def test_no_images_take_no_time() -> None:
    assert reprocess_throughput(profile(), Workload(duration_ms=500)).seconds_for(0) == 0.0


def test_concurrency_below_one_is_refused() -> None:
    from costs.usage import reprocess_usage

    with pytest.raises(ValueError, match="concurrency must be at least 1, got 0"):
        tp.throughput(reprocess_usage(profile()), 0)


def test_a_reprocess_plan_answers_cost_and_time_in_one_line() -> None:
    from costs import reprocess_plan
    from tests.costs.prices_files import round_prices

    # GIVEN 10,000 images, 50 at a time, half a second each, one job
    plan = reprocess_plan(profile(reserved_concurrency=50), 10_000, round_prices(), Workload(duration_ms=500))
    # THEN 100/s: the 10 s ramp plus 100 s, and the estimate is the model's for the same images
    assert plan.seconds == 110
    assert plan.estimate.images == 10_000
    assert plan.describe() == (
        f"10,000 images at concurrency 50: about 110 s (100 images/s, limited by Lambda concurrency), "
        f"about ${plan.estimate.total_usd:,.2f} (mostly Lambda compute)"
    )
