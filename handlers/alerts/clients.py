"""The formatter's boto3 clients, the part of each its code uses, and the calls that makes.

Made once per container, on first use (importing boto3 costs about 130 ms, a first client about
105 ms more): a notification that is no alarm never pays for them.
"""

from dataclasses import dataclass
from typing import Any, Final, Protocol

from handlers.alerts.evidence import CloudWatchApi, LogsApi
from handlers.alerts.ledger import DynamoDbApi
from handlers.aws_calls import AwsOperation
from handlers.per_container import PerContainer


class SnsApi(Protocol):
    """The part of boto3's SNS client the formatter uses."""

    def publish(self, **kwargs: Any) -> dict[str, Any]: ...


# Everything the formatter calls; its role grants exactly these (tests/alerts/test_role_grants_match_calls.py).
ALERT_OPERATIONS: Final = (
    AwsOperation("logs", "FilterLogEvents", ("logs:FilterLogEvents",), "the watched log groups"),
    # GetMetricData has no resource-level permissions: AWS accepts only "*".
    AwsOperation("monitoring", "GetMetricData", ("cloudwatch:GetMetricData",), "*"),
    AwsOperation("sns", "Publish", ("sns:Publish",), "the tier topics"),
    AwsOperation("dynamodb", "PutItem", ("dynamodb:PutItem",), "the formatter's ledger table"),
    AwsOperation("dynamodb", "GetItem", ("dynamodb:GetItem",), "the formatter's ledger table"),
    AwsOperation("dynamodb", "DeleteItem", ("dynamodb:DeleteItem",), "the formatter's ledger table"),
)


@dataclass(frozen=True)
class AlertClients:
    logs: LogsApi
    cloudwatch: CloudWatchApi
    sns: SnsApi
    dynamodb: DynamoDbApi


def _create_clients() -> AlertClients:
    import boto3
    from botocore.config import Config

    # Short timeouts: a slow evidence call must leave time to publish (the function has 30 s).
    config = Config(retries={"mode": "standard", "max_attempts": 2}, connect_timeout=3, read_timeout=8)
    session = boto3.session.Session()
    return AlertClients(
        logs=session.client("logs", config=config),
        cloudwatch=session.client("cloudwatch", config=config),
        sns=session.client("sns", config=config),
        dynamodb=session.client("dynamodb", config=config),
    )


_clients: PerContainer[AlertClients] = PerContainer(_create_clients)


def alert_clients() -> AlertClients:
    return _clients.get()


def reset_alert_clients() -> None:
    """Forget the clients, so the next invocation builds them from the environment again (tests, demo)."""
    _clients.reset()
