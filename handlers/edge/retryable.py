"""Whether a failed record is worth retrying as it is: throttling, a server error, a dropped connection, time.

The error codes and HTTP statuses are botocore's own, the ones its standard retry mode retries
(botocore/retries/standard.py: ThrottledRetryableChecker, TransientRetryableChecker), so the
function calls a failure temporary exactly when the SDK would have tried the call again. Anything
else (AccessDenied, a validation error, a bug) fails the same way on every try.
"""

from dataclasses import dataclass

from botocore.exceptions import ClientError
from botocore.retries.standard import RetryContext, ThrottledRetryableChecker, TransientRetryableChecker

from handlers.aws_budget import OutOfTime
from handlers.edge.errors import RemainingTimeTooShort

_CHECKERS = (ThrottledRetryableChecker(), TransientRetryableChecker())


@dataclass(frozen=True)
class _HttpStatus:
    """The one attribute of an HTTP response the checkers read."""

    status_code: int


def passes_on_retry(exc: BaseException) -> bool:
    if isinstance(exc, RemainingTimeTooShort | OutOfTime):
        # Nothing was sent, or the record was never started: another invocation has the time.
        return True
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        context = RetryContext(
            attempt_number=1,
            parsed_response=dict(exc.response),
            http_response=_HttpStatus(status) if isinstance(status, int) else None,
        )
    else:
        context = RetryContext(attempt_number=1, caught_exception=exc)
    return any(checker.is_retryable(context) for checker in _CHECKERS)
