"""The API function's boto3 clients, and the part of each its code uses.

Each client is made on first use and then reused by every later request in the same container
(importing boto3 costs about 130 ms and a first client about 105 ms more): a CORS preflight or a
refused request never pays for them, and a POST never pays for the DynamoDB client.
"""

from typing import Any, Final, Protocol

from handlers.aws_budget import FINAL_MARGIN_S, CallBudget, budgeted_client, forget_session
from handlers.aws_calls import AwsOperation
from handlers.per_container import PerContainer, PerContainerMap

# The most one call may take (4 s) when the invocation has the time: the function's default timeout is
# 10 s (components.image_api.API_TIMEOUT_SECONDS) and API Gateway stops waiting at 29 s. One attempt:
# a retry would add 4 s and a pause of up to 6 s (handlers.aws_budget), more than the function has, so
# a throttled or failed call is a 500 the client may retry. DynamoDB answers in milliseconds; a
# presigned URL makes no call at all.
API_CALL_BUDGET: Final = CallBudget(connect_timeout_s=1, read_timeout_s=3, attempts=1)
# Kept back from AWS calls: the api.failed line and the answer need no call.
API_RESERVE_S: Final = FINAL_MARGIN_S


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

    def put_item(self, **kwargs: Any) -> dict[str, Any]: ...

    def update_item(self, **kwargs: Any) -> dict[str, Any]: ...


# Everything the function calls or presigns; the IAM policy grants exactly these actions (the test
# tests/api/test_role_grants_match_calls.py proves both against the requests the handler makes).
AWS_OPERATIONS: Final = (
    # A presigned POST or GET is performed later, by the client, with the signer's (the function's) rights.
    AwsOperation("s3", "PutObject", ("s3:PutObject",), "upload bucket: uploads/*, by presigned POST"),
    AwsOperation("s3", "GetObject", ("s3:GetObject",), "processed bucket: renditions/*, by presigned GET"),
    AwsOperation(
        "s3", "ListObjectVersions", ("s3:ListBucketVersions",), "both buckets, prefix uploads/ or renditions/"
    ),
    AwsOperation(
        "s3",
        "DeleteObjects",
        ("s3:DeleteObject", "s3:DeleteObjectVersion"),
        "upload bucket uploads/*, processed renditions/*",
    ),
    AwsOperation("dynamodb", "GetItem", ("dynamodb:GetItem",), "the metadata table"),
    # DELETE's tombstone: in place of the caller's item (PutItem), or for an id without one (UpdateItem).
    AwsOperation("dynamodb", "PutItem", ("dynamodb:PutItem",), "the metadata table"),
    AwsOperation("dynamodb", "UpdateItem", ("dynamodb:UpdateItem",), "the metadata table"),
    AwsOperation("dynamodb", "Query", ("dynamodb:Query",), "the metadata table's user index"),
)


class ApiClients:
    """One S3 and one DynamoDB client of one call budget, each created when first asked for (thread-safe)."""

    def __init__(self, budget: CallBudget = API_CALL_BUDGET) -> None:
        self._s3: PerContainer[S3Api] = PerContainer(lambda: _create_client("s3", budget))
        self._dynamodb: PerContainer[DynamoDbApi] = PerContainer(lambda: _create_client("dynamodb", budget))

    @property
    def s3(self) -> S3Api:
        return self._s3.get()

    @property
    def dynamodb(self) -> DynamoDbApi:
        return self._dynamodb.get()


_clients: PerContainerMap[CallBudget, ApiClients] = PerContainerMap(ApiClients)


def api_clients(budget: CallBudget = API_CALL_BUDGET) -> ApiClients:
    """The container's clients of ``budget`` (a request fits it to its time), each created on first use."""
    return _clients.get(budget)


def reset_api_clients() -> None:
    """Forget the clients, so the next request builds them from the environment again (tests, benchmark)."""
    _clients.reset()
    forget_session()  # credentials too


def _create_client(service: str, budget: CallBudget) -> Any:
    if service != "s3":
        return budgeted_client(service, budget)
    from botocore.config import Config

    # Presigned URLs must be SigV4 and name the bucket's regional virtual host: SigV2 and the
    # global endpoint fail (or redirect, breaking the signature) for buckets outside us-east-1.
    return budgeted_client(service, budget, config=Config(signature_version="s3v4", s3={"addressing_style": "virtual"}))
