"""How long one AWS call may take, and the invocation deadline every call must fit.

A boto3 call that meets a stalled endpoint waits, per attempt, for the TCP connect (the connect
timeout) and then for each socket read (the read timeout); botocore's standard retry mode then
pauses and tries again. So its worst case is

    attempts x (connect timeout + read timeout) + the longest pause before each retry

``CallBudget.worst_case_s`` is that sum for the values the client is built with. Every client made
by ``budgeted_client`` checks it before each call (botocore's ``before-call`` event: once per
operation, every page of a paginator included) against the current invocation's ``Deadline`` and
refuses with ``OutOfTime``, sending nothing, when the call could end after it. The deadline keeps a
reserve back from the calls, so a function that gives up still has time to record the failure, write
its line and answer before Lambda (or API Gateway) stops waiting. A handler fits its budget to the time
the invocation has (``Deadline.fit``): fewer attempts, then shorter timeouts, when little is left.

What this relies on, read in boto/botocore at 1.44.8 (the version here; Lambda's python3.12 runtime
ships its own botocore, which differs by region and date, so nothing here needs a recent feature):

- botocore/config.py (``retries``): ``total_max_attempts`` counts every attempt, the first included;
  ``max_attempts`` counts only the retries (botocore/args.py ``_compute_retry_max_attempts`` stores
  it as ``total_max_attempts = max_attempts + 1``). The functions' old ``max_attempts: 3`` meant 4
  attempts. An explicit ``total_max_attempts`` also wins over AWS_MAX_ATTEMPTS and the config file.
- botocore/retries/standard.py (``ExponentialBackoff.delay_amount``): the pause before retry i (from
  1) is rand(0, 1) x min(base x 2^(i-1), 20 s), base 1 s for throttling errors (50 ms otherwise,
  25 ms for DynamoDB); a response with ``x-amz-retry-after`` may stretch it by up to 5 s more.
- urllib3 (util/connection.py ``create_connection``) tries each address DNS returns, each with the
  connect timeout: an endpoint whose every address swallows SYNs costs the connect timeout once per
  address. AWS endpoints accept or refuse at once; the budget counts one address. DNS resolution
  itself has no timeout of botocore's.
- The read timeout bounds each wait for bytes, not a whole response body: a body that keeps
  trickling in is bounded by Lambda's timeout only.

Importing this module imports no boto3.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, Final

from handlers.edge.lambda_context import LambdaContext
from handlers.per_container import PerContainer

# botocore's standard retry mode (botocore/retries/standard.py, ExponentialBackoff).
THROTTLING_BACKOFF_BASE_S: Final = 1.0
MAX_BACKOFF_S: Final = 20.0
RETRY_AFTER_EXTRA_S: Final = 5.0
RETRY_MODE: Final = "standard"
# Below this, connect + read cannot reliably reach an AWS endpoint over TLS: the call is refused instead.
MIN_ATTEMPT_S: Final = 0.5
# What an invocation keeps after its last call: the failure's log line, the answer, the runtime's own work.
FINAL_MARGIN_S: Final = 1.0


class OutOfTime(Exception):
    """Too little of the invocation is left for this call to end, in its worst case, before the
    function must answer; nothing was sent. Retry the work later: Lambda retries the image
    function's event, the API's client its request, the cleanup's next run what is left."""


@dataclass(frozen=True)
class CallBudget:
    """The most one AWS call may take: the client's timeouts (seconds) and attempts."""

    connect_timeout_s: float
    read_timeout_s: float
    attempts: int  # every attempt, the first included (botocore's total_max_attempts)

    def __post_init__(self) -> None:
        if self.connect_timeout_s <= 0 or self.read_timeout_s <= 0 or self.attempts < 1:
            raise ValueError(f"a call budget needs positive timeouts and at least one attempt, got {self}")

    @property
    def attempt_s(self) -> float:
        return self.connect_timeout_s + self.read_timeout_s

    @property
    def worst_case_s(self) -> float:
        """Every attempt stalled to its timeouts, with the longest pause before each retry."""
        return self.attempts * self.attempt_s + sum(retry_pause_cap_s(n) for n in range(1, self.attempts))

    def fitted(self, seconds: float) -> "CallBudget":
        """This budget, or the largest smaller one whose worst case fits ``seconds``; the smallest when
        none does (the deadline check then refuses every call)."""
        smallest = self
        for budget in self.shrinking():
            if budget.worst_case_s <= seconds:
                return budget
            smallest = budget
        return smallest

    def shrinking(self) -> Iterator["CallBudget"]:
        """This budget, then fewer attempts (a retry is worth less than time to wait for an answer),
        then halved timeouts down to MIN_ATTEMPT_S: a handful of budgets, so a handful of clients."""
        for attempts in range(self.attempts, 0, -1):
            yield replace(self, attempts=attempts)
        budget = replace(self, attempts=1)
        while budget.attempt_s / 2 >= MIN_ATTEMPT_S:
            budget = replace(
                budget, connect_timeout_s=budget.connect_timeout_s / 2, read_timeout_s=budget.read_timeout_s / 2
            )
            yield budget

    def config(self) -> Any:
        """The botocore ``Config`` that gives a client exactly this budget."""
        from botocore.config import Config

        return Config(
            connect_timeout=self.connect_timeout_s,
            read_timeout=self.read_timeout_s,
            retries={"mode": RETRY_MODE, "total_max_attempts": self.attempts},
        )


def retry_pause_cap_s(retry: int) -> float:
    """The longest pause botocore's standard mode makes before retry ``retry`` (1, 2, ...)."""
    return min(THROTTLING_BACKOFF_BASE_S * 2.0 ** (retry - 1), MAX_BACKOFF_S) + RETRY_AFTER_EXTRA_S


@dataclass(frozen=True)
class Deadline:
    """When the invocation must have answered, and how much of the time before it the calls may not use."""

    answer_by: float  # a time.monotonic() value
    reserve_s: float  # kept back from calls: recording a failure, its log line, the answer

    def __post_init__(self) -> None:
        if self.reserve_s < FINAL_MARGIN_S:
            raise ValueError(
                f"the reserve must be at least the final margin of {FINAL_MARGIN_S} s, got {self.reserve_s}"
            )

    def left_for_calls(self) -> float:
        return self.answer_by - self.reserve_s - time.monotonic()

    def left_for_last_word(self) -> float:
        """What a call that records a failure may still use: the reserve, less the final margin."""
        return self.answer_by - FINAL_MARGIN_S - time.monotonic()

    def fit(self, budget: CallBudget) -> CallBudget:
        return budget.fitted(self.left_for_calls())


_current: ContextVar[Deadline | None] = ContextVar("invocation_deadline", default=None)


@contextmanager
def invocation_deadline(context: LambdaContext, reserve_s: float, limit_s: float | None = None) -> Iterator[Deadline]:
    """The invocation's deadline, for every budgeted call made inside the block.

    It is Lambda's own (the context's remaining time), or ``limit_s`` from now when that is sooner:
    API Gateway stops waiting for the API function at its integration timeout whatever the function's.
    """
    remaining_s = context.get_remaining_time_in_millis() / 1000
    if limit_s is not None:
        remaining_s = min(remaining_s, limit_s)
    deadline = Deadline(answer_by=time.monotonic() + remaining_s, reserve_s=reserve_s)
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)


def current_deadline() -> Deadline | None:
    """The deadline of the invocation running in this context; None outside a handler (tests, tools)."""
    return _current.get()


def require_time(seconds: float, what: str) -> None:
    """``OutOfTime`` unless ``seconds`` more still leave the calls' share of the invocation (a pause
    between calls, say); outside an invocation, always fine."""
    deadline = _current.get()
    if deadline is not None and seconds > (left := deadline.left_for_calls()):
        raise OutOfTime(f"{what} needs {seconds:.2f} s and {max(left, 0.0):.2f} s are left for AWS calls")


def budgeted_client(service: str, budget: CallBudget, *, last_word: bool = False, config: Any = None) -> Any:
    """A boto3 client built with ``budget`` (``config`` adds other settings) that refuses, with
    ``OutOfTime``, every call whose worst case could end after the current invocation's deadline.

    ``last_word``: the client records a failure once the other calls have given up, so its calls may
    use the reserve too (all of it but FINAL_MARGIN_S).
    """
    merged = budget.config() if config is None else budget.config().merge(config)
    with _session_lock:  # a boto3 session may make one client at a time
        client = _session.get().client(service, config=merged)
    client.meta.events.register("before-call", _deadline_check(budget, last_word=last_word))
    return client


def forget_session() -> None:
    """Make the next client from a new session, reading the environment afresh (tests, demo)."""
    _session.reset()


def _new_session() -> Any:
    import boto3

    return boto3.session.Session()


# One session for every client of the container: its first client loads the service data (about 0.1 s),
# every later one reuses it (about 15 ms), whichever function, service or budget it is for.
_session: PerContainer[Any] = PerContainer(_new_session)
_session_lock = threading.Lock()


def _deadline_check(budget: CallBudget, *, last_word: bool) -> Callable[..., None]:
    def check(model: Any, **_: Any) -> None:
        deadline = _current.get()
        if deadline is None:
            return
        left = deadline.left_for_last_word() if last_word else deadline.left_for_calls()
        if budget.worst_case_s > left:
            operation = f"{model.service_model.service_name}.{model.name}"
            raise OutOfTime(
                f"{operation} may take up to {budget.worst_case_s:g} s and {max(left, 0.0):.2f} s are left for it"
            )

    return check
