"""The cleanup function's boto3 clients, the part of each its code uses, and the calls that makes.

The clients are made on the first invocation and reused by every later one in the same container
(importing boto3 costs about 130 ms and a first client about 105 ms more).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Protocol

from handlers.aws_budget import FINAL_MARGIN_S, CallBudget, budgeted_client, forget_session
from handlers.aws_calls import AwsOperation
from handlers.per_container import PerContainerMap

# The most one call may take (49 s) when the invocation has the time; the function's timeout is 300 s
# (components.dev_cleanup.CLEANUP_TIMEOUT_SECONDS). A DeleteObjects of 1,000 versions may take seconds
# to answer; three attempts ride out throttling. Near the end of a run the budget shrinks, then calls
# are refused: what is left is logged, the run fails, the next run takes it.
CLEANUP_CALL_BUDGET: Final = CallBudget(connect_timeout_s=2, read_timeout_s=10, attempts=3)
# Kept back from AWS calls: the ERROR lines, the summary and raising need no call.
CLEANUP_RESERVE_S: Final = FINAL_MARGIN_S


class Paginator(Protocol):
    def paginate(self, **kwargs: Any) -> Iterable[dict[str, Any]]: ...


class S3Api(Protocol):
    """The part of boto3's S3 client the cleanup uses (mypy --strict allows it no other method)."""

    def get_paginator(self, operation_name: str) -> Paginator: ...

    def delete_objects(self, **kwargs: Any) -> dict[str, Any]: ...


class DynamoDbApi(Protocol):
    """The part of boto3's DynamoDB client the cleanup uses."""

    def get_paginator(self, operation_name: str) -> Paginator: ...

    def batch_write_item(self, **kwargs: Any) -> dict[str, Any]: ...


# Everything the function calls: its role needs exactly these actions, on these resources, and no
# other (tests/cleanup/test_calls.py records every request a run makes and compares).
CLEANUP_OPERATIONS: Final = (
    # Through the list_object_versions paginator.
    AwsOperation("s3", "ListObjectVersions", ("s3:ListBucketVersions",), "the upload and processed buckets"),
    # Every entry names a VersionId: S3 checks DeleteObjectVersion (never DeleteObject) for each.
    AwsOperation(
        "s3", "DeleteObjects", ("s3:DeleteObject", "s3:DeleteObjectVersion"), "the objects of both buckets (bucket/*)"
    ),
    # Through the scan paginator.
    AwsOperation("dynamodb", "Scan", ("dynamodb:Scan",), "the metadata table"),
    # DeleteRequest entries only.
    AwsOperation("dynamodb", "BatchWriteItem", ("dynamodb:BatchWriteItem",), "the metadata table"),
)


@dataclass(frozen=True)
class CleanupClients:
    s3: Any
    dynamodb: Any


def cleanup_clients(budget: CallBudget = CLEANUP_CALL_BUDGET) -> CleanupClients:
    """The container's clients of ``budget`` (an invocation fits it to its time), created on first use."""
    return _clients.get(budget)


def reset_cleanup_clients() -> None:
    """Forget the clients, so the next invocation builds them from the environment again (tests)."""
    _clients.reset()
    forget_session()  # credentials too


def _create_clients(budget: CallBudget) -> CleanupClients:
    return CleanupClients(s3=budgeted_client("s3", budget), dynamodb=budgeted_client("dynamodb", budget))


_clients: PerContainerMap[CallBudget, CleanupClients] = PerContainerMap(_create_clients)
