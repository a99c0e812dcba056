"""The cleanup function's boto3 clients, the part of each its code uses, and the calls that makes.

The clients are made on the first invocation and reused by every later one in the same container
(importing boto3 costs about 130 ms and a first client about 105 ms more).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Protocol

from handlers.aws_calls import AwsOperation
from handlers.per_container import PerContainer


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
    AwsOperation("s3", "ListObjectVersions", "s3:ListBucketVersions", "the upload and processed buckets"),
    # Every entry names a VersionId: S3 checks DeleteObjectVersion (never DeleteObject) for each.
    AwsOperation("s3", "DeleteObjects", "s3:DeleteObjectVersion", "the objects of both buckets (bucket/*)"),
    # Through the scan paginator.
    AwsOperation("dynamodb", "Scan", "dynamodb:Scan", "the metadata table"),
    # DeleteRequest entries only.
    AwsOperation("dynamodb", "BatchWriteItem", "dynamodb:BatchWriteItem", "the metadata table"),
)


@dataclass(frozen=True)
class CleanupClients:
    s3: Any
    dynamodb: Any


def cleanup_clients() -> CleanupClients:
    """The container's clients, created on the first invocation."""
    return _clients.get()


def reset_cleanup_clients() -> None:
    """Forget the clients, so the next invocation builds them from the environment again (tests)."""
    _clients.reset()


def _create_clients() -> CleanupClients:
    import boto3
    from botocore.config import Config

    # Standard retries back off on throttling and 5xx; what still fails is logged and fails the run.
    config = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=5, read_timeout=30)
    session = boto3.session.Session()
    return CleanupClients(s3=session.client("s3", config=config), dynamodb=session.client("dynamodb", config=config))


_clients: PerContainer[CleanupClients] = PerContainer(_create_clients)
