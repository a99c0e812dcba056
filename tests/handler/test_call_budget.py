"""Every AWS call fits the invocation: budgets, their worst case, and the deadline check every call passes.

The worst case is recomputed here from each client's own botocore configuration, with botocore's rules
as its source states them (boto/botocore botocore/config.py and botocore/args.py: ``total_max_attempts``
counts every attempt, ``max_attempts`` only the retries; botocore/retries/standard.py: before retry i
a pause of at most min(1 s x 2^(i-1), 20 s), plus up to 5 s where a response asks for it with
``x-amz-retry-after``), then held against the timeouts the components give each function by default.
"""

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ReadTimeoutError
from hypothesis import given, settings
from hypothesis import strategies as st

from components.dev_cleanup import CLEANUP_TIMEOUT_SECONDS
from components.function_defaults import TIMEOUT_SECONDS
from components.image_api import API_TIMEOUT_SECONDS
from emulated_aws.environment import REGION
from emulated_aws.lambda_context import FrozenLambdaContext
from emulated_aws.stalled_endpoint import StalledEndpoint, stalled_endpoint
from handlers.api.clients import API_CALL_BUDGET, API_RESERVE_S, api_clients, reset_api_clients
from handlers.aws_budget import (
    FINAL_MARGIN_S,
    MIN_ATTEMPT_S,
    CallBudget,
    OutOfTime,
    budgeted_client,
    invocation_deadline,
    require_time,
)
from handlers.cleanup.clients import CLEANUP_CALL_BUDGET, CLEANUP_RESERVE_S, cleanup_clients, reset_cleanup_clients
from handlers.contract import API_GATEWAY_TIMEOUT_S
from handlers.image_processor import (
    FAILURE_RECORD_BUDGET,
    PROCESSOR_CALL_BUDGET,
    PROCESSOR_RESERVE_S,
    aws_clients,
    failure_record_client,
    reset_aws_clients,
)

# How much later than its worst case a stalled call may return on a loaded 2-core machine.
SCHEDULING_SLACK_S = 0.5


def worst_case_of(client: Any) -> float:
    """A client's longest call against a stalled endpoint, from its own botocore configuration."""
    config = client.meta.config
    assert config.retries["mode"] == "standard"
    attempts = config.retries["total_max_attempts"]
    pauses = sum(min(1.0 * 2 ** (retry - 1), 20.0) + 5.0 for retry in range(1, attempts))
    return float(attempts * (config.connect_timeout + config.read_timeout) + pauses)


@dataclass(frozen=True)
class Function:
    name: str
    timeout_s: int  # the components' default
    budget: CallBudget
    reserve_s: float
    limit_s: float | None
    clients: Callable[[CallBudget], list[Any]]


FUNCTIONS = (
    Function(
        "image-api",
        API_TIMEOUT_SECONDS,
        API_CALL_BUDGET,
        API_RESERVE_S,
        API_GATEWAY_TIMEOUT_S,
        lambda b: [api_clients(b).s3, api_clients(b).dynamodb],
    ),
    Function(
        "image-processor",
        TIMEOUT_SECONDS,
        PROCESSOR_CALL_BUDGET,
        PROCESSOR_RESERVE_S,
        None,
        lambda b: [aws_clients(b).s3, aws_clients(b).dynamodb],
    ),
    Function(
        "cleanup",
        CLEANUP_TIMEOUT_SECONDS,
        CLEANUP_CALL_BUDGET,
        CLEANUP_RESERVE_S,
        None,
        lambda b: [cleanup_clients(b).s3, cleanup_clients(b).dynamodb],
    ),
)


@pytest.fixture(autouse=True)
def fresh_clients(fake_credentials: None) -> Iterator[None]:
    """Clients made here, from this test's environment, and forgotten afterwards."""
    for reset in (reset_api_clients, reset_aws_clients, reset_cleanup_clients):
        reset()
    yield
    for reset in (reset_api_clients, reset_aws_clients, reset_cleanup_clients):
        reset()


def stalled_client(
    endpoint: StalledEndpoint, budget: CallBudget, monkeypatch: pytest.MonkeyPatch, *, last_word: bool = False
) -> Any:
    """A budgeted S3 client whose every request goes to ``endpoint``."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint.url)
    client = budgeted_client("s3", budget, last_word=last_word)
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    return client


def elapsed(call: Callable[[], object]) -> tuple[float, BaseException | None]:
    """How long ``call`` took, and what it raised."""
    started = time.monotonic()
    try:
        call()
    except Exception as exc:
        return time.monotonic() - started, exc
    return time.monotonic() - started, None


# --- botocore's counting, which the budgets rest on ---


def test_botocore_max_attempts_counts_retries_and_total_max_attempts_counts_every_attempt(
    fake_credentials: None,
) -> None:
    session = boto3.session.Session(region_name=REGION)
    retries = session.client("s3", config=Config(retries={"mode": "standard", "max_attempts": 3})).meta.config.retries
    assert retries["total_max_attempts"] == 4  # what the functions' clients had: 4 attempts, not 3
    budget = CallBudget(connect_timeout_s=1, read_timeout_s=2, attempts=3)
    assert session.client("s3", config=budget.config()).meta.config.retries["total_max_attempts"] == 3


def test_a_stalled_endpoint_gets_exactly_the_budgets_attempts_each_waiting_the_read_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN a client of two attempts of 0.25 s reads, and an endpoint that never answers
    budget = CallBudget(connect_timeout_s=0.25, read_timeout_s=0.25, attempts=2)
    with stalled_endpoint() as endpoint:
        client = stalled_client(endpoint, budget, monkeypatch)
        # WHEN a call is made (no invocation: no deadline)
        took, raised = elapsed(lambda: client.list_buckets())
        # THEN two connections, each waited out, and the call ends within its worst case
        assert isinstance(raised, ReadTimeoutError)
        assert endpoint.connections == 2
    assert 2 * budget.read_timeout_s <= took <= budget.worst_case_s + SCHEDULING_SLACK_S


# --- the budgets and their worst case ---


@pytest.mark.parametrize(
    ("budget", "worst_case_s"),
    [
        (CallBudget(connect_timeout_s=1, read_timeout_s=3, attempts=1), 4.0),
        # two attempts of 5 s and one pause of at most 1 s + 5 s
        (CallBudget(connect_timeout_s=1, read_timeout_s=4, attempts=2), 16.0),
        # three attempts of 12 s, pauses of at most 6 s and 7 s
        (CallBudget(connect_timeout_s=2, read_timeout_s=10, attempts=3), 49.0),
    ],
)
def test_worst_case_is_every_attempt_timed_out_plus_the_longest_pause_before_each_retry(
    budget: CallBudget, worst_case_s: float
) -> None:
    assert budget.worst_case_s == worst_case_s


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_every_budget_a_function_may_use_gives_its_clients_exactly_that_worst_case(function: Function) -> None:
    for budget in function.budget.shrinking():
        for client in function.clients(budget):
            assert worst_case_of(client) == budget.worst_case_s


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_at_the_default_timeout_a_call_gives_up_in_time_to_record_and_answer(function: Function) -> None:
    # GIVEN an invocation of the function's default timeout, as the components deploy it
    context = FrozenLambdaContext(remaining_ms=function.timeout_s * 1000)
    with invocation_deadline(context, function.reserve_s, function.limit_s) as invocation:
        budget = invocation.fit(function.budget)
    # THEN it gets its whole budget, and its clients' longest call still leaves the reserve
    assert budget == function.budget
    for client in function.clients(budget):
        assert worst_case_of(client) + function.reserve_s <= function.timeout_s


def test_the_api_gives_up_before_api_gateway_stops_waiting_whatever_its_timeout() -> None:
    # GIVEN an API function given the longest timeout Lambda allows
    context = FrozenLambdaContext(remaining_ms=900_000)
    with invocation_deadline(context, API_RESERVE_S, API_GATEWAY_TIMEOUT_S) as invocation:
        clients = api_clients(invocation.fit(API_CALL_BUDGET))
        # THEN its calls must end within API Gateway's 29 s, less what answering needs
        assert invocation.left_for_calls() <= API_GATEWAY_TIMEOUT_S - API_RESERVE_S
    assert worst_case_of(clients.dynamodb) + API_RESERVE_S <= API_GATEWAY_TIMEOUT_S


def test_the_failure_record_fits_in_the_processors_reserve() -> None:
    assert worst_case_of(failure_record_client()) == FAILURE_RECORD_BUDGET.worst_case_s
    assert FAILURE_RECORD_BUDGET.worst_case_s + FINAL_MARGIN_S <= PROCESSOR_RESERVE_S


@settings(max_examples=200, deadline=None)
@given(seconds=st.floats(min_value=-5, max_value=1000, allow_nan=False))
def test_a_fitted_budget_fits_the_time_left_or_is_the_smallest_which_every_call_then_refuses(seconds: float) -> None:
    for function in FUNCTIONS:
        fitted = function.budget.fitted(seconds)
        smallest = list(function.budget.shrinking())[-1]
        assert fitted.worst_case_s <= seconds or fitted == smallest
        assert fitted.attempt_s >= MIN_ATTEMPT_S
        assert fitted.attempts <= function.budget.attempts
        assert fitted.read_timeout_s <= function.budget.read_timeout_s


def test_with_time_to_spare_the_whole_budget_is_used_and_shrinks_as_the_time_left_does() -> None:
    budget = CallBudget(connect_timeout_s=1, read_timeout_s=4, attempts=2)
    assert budget.fitted(16) == budget
    assert budget.fitted(15.9) == CallBudget(connect_timeout_s=1, read_timeout_s=4, attempts=1)
    assert budget.fitted(3) == CallBudget(connect_timeout_s=0.5, read_timeout_s=2, attempts=1)
    assert budget.fitted(0.1) == CallBudget(connect_timeout_s=0.125, read_timeout_s=0.5, attempts=1)


# --- the deadline every call passes ---


def test_a_call_whose_worst_case_would_end_after_the_deadline_is_refused_before_anything_is_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN 2 s left for calls (3 s, 1 s reserve) and a client whose call may take 4 s
    budget = CallBudget(connect_timeout_s=1, read_timeout_s=3, attempts=1)
    with stalled_endpoint() as endpoint:
        client = stalled_client(endpoint, budget, monkeypatch)
        with invocation_deadline(FrozenLambdaContext(remaining_ms=3000), reserve_s=1.0):
            # WHEN a call is made THEN it is refused at once and nothing reaches the endpoint
            took, raised = elapsed(lambda: client.list_buckets())
        assert isinstance(raised, OutOfTime)
        assert "s3.ListBuckets may take up to 4 s" in str(raised)
        assert endpoint.connections == 0
    assert took < 0.5


def test_a_call_that_fits_is_sent_and_gives_up_within_the_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    budget = CallBudget(connect_timeout_s=0.25, read_timeout_s=0.5, attempts=1)
    with stalled_endpoint() as endpoint:
        client = stalled_client(endpoint, budget, monkeypatch)
        with invocation_deadline(FrozenLambdaContext(remaining_ms=2000), reserve_s=1.0):
            took, raised = elapsed(lambda: client.list_buckets())
        assert isinstance(raised, ReadTimeoutError)
        assert endpoint.connections == 1
    assert budget.read_timeout_s <= took <= budget.worst_case_s + SCHEDULING_SLACK_S


def test_a_last_word_call_may_use_the_reserve_but_not_the_final_margin(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN 3 s left, 2.5 s of them kept in reserve: 0.5 s for calls, 2 s for a last word
    budget = CallBudget(connect_timeout_s=0.25, read_timeout_s=0.75, attempts=1)  # 1 s
    with stalled_endpoint() as endpoint:
        work = stalled_client(endpoint, budget, monkeypatch)
        last_word = stalled_client(endpoint, budget, monkeypatch, last_word=True)
        too_long = stalled_client(endpoint, CallBudget(1, 1.5, 1), monkeypatch, last_word=True)  # 2.5 s
        with invocation_deadline(FrozenLambdaContext(remaining_ms=3000), reserve_s=2.5):
            # THEN the work's call is refused, the last word is sent, and a last word that could eat
            # into the final margin is refused too
            assert isinstance(elapsed(lambda: work.list_buckets())[1], OutOfTime)
            assert isinstance(elapsed(lambda: last_word.list_buckets())[1], ReadTimeoutError)
            assert isinstance(elapsed(lambda: too_long.list_buckets())[1], OutOfTime)
        assert endpoint.connections == 1


def test_outside_an_invocation_no_call_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    budget = CallBudget(connect_timeout_s=0.25, read_timeout_s=0.25, attempts=1)
    with stalled_endpoint() as endpoint:
        client = stalled_client(endpoint, budget, monkeypatch)
        assert isinstance(elapsed(lambda: client.list_buckets())[1], ReadTimeoutError)
        assert endpoint.connections == 1


def test_the_deadline_ends_with_its_invocation() -> None:
    budget = CallBudget(connect_timeout_s=1, read_timeout_s=3, attempts=1)
    with invocation_deadline(FrozenLambdaContext(remaining_ms=1000), reserve_s=1.0), pytest.raises(OutOfTime):
        require_time(0.5, "a pause")
    require_time(budget.worst_case_s, "a pause")  # no invocation: nothing to refuse


def test_a_pause_that_would_end_after_the_calls_deadline_is_refused() -> None:
    with invocation_deadline(FrozenLambdaContext(remaining_ms=3000), reserve_s=1.0):
        require_time(1.5, "a pause")
        with pytest.raises(OutOfTime, match=r"^a pause needs 2.50 s and 2.00 s are left for AWS calls$"):
            require_time(2.5, "a pause")
