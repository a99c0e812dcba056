"""The API function's boto3 clients, and the part of each its code uses.

Each client is made on first use and then reused by every later request in the same container
(importing boto3 costs about 130 ms and a first client about 105 ms more): a CORS preflight or a
refused request never pays for them, and a POST never pays for the DynamoDB client.
"""

from typing import Any, Final, Protocol

from handlers.aws_calls import AwsOperation
from handlers.per_container import PerContainer


class S3Api(Protocol):
    """The part of boto3's S3 client the API uses (mypy --strict allows it no other method)."""

    def generate_presigned_post(self, **kwargs: Any) -> dict[str, Any]: ...

    def generate_presigned_url(self, **kwargs: Any) -> str: ...

    def list_object_versions(self, **kwargs: Any) -> dict[str, Any]: ...

    def delete_objects(self, **kwargs: Any) -> dict[str, Any]: ...


class DynamoDbApi(Protocol):
    """The part of boto3's DynamoDB client the API uses."""

    def get_item(self, **kwargs: Any) -> dict[str, Any]: ...

    def query(self, **kwargs: Any) -> dict[str, Any]: ...

    def delete_item(self, **kwargs: Any) -> dict[str, Any]: ...


# Everything the function calls or presigns; the IAM policy grants exactly these actions (the test
# tests/api/test_role_grants_match_calls.py proves both against the requests the handler makes).
AWS_OPERATIONS: Final = (
    # A presigned POST or GET is performed later, by the client, with the signer's (the function's) rights.
    AwsOperation("s3", "PutObject", "s3:PutObject", "upload bucket: uploads/*, by presigned POST"),
    AwsOperation("s3", "GetObject", "s3:GetObject", "processed bucket: renditions/*, by presigned GET"),
    AwsOperation("s3", "ListObjectVersions", "s3:ListBucketVersions", "both buckets, prefix uploads/ or renditions/"),
    AwsOperation("s3", "DeleteObjects", "s3:DeleteObjectVersion", "upload bucket uploads/*, processed renditions/*"),
    AwsOperation("dynamodb", "GetItem", "dynamodb:GetItem", "the metadata table"),
    AwsOperation("dynamodb", "DeleteItem", "dynamodb:DeleteItem", "the metadata table"),
    AwsOperation("dynamodb", "Query", "dynamodb:Query", "the metadata table's user index"),
)


class ApiClients:
    """One S3 and one DynamoDB client, each created when first asked for (thread-safe)."""

    def __init__(self) -> None:
        self._s3: PerContainer[S3Api] = PerContainer(lambda: _create_client("s3"))
        self._dynamodb: PerContainer[DynamoDbApi] = PerContainer(lambda: _create_client("dynamodb"))

    @property
    def s3(self) -> S3Api:
        return self._s3.get()

    @property
    def dynamodb(self) -> DynamoDbApi:
        return self._dynamodb.get()


_clients: PerContainer[ApiClients] = PerContainer(ApiClients)


def api_clients() -> ApiClients:
    """The container's clients, each created on first use."""
    return _clients.get()


def reset_api_clients() -> None:
    """Forget the clients, so the next request builds them from the environment again (tests, benchmark)."""
    _clients.reset()


def _create_client(service: str) -> Any:
    import boto3
    from botocore.config import Config

    # Standard retries back off on throttling and 5xx; API Gateway gives up after 29 s, so do sooner.
    config = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=3, read_timeout=10)
    if service == "s3":
        # Presigned URLs must be SigV4 and name the bucket's regional virtual host: SigV2 and the
        # global endpoint fail (or redirect, breaking the signature) for buckets outside us-east-1.
        config = config.merge(Config(signature_version="s3v4", s3={"addressing_style": "virtual"}))
    return boto3.session.Session().client(service, config=config)
